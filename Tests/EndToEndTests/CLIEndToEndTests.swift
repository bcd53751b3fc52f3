import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// The CLI subcommands as scripts run them: real binary, real simulator,
/// stdout/stderr/exit code checked.
@Suite(.enabled(if: Products.path("wvconsole") != nil, "needs a built wvconsole"))
struct CLIEndToEndTests {
    struct Rig {
        let sim: RunningSimulator
        let home: URL
        var env: [String: String]

        static func start(faults: String = "") async throws -> Rig {
            let sim = try await SimulatorServer.start(SimulatorConfig(records: 300, campaigns: 3, seed: 42, faults: try FaultPlan(spec: faults)), ownLoop: true)
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("wvcli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            // A gate folder of its own: the request-slot locks are per rig, not shared with other tests.
            return Rig(
                sim: sim, home: home,
                env: [
                    "HOME": home.path, "XDG_STATE_HOME": home.path + "/state", "XDG_CONFIG_HOME": home.path + "/config",
                    "XDG_RUNTIME_DIR": home.path + "/run", "WVCONSOLE_GATE_DIR": home.path + "/run/wvconsole",
                    "WOLKVOX_SERVER": "sim", "WOLKVOX_BASE_URL": sim.baseURL.absoluteString,
                    "WOLKVOX_TOKEN": SimulatorConfig.demoToken,
                    // English, whatever the developer's locale; the language tests set their own.
                    "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8",
                ])
        }

        /// Runs `wvconsole ARGS`; stdout and stderr are captured separately.
        func run(_ args: String) async -> (status: Int32, out: String, err: String) {
            let err = home.appendingPathComponent("stderr-\(UUID().uuidString)")
            let r = await Shell.runAsync("\(Products.path("wvconsole")!) \(args) 2>\(err.path)", environment: env)
            return (r.status, r.output, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }

        func csv(_ name: String, _ text: String) throws -> String {
            let url = home.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }

        func calls(_ api: String) async -> Int { await sim.requests().filter { $0.query.hasPrefix("api=\(api)") }.count }
    }

    @Test func findJSONHasTheDocumentedSchemaAndExitCodes() async throws {
        let rig = try await Rig.start()
        let r = await rig.run("find --phone 3001234567 --json")
        #expect(r.status == 0)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(obj["ok"] as? Bool == true && obj["command"] as? String == "find" && obj["count"] as? Int == 2 && obj["capped"] as? Bool == false)
        let rec = try #require((obj["records"] as? [[String: Any]])?.first)
        #expect(
            Set(rec.keys) == [
                "customer_name", "customer_last_name", "customer_id", "opt", "tel1", "tel2", "tel3", "date", "calls", "conn_id", "result", "campaign_id",
            ])
        let table = await rig.run("find --id JP-77")
        #expect(table.status == 0 && table.out.contains("山田 太郎"))
        let bad = await rig.run("find --phone 12")
        #expect(bad.status == 2 && bad.err.split(separator: "\n").count == 1 && bad.out.isEmpty)
        var wrong = rig
        wrong.env["WOLKVOX_TOKEN"] = "nope"
        let refused = await wrong.run("campaigns --json")
        #expect(refused.status == 3)
        #expect(refused.out.contains(#""kind":"invalid_token""#))
        var offline = rig
        offline.env["WOLKVOX_BASE_URL"] = "http://127.0.0.1:9/api/v2/"
        #expect(await offline.run("check").status == 5)
        await rig.sim.stop()
    }

