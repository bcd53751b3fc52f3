import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// The safety controls and the outcomes a script relies on, driven through
/// the real binary: a flag holds in every position, and every exit status,
/// `--json` document and journal entry says what actually happened.
extension CLIEndToEndTests {
    private func auditEntries(_ rig: Rig) async throws -> [[String: Any]] {
        let audit = await rig.run("audit --json")
        return try #require(try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [[String: Any]], "\(audit.out)")
    }

    @Test func readOnlyRefusesEveryChangeInEveryPosition() async throws {
        let rig = try await Rig.start()
        let csv = try rig.csv("ro.csv", "customer_id,tel1\nRO1,3001234567\n")
        let commands = [
            "--read-only dnc add 3001112222", "dnc add 3001112222 --read-only", "dnc --read-only add 3001112222",
            "delete --read-only --campaign 101 --type predictive --ids CC1001 --yes",
            "--read-only delete --campaign 101 --type predictive --ids CC1001 --yes",
            "recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567 --read-only",
            "import \(csv) --campaign 101 --read-only", "--read-only dnc import \(csv)",
        ]
        for command in commands {
            let r = await rig.run(command)
            #expect(r.status == 1, "\(command): \(r.err)")
            #expect(r.err.split(separator: "\n").count == 1 && r.err.contains("Read-only"), "\(command): \(r.err)")
        }
        let writes = await rig.sim.requests().filter { !$0.query.hasPrefix("api=campaigns") && !$0.query.hasPrefix("api=find_record") }
        #expect(writes.isEmpty, "read-only sent \(writes.map(\.query))")
        #expect(await rig.sim.record(campaignID: "101", customerID: "CC1001") != nil)
        #expect(await !rig.sim.isBlocked("3001112222"))
        // Reads still work under --read-only, in either position.
        #expect(await rig.run("--read-only find --id CC1001").status == 0)
        #expect(await rig.run("find --id CC1001 --read-only").status == 0)
        await rig.sim.stop()
    }

    @Test func configAndLangHoldInEveryPositionAndAMissingConfigIsAnError() async throws {
        let rig = try await Rig.start()
        var bare = rig
        bare.env["WOLKVOX_SERVER"] = nil
        bare.env["WOLKVOX_BASE_URL"] = nil
        let file = try rig.csv("other.toml", "server = \"other01\"\nbase_url = \"\(rig.sim.baseURL.absoluteString)\"\n")
        for args in ["check --config \(file)", "--config \(file) check", "--config=\(file) check"] {
            let r = await bare.run(args)
            #expect(r.status == 0 && r.out.contains("server other01"), "\(args): \(r.out)\(r.err)")
        }
        for args in ["check --config \(rig.home.path)/missing.toml", "--config \(rig.home.path)/missing.toml find --id X"] {
            let r = await rig.run(args)
            #expect(r.status == 1 && r.err.contains("missing.toml"), "\(args): \(r.err)")
            #expect(r.err.split(separator: "\n").count == 1)
        }
        for args in ["--lang es find --phone 12", "find --phone 12 --lang es", "find --lang=es --phone 12"] {
            let r = await rig.run(args)
            #expect(r.status == 2 && r.err.contains("El teléfono"), "\(args): \(r.err)")
        }
        let help = await rig.run("--lang es find --help")
        #expect(help.out.contains("Busca registros por teléfono"), "\(help.out)")
        #expect(await rig.run("find --id X --lang xx").status == 1)
        // Console-only options are refused with a subcommand, wherever they stand.
        for args in ["--demo find --id CC1001", "find --id CC1001 --theme light", "check --theme=dark"] {
            let r = await rig.run(args)
            #expect(r.status == 1 && r.err.contains("console only"), "\(args): \(r.err)")
        }
        #expect(await rig.calls("find_record") == 0)
        await rig.sim.stop()
    }

    /// A subcommand's own options hold before its name too (`--json find`), as the shared ones do.
    @Test func aSubcommandsOwnOptionsHoldBeforeItsName() async throws {
        let rig = try await Rig.start()
        for args in ["--json find --id CC1001", "--json --id CC1001 find", "--json dnc add 3001112222", "dnc --json add 3001112223"] {
            let r = await rig.run(args)
            #expect(r.status == 0, "\(args): \(r.err)")
            let doc = (try? JSONSerialization.jsonObject(with: Data(r.out.utf8))) as? [String: Any]
            #expect(doc?["ok"] as? Bool == true, "\(args) prints the JSON document: \(r.out)")
        }
        #expect(await rig.sim.isBlocked("3001112222"))
        #expect(await rig.sim.isBlocked("3001112223"))
        // An option's value that reads like a subcommand stays the value.
        let valued = await rig.run("--json --id check find")
        #expect(valued.status == 0 && valued.out.contains("\"customer_id\":\"check\""), "\(valued.out)\(valued.err)")
        // Help for the subcommand named, and console-only options refused in their own words.
        let help = await rig.run("--json find --help")
        #expect(help.out.contains("--phone"), "\(help.out)")
        let demo = await rig.run("--demo --json find --id CC1001")
        #expect(demo.status == 1 && demo.err.contains("console only"), "\(demo.err)")
        // Under --json a line that cannot be parsed still gives its one object.
        for args in ["--json find", "find --json --csv --phone 3001234567", "--json --jsn find --id X", "--json dnc add"] {
            let usage = await rig.run(args)
            let doc = (try? JSONSerialization.jsonObject(with: Data(usage.out.utf8))) as? [String: Any]
            let error = doc?["error"] as? [String: Any]
            #expect(usage.status == 1 && doc?["ok"] as? Bool == false && error?["kind"] as? String == "usage", "\(args): \(usage.out) \(usage.err)")
        }
        #expect(
            ((try? JSONSerialization.jsonObject(with: Data(await rig.run("--json dnc add").out.utf8))) as? [String: Any])?["command"] as? String == "dnc add")
        // A misspelt option is named even where the command's own check would speak first.
        let phon = await rig.run("find --phon 3001234567")
        #expect(phon.status == 1 && phon.err.contains("'--phon'") && phon.err.contains("'--phone'"), "\(phon.err)")
        let phonES = await rig.run("--lang es find --phon 3001234567")
        #expect(phonES.err.contains("Opción desconocida") && phonES.err.split(separator: "\n").count == 1, "\(phonES.err)")
        // A misspelt option is still named, in one line, wherever it stands.
        let typo = await rig.run("--jsn find --id CC1001")
        #expect(typo.status == 1 && typo.err.contains("--jsn") && typo.err.split(separator: "\n").count == 1, "\(typo.err)")
        await rig.sim.stop()
    }

    @Test func aDeleteThatDeletedNothingIsNotASuccess() async throws {
        let rig = try await Rig.start()
        let none = await rig.run("delete --campaign 101 --type predictive --ids NOPE-8 --yes --json")
        #expect(none.status == 3, "\(none.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(none.out.utf8)) as? [String: Any])
        #expect(doc["ok"] as? Bool == false && doc["outcome"] as? String == "rejected")
        #expect(doc["deleted"] as? [String] == [] && doc["not_deleted"] as? [String] == ["NOPE-8"])
        #expect((doc["error"] as? [String: Any])?["kind"] as? String == "refused", "a failure carries error like every other: \(doc)")
        #expect(try await auditEntries(rig).first?["outcome"] as? String == "rejected")

        let partial = await rig.run("delete --campaign 101 --type predictive --ids CC1001,NOPE-9 --yes --json")
        #expect(partial.status == 6, "partial is its own documented status: \(partial.err)")
        let p = try #require(try JSONSerialization.jsonObject(with: Data(partial.out.utf8)) as? [String: Any])
        #expect(p["deleted"] as? [String] == ["CC1001"] && p["not_deleted"] as? [String] == ["NOPE-9"] && p["outcome"] as? String == "partial")
        #expect((p["error"] as? [String: Any])?["kind"] as? String == "partial" && p["journal"] as? String == "recorded", "\(p)")
        #expect(try await auditEntries(rig).first?["outcome"] as? String == "partial")

        let found = await rig.run("find --id CC1002 --json")
        let record = try #require((try JSONSerialization.jsonObject(with: Data(found.out.utf8)) as? [String: Any])?["records"] as? [[String: Any]])
        let campaign = try #require(record.first?["campaign_id"] as? String)
        let all = await rig.run("delete --campaign \(campaign) --type predictive --ids CC1002")
        #expect(all.status == 2, "no terminal and no --yes")
        let yes = await rig.run("delete --campaign \(campaign) --type predictive --ids CC1002 --yes")
        #expect(yes.status == 0 && yes.out.hasPrefix("ok: 1 record deleted"), "\(yes.out)\(yes.err)")
        #expect(try await auditEntries(rig).first?["outcome"] as? String == "succeeded")
        await rig.sim.stop()
    }

    @Test func aRefusalIsTheServersReasonNotAnUnknownAPI() async throws {
        let rig = try await Rig.start()
        let r = await rig.run("recall --campaign 101 --type predictive --id NOPE-1 --at '2030-01-15 09:30' --phone 3001234567 --json")
        #expect(r.status == 3)
        #expect(r.out.contains(#""kind":"refused""#) && r.out.contains("DOES NOT EXIST IN CAMPAIGN 101"), "\(r.out)")
        #expect(!r.err.contains("out of date"))
        let text = await rig.run("recall --campaign 101 --type predictive --id NOPE-1 --at '2030-01-15 09:30' --phone 3001234567")
        #expect(text.err == "wvconsole: The server refused: THE CUSTOMER_ID NOPE-1 DOES NOT EXIST IN CAMPAIGN 101. [HTTP 400] Nothing was changed.\n", "\(text.err)")
        #expect(try await auditEntries(rig).first?["outcome"] as? String == "rejected")
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    @Test func aBulkRunThatAppliedNothingOrPartExitsNonZeroAndADryRunPredictsTheRealRun() async throws {
        let rig = try await Rig.start(faults: "add_record:maintenance")
        var text = "customer_id,tel1\n"
        for i in 0..<12_000 { text += "BK\(i),33\(10_000_000 + i)\n" }
        let file = try rig.csv("bulk.csv", text)
        let rejected = await rig.run("import \(file) --campaign 101 --json")
        #expect(rejected.status == 3, "every chunk rejected: \(rejected.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(rejected.out.utf8)) as? [String: Any], "one JSON object: \(rejected.out)")
        #expect(doc["ok"] as? Bool == false && (doc["error"] as? [String: Any])?["kind"] as? String == "maintenance")
        #expect(await rig.calls("add_record") == 1, "maintenance stops the job after the first refusal")
        // A file with invalid rows: the dry run says what the real run does — nothing, exit 2.
        let bad = try rig.csv("bad.csv", "customer_id,tel1\nA,3001234567\nB,12\n")
        let dry = await rig.run("import \(bad) --campaign 101 --dry-run --json")
        let real = await rig.run("import \(bad) --campaign 101 --json")
        #expect(dry.status == 2 && real.status == 2, "dry \(dry.status) real \(real.status)")
        #expect(dry.out.contains(#""calls":0"#) && dry.err.contains("1 invalid row in bad.csv"), "\(dry.out) \(dry.err)")
        let dryOK = await rig.run("import \(bad) --campaign 101 --dry-run --skip-invalid")
        #expect(dryOK.status == 0 && dryOK.out.contains("would add 1 record"))
        // dnc add that fails: exactly one JSON object, the documented status.
        await rig.sim.setFaults(try FaultPlan(spec: "add_dnc:maintenance"))
        let dnc = await rig.run("dnc add 3001112222 --json")
        #expect(dnc.status == 3)
        #expect(dnc.out.split(separator: "\n").count == 1 && (try? JSONSerialization.jsonObject(with: Data(dnc.out.utf8))) != nil, "\(dnc.out)")
        await rig.sim.setFaults(.none)
        // A resumed job whose chunks were all confirmed earlier is ok, for import and dnc import alike.
        let dncFile = try rig.csv("dnc.csv", "telephone\n3001112233\n3001112244\n")
        #expect(await rig.run("dnc import \(dncFile)").status == 0)
        let resumed = await rig.run("dnc import \(dncFile) --resume --json")
        #expect(resumed.status == 0 && resumed.out.contains(#""ok":true"#) && resumed.out.contains("already_sent"), "\(resumed.out)")
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    @Test func phonesAsPeoplePasteThemOneArgumentOneNumberEveryBadOneNamed() async throws {
        var rig = try await Rig.start()
        let spaced = await rig.run("dnc add '300 123 4567' '(601) 444-5566' --json")
        #expect(spaced.status == 0 && spaced.out.contains(#""total_sent":2"#), "\(spaced.out)\(spaced.err)")
        let blockedA = await rig.sim.isBlocked("3001234567"), blockedB = await rig.sim.isBlocked("6014445566")
        #expect(blockedA && blockedB)
        let bad = await rig.run("dnc add '3001234567 12 3209998877' 12 3005556666")
        #expect(bad.status == 2)
        let lines = bad.err.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].contains("3001234567 12 3209998877") && lines[1].contains("\"12\""), "\(bad.err)")
        #expect(await !rig.sim.isBlocked("3005556666"), "nothing is sent while any number is bad")
        // A + number with no country code configured finds nothing and says why.
        let plus = await rig.run("find --phone '+57 300 123 4567'")
        #expect(plus.status == 0 && plus.err.contains("national form"), "\(plus.err)")
        let config = try rig.csv("cc.toml", "country_code = \"57\"\n")
        rig.env["WVCONSOLE_CONFIG"] = config
        let national = await rig.run("find --phone '+57 300 123 4567' --json")
        #expect(national.out.contains(#""count":2"#) && national.out.contains(#""phone":"3001234567""#), "\(national.out)")
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    @Test func findAsksOneQuestionAndNamesACampaignThatDoesNotExist() async throws {
        let rig = try await Rig.start()
        let both = await rig.run("find --phone 3001234567 --id CC1001")
        #expect(both.status == 1 && both.err.contains("not both"), "\(both.err)")
        #expect(await rig.calls("find_record") == 0)
        let nowhere = await rig.run("find --campaign 999 --phone 3001234567")
        #expect(nowhere.status == 2 && nowhere.err.contains("No campaign 999"), "\(nowhere.out)\(nowhere.err)")
        let empty = await rig.run("find --campaign 101 --phone 3000000001")
        #expect(empty.status == 0 && empty.out.contains("No records found."), "a real campaign with no match is not an error")
        await rig.sim.stop()
    }

    @Test func auditCarriesAnExplicitOutcomeAndRefusesUnrealDates() async throws {
        let rig = try await Rig.start(faults: "add_dnc:reset*1")
        _ = await rig.run("dnc add 3001112222")
        // A send whose answer never came: journal the intent, then lose the outcome.
        let entries = try await auditEntries(rig)
        #expect(entries.allSatisfy { $0["outcome"] is String }, "every entry has an outcome key: \(entries)")
        let id = try #require(entries.first?["id"] as? Int)
        #expect(await rig.run("audit --resolve \(id) --note 'number shows as blocked'").status == 0)
        let csv = await rig.run("audit --csv")
        #expect(csv.out.contains("number shows as blocked"), "the resolution note is kept in CSV: \(csv.out)")
        for bad in ["2026-13-01", "2026-02-30", "yesterday"] {
            let r = await rig.run("audit --since \(bad)")
            #expect(r.status == 1 && r.err.contains("real date"), "\(bad): \(r.err)")
        }
        #expect(await rig.run("audit --since 2026-02-28").status == 0)
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    @Test func importCanLeaveOutRecordsThatAlreadyExist() async throws {
        let rig = try await Rig.start()
        let file = try rig.csv("mixed.csv", "customer_id,customer_name,tel1\nCC1001,Should not replace,3001234567\nNEW-77,Nueva,3005550077\n")
        let r = await rig.run("import \(file) --campaign 101 --check-existing --json")
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("1 record already exists in campaign 101") && r.err.contains("CC1001"), "\(r.err)")
        #expect(await rig.sim.record(campaignID: "101", customerID: "CC1001")?.record.customerName == "María José", "not replaced")
        #expect(await rig.sim.record(campaignID: "101", customerID: "NEW-77") != nil)
        let finds = await rig.calls("find_record"), adds = await rig.calls("add_record")
        #expect(finds == 2 && adds == 1)
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    /// A killed import whose file is then edited: a resume neither resends
    /// the unconfirmed chunk silently nor starts a new job over it.
    @Test func aResumedImportOfAnEditedFileStopsAndSaysWhatChanged() async throws {
        let rig = try await Rig.start(faults: "add_record:latency=6000")
        var rows = (0..<25_000).map { "E\($0),34\(10_000_000 + $0)" }
        let file = try rig.csv("edit.csv", "customer_id,tel1\n" + rows.joined(separator: "\n") + "\n")
        let pidFile = rig.home.appendingPathComponent("pid").path
        await Shell.runAsync("(\(Products.path("wvconsole")!) import \(file) --campaign 101 >/dev/null 2>&1 & echo $! > \(pidFile))", environment: rig.env)
        let deadline = Date().addingTimeInterval(90)
        while await rig.calls("add_record") < 1, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await Shell.runAsync("kill -9 $(cat \(pidFile))")
        #expect(await rig.calls("add_record") == 1, "killed with chunk 1 in flight")
        await rig.sim.setFaults(.none)
        await rig.sim.clearRequests()
        // One row of chunk 1 changes: its old send is no longer in the file.
        rows[5] = "E5,3499999999"
        _ = try rig.csv("edit.csv", "customer_id,tel1\n" + rows.joined(separator: "\n") + "\n")
        let refused = await rig.run("import \(file) --campaign 101 --resume")
        #expect(refused.status == 1, "\(refused.err)")
        #expect(
            refused.err.contains("The file edit.csv changed under its unfinished run") && refused.err.contains("chunk(s) 1 were sent but never confirmed"),
            "\(refused.err)")
        #expect(refused.err.contains("--accept-changed"))
        // Not as a "new" import either: the unchecked chunk is named first.
        let fresh = await rig.run("import \(file) --campaign 101")
        #expect(fresh.status == 1 && fresh.err.contains("never confirmed"), "\(fresh.err)")
        #expect(await rig.calls("add_record") == 0)
        // Jobs are separate: another file into the same campaign goes on, and is told of the unfinished one.
        let other = try rig.csv("other.csv", "customer_id,tel1\nOTHER-1,3005550100\n")
        let goes = await rig.run("import \(other) --campaign 101")
        #expect(goes.status == 0, "\(goes.err)")
        #expect(goes.err.contains("another run into this campaign is unfinished — file edit.csv") && goes.err.contains("audit --reconcile"), "\(goes.err)")
        #expect(await rig.calls("add_record") == 1)
        // The operator checked and chooses: this file's chunks go, all three (none was confirmed).
        let accepted = await rig.run("import \(file) --campaign 101 --resume --accept-changed")
        #expect(accepted.status == 0, "\(accepted.err)")
        #expect(await rig.calls("add_record") == 4)
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    @Test func everyCommandHonoursTheGlobalsAndEveryErrorIsOneLine() async throws {
        var rig = try await Rig.start()
        for args in ["audit --config \(rig.home.path)/nope.toml", "--config \(rig.home.path)/nope.toml audit", "check --config \(rig.home.path)"] {
            let r = await rig.run(args)
            #expect(r.status == 1 && r.err.split(separator: "\n").count == 1, "\(args): \(r.err)")
        }
        rig.env["WVCONSOLE_CONFIG"] = rig.home.path + "/also-missing.toml"
        let env = await rig.run("campaigns")
        #expect(env.status == 1 && env.err.contains("also-missing.toml"), "\(env.err)")
        rig.env["WVCONSOLE_CONFIG"] = nil
        for args in ["find --phone 1 --id 2", "find --lang xx --id 1", "delete --campaign 101"] {
            let r = await rig.run(args)
            #expect(r.status == 1 && r.err.split(separator: "\n").count == 1 && r.err.hasPrefix("wvconsole: "), "\(args): \(r.err)")
        }
        let bad = try rig.csv("bad.csv", "customer_id,tel1\nA,3001234567\nB,12\n")
        let dry = await rig.run("import \(bad) --campaign 101 --dry-run --json")
        #expect(dry.status == 2 && dry.out.split(separator: "\n").count == 1, "one JSON object: \(dry.out)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(dry.out.utf8)) as? [String: Any])
        #expect(doc["ok"] as? Bool == false && doc["error"] != nil && doc["dry_run"] as? Bool == true)
        await rig.sim.stop()
    }
}