    @Test func importOf25000RowsIsExactlyThreeCallsAndABadFileSendsNothing() async throws {
        let rig = try await Rig.start()
        var text = "customer_id,customer_name,tel1\n"
        for i in 0..<25_000 { text += "IMP\(i),Cliente \(i),31\(10_000_000 + i)\n" }
        let good = try rig.csv("good.csv", text)
        let r = await rig.run("import \(good) --campaign 101 --json")
        #expect(r.status == 0, "\(r.err)")
        #expect(await rig.calls("add_record") == 3)
        #expect(r.out.contains(#""calls":3"#))
        let again = await rig.run("import \(good) --campaign 101")
        #expect(again.status == 1 && again.err.contains("--resume"), "a second run never duplicates silently")
        #expect(await rig.calls("add_record") == 3)
        let bad = try rig.csv("bad.csv", "customer_id,tel1\nA,3001234567\nB,12\nC,300x\n")
        let b = await rig.run("import \(bad) --campaign 101")
        #expect(b.status == 2)
        #expect(b.err.contains("bad.csv:3:") && b.err.contains("bad.csv:4:"))
        #expect(await rig.calls("add_record") == 3, "nothing sent for a file with bad rows")
        let dry = await rig.run("import \(bad) --campaign 101 --dry-run --skip-invalid")
        #expect(dry.status == 0 && dry.out.contains("would add 1 record"))
        await rig.sim.stop()
    }

    /// `find --csv` writes what `import` reads back: the same rows, nothing
    /// sent by the dry run; `--bom` for Excel; `--csv` with `--json` is refused.
    @Test func findCSVIsReadBackByImport() async throws {
        let rig = try await Rig.start()
        let r = await rig.run("find --phone 3001234567 --csv")
        #expect(r.status == 0 && r.out.hasPrefix("customer_id,customer_name,customer_last_name,tel1"), "\(r.err)")
        let rows = r.out.split(separator: "\r\n").count - 1
        #expect(rows == 2, "\(r.out)")
        let file = try rig.csv("found.csv", r.out)
        let dry = await rig.run("import \(file) --campaign 101 --dry-run --json")
        #expect(dry.status == 0 && dry.out.contains(#""rows":2"#) && dry.out.contains(#""invalid_row_count":0"#), "\(dry.out) \(dry.err)")
        #expect(await rig.calls("add_record") == 0)
        let excel = rig.home.appendingPathComponent("excel.csv")
        _ = await rig.run("find --phone 3001234567 --csv --bom > \(excel.path)")
        #expect(try Data(contentsOf: excel).starts(with: [0xEF, 0xBB, 0xBF] + Array("customer_id".utf8)))
        #expect(await rig.run("find --phone 3001234567 --csv --json").status == 1)
        // Only find has them: elsewhere they are refused, not silently ignored.
        #expect(await rig.run("campaigns --csv").status == 1)
        #expect(await rig.calls("campaigns") == 0)
        await rig.sim.stop()
    }

    @Test func aKilledImportResumesWithOnlyTheMissingChunks() async throws {
        // Each chunk takes 6 s to answer, so the kill lands while chunk 2 is
        // in flight even when a loaded CI box is slow to poll and to kill.
        let rig = try await Rig.start(faults: "add_record:latency=6000")
        var text = "customer_id,tel1\n"
        for i in 0..<25_000 { text += "K\(i),32\(10_000_000 + i)\n" }
        let file = try rig.csv("kill.csv", text)
        // Start the import, let chunk 1 finish and chunk 2 go out, then kill -9.
        let pidFile = rig.home.appendingPathComponent("pid").path
        await Shell.runAsync("(\(Products.path("wvconsole")!) import \(file) --campaign 101 >/dev/null 2>&1 & echo $! > \(pidFile))", environment: rig.env)
        // A debug build on a loaded two-core box needs seconds to read and
        // encode the first 10,000 rows, so the wait is generous.
        let deadline = Date().addingTimeInterval(90)
        while await rig.calls("add_record") < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await Shell.runAsync("kill -9 $(cat \(pidFile))")
        let sentBeforeKill = await rig.calls("add_record")
        #expect(sentBeforeKill == 2, "killed after \(sentBeforeKill) add_record calls")
        await rig.sim.setFaults(.none)
        await rig.sim.clearRequests()
        // Chunk 2 was sent but never confirmed: without a decision, nothing is resent.
        let refuse = await rig.run("import \(file) --campaign 101 --resume")
        #expect(refuse.status == 1 && refuse.err.contains("unconfirmed"))
        #expect(await rig.calls("add_record") == 0)
        let resumed = await rig.run("import \(file) --campaign 101 --resume --resend-unconfirmed --json")
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(await rig.calls("add_record") == 2, "chunks 2 and 3 only")
        let audit = await rig.run("audit --json")
        #expect(audit.status == 0 && audit.out.contains("add_record"))
        await rig.sim.stop()
    }

    @Test func deleteWithoutATerminalRefusesUnlessYes() async throws {
        let rig = try await Rig.start()
        let r = await rig.run("delete --campaign 101 --type predictive --ids CC1001")
        #expect(r.status == 2 && r.err.contains("--yes"))
        #expect(await rig.calls("remove_record") == 0)
        let yes = await rig.run("delete --campaign 101 --type predictive --ids CC1001 --yes --json")
        #expect(yes.status == 0 && yes.out.contains("deleted successfully"))
        #expect(await rig.sim.record(campaignID: "101", customerID: "CC1001") == nil)
        await rig.sim.stop()
    }

    @Test func dncRecallAndCampaigns() async throws {
        let rig = try await Rig.start()
        let dnc = await rig.run("dnc add 3001112222 '300 333 4444' --days 7")
        #expect(dnc.status == 0 && dnc.out.contains("2 added · 0 rejected · 2 sent"))
        let recall = await rig.run("recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567")
        #expect(recall.status == 0 && recall.out.contains("will be call back"))
        #expect(await rig.sim.record(campaignID: "101", customerID: "CC1001")?.recallDate?.hasPrefix("203001150930") == true)
        let past = await rig.run("recall --campaign 101 --type predictive --id CC1001 --at '2020-01-15 09:30' --phone 3001234567")
        #expect(past.status == 2)
        let list = await rig.run("campaigns")
        #expect(list.status == 0 && list.out.contains("Cobranza Norte"))
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    @Test func anUnconfirmedActionIsListedAndCanBeMarkedCheckedWithoutResending() async throws {
        let rig = try await Rig.start(faults: "add_dnc:reset*1")
        let lost = await rig.run("dnc add 3001112222 --days 3")
        #expect(lost.status == 6, "the answer was lost, so it may be applied: \(lost.err)")
        let audit = await rig.run("audit --json")
        #expect(audit.out.contains(#""outcome" : "unknown""#) || audit.out.contains(#""outcome":"unknown""#))
        let before = await rig.calls("add_dnc")
        let noNote = await rig.run("audit --resolve 1")
        #expect(noNote.status == 1)
        let csv = await rig.run("audit --csv")
        #expect(csv.out.hasPrefix("id,created_at,os_user,server,campaign_id,api"))
        #expect(await rig.calls("add_dnc") == before, "auditing never sends anything")
        await rig.sim.stop()
    }

    @Test func theCLIFollowsTheLocaleAndConfigButJSONStaysEnglish() async throws {
        var rig = try await Rig.start()
        rig.env["LANG"] = "es_CO.UTF-8"
        let bad = await rig.run("find --phone 12")
        #expect(bad.status == 2)
        #expect(bad.err.contains("El teléfono \"12\" es demasiado corto"), "\(bad.err)")
        let json = await rig.run("find --phone 12 --json")
        #expect(json.out.contains("too short"), "machine output is language-neutral: \(json.out)")
        let none = await rig.run("find --phone 3000000001")
        #expect(none.status == 0 && none.out.contains("No se encontraron registros."), "\(none.out)")
        // config.toml's language wins over the locale.
        try FileManager.default.createDirectory(at: rig.home.appendingPathComponent("config/wvconsole"), withIntermediateDirectories: true)
        try "language = \"pt\"\n".write(to: rig.home.appendingPathComponent("config/wvconsole/config.toml"), atomically: true, encoding: .utf8)
        let pt = await rig.run("find --phone 3000000001")
        #expect(pt.out.contains("Nenhum registro encontrado."), "\(pt.out)")
        let help = await rig.run("find --help")
        #expect(help.out.contains("Busca registros por telefone"), "--help follows the config's language: \(help.out)")
        // So do the errors written before the command loads the config.
        let usage = await rig.run("find")
        #expect(usage.status == 1 && usage.err.contains("Informe --phone ou --id."), "\(usage.err)")
        let misspelt = await rig.run("find --phon 3001234567")
        #expect(misspelt.status == 1 && misspelt.err.contains("Opção desconhecida: '--phon'"), "\(misspelt.err)")
        let locale = await rig.run("find --help --lang es")
        #expect(locale.out.contains("Busca registros por teléfono"), "--lang still wins: \(locale.out)")
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    /// Every fault the simulator can inject, on a read and on a write: the
    /// CLI never crashes, prints one line on stderr (nothing on stdout),
    /// exits with the documented code, and the write is in the journal with
    /// the outcome the operator must act on — rejected (not applied) or
    /// unknown (check by hand), never lost.
    @Test func everyInjectedFaultIsOneLineADocumentedExitAndAJournaledOutcome() async throws {
        let rig = try await Rig.start()
        // A write whose answer is lost or unreadable may be applied: 6, whatever cut it.
        let cases: [(fault: String, status: Int32, writeStatus: Int32, outcome: String)] = [
            ("maintenance", 3, 3, "rejected"), ("truncated", 3, 6, "unknown"), ("empty", 3, 6, "unknown"), ("reset", 5, 6, "unknown"),
            ("limit", 4, 4, "rejected"), ("quota", 4, 4, "rejected"), ("codetype", 0, 0, "succeeded"),
        ]
        for (n, c) in cases.enumerated() {
            await rig.sim.setFaults(try FaultPlan(spec: "find_record:\(c.fault),recall:\(c.fault)"))
            let find = await rig.run("find --phone 3001234567")
            let recall = await rig.run("recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567 --resend-unconfirmed")
            for (what, r) in [("find", find), ("recall", recall)] {
                #expect(r.status == (what == "find" ? c.status : c.writeStatus), "\(c.fault) \(what): \(r.err)")
                guard r.status != 0 else { continue }
                let lines = r.err.split(separator: "\n")
                #expect(lines.count == 1 && lines[0].hasPrefix("wvconsole: "), "\(c.fault) \(what): \(r.err)")
                #expect(r.out.isEmpty, "\(c.fault) \(what) printed a result: \(r.out)")
                #expect(!r.err.contains("Fatal") && !r.err.contains("\u{1B}"), "\(c.fault) \(what): \(r.err)")
                // What went wrong is said once: the sentence, then anything it did not already say.
                if let bracket = lines[0].range(of: " [") {
                    let detail = lines[0][bracket.upperBound...].dropLast()
                    #expect(!lines[0][..<bracket.lowerBound].contains(detail.prefix(40)), "said twice: \(lines[0])")
                }
            }
            let audit = await rig.run("audit --json")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [[String: Any]], "\(audit.out)")
            #expect(entries.count == n + 1, "every recall is journaled, whatever happened to it")
            #expect(entries.first?["api"] as? String == "recall")
            #expect(entries.first?["outcome"] as? String == c.outcome, "\(c.fault): \(entries.first ?? [:])")
        }
        // After all of that — errors, journal, logs, captured stderr — the token is in no file.
        let token = Data(SimulatorConfig.demoToken.utf8)
        let files = FileManager.default.enumerator(at: rig.home, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        #expect(files.count > 3)
        for file in files {
            guard let bytes = try? Data(contentsOf: file) else { continue }
            #expect(bytes.range(of: token) == nil, "token found in \(file.lastPathComponent)")
        }
        await rig.sim.stop()
    }
}
