import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// The unhappy path of a change, through the real binary against `wvsim`:
/// a cancel says whether the change may have been applied or was never
/// sent, a lost answer is exit 6 (never 3 or 5, which scripts retry on),
/// and `audit --reconcile` settles unknown outcomes by reading them back.
extension CLIEndToEndTests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "one JSON object: \(text)")
    }

    /// Polls `done` every 50 ms for up to 20 s: evidence, not a fixed sleep.
    func wait(_ what: @autoclosure () -> String, _ done: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !(await done()) {
            try #require(ContinuousClock.now < deadline, "timed out waiting for \(what())")
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Starts `wvconsole ARGS` in the background (SIGINT's default action, as
    /// at a terminal), sends SIGINT once `ready` holds, and returns its status and output.
    func interrupted(_ rig: Rig, _ args: String, when what: String, _ ready: () async -> Bool) async throws -> (status: Int32, out: String, err: String) {
        let dir = rig.home.appendingPathComponent("run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = "env --default-signal=INT \(Products.path("wvconsole")!) \(args) >\(dir)/out 2>\(dir)/err & p=$!; echo $p > \(dir)/pid; wait $p; echo $? > \(dir)/status"
        await Shell.runAsync("(bash -c \(Shell.quote(script)) >/dev/null 2>&1 &)", environment: rig.env)
        func read(_ name: String) -> String { (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "" }
        try await wait(what + " (stderr so far: \(read("err")), status: \(read("status")))", ready)
        try await wait("the pid file") { FileManager.default.fileExists(atPath: dir + "/pid") }
        await Shell.runAsync("kill -INT $(cat \(dir)/pid)")
        try await wait("the command to end") { FileManager.default.fileExists(atPath: dir + "/status") }
        return (Int32(read("status").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, read("out"), read("err"))
    }

    func unconfirmed(_ rig: Rig) async throws -> [[String: Any]] {
        let r = await rig.run("audit --unconfirmed --json")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]], "\(r)")
    }

    /// Ctrl-C after the delete left (the server applied it and is slow to
    /// answer): "may have been applied", outcome unknown, exit 130 — and a
    /// read-back settles it as applied with one find_record and no write.
    @Test func ctrlCMidDeleteSaysItMayHaveBeenAppliedAndReconcileSettlesIt() async throws {
        let rig = try await Rig.start(faults: "remove_record:latency=5000")
        let r = try await interrupted(rig, "delete --campaign 101 --type predictive --ids CC1001 --yes --json", when: "the delete at the server") {
            await rig.sim.inFlight() == 1
        }
        #expect(r.status == 130, "\(r)")
        let o = try object(r.out)
        #expect((o["error"] as? [String: Any])?["kind"] as? String == "cancelled" && o["outcome"] as? String == "unknown", "\(o)")
        #expect(r.err.contains("may have been applied") && r.err.contains("audit --reconcile"), "\(r.err)")
        // The second line: the command stays until the server has answered
        // (it counts the delete until then), so the read-back below cannot
        // put a second request at the server beside it.
        let lines = r.err.split(separator: "\n")
        #expect(lines.count == 2 && lines[1].contains("Waiting for the cancelled request to end on the server"), "\(r.err)")
        #expect(try await unconfirmed(rig).count == 1)
        let finds = await rig.calls("find_record")
        let rec = await rig.run("audit --reconcile --json")
        #expect(rec.status == 0, "\(rec)")
        let done = try object(rec.out)
        let first = try #require((done["reconciled"] as? [[String: Any]])?.first, "\(done)")
        #expect(first["verdict"] as? String == "applied" && first["resolved"] as? Bool == true && first["calls"] as? Int == 1, "\(first)")
        #expect(done["still_unconfirmed"] as? Int == 0 && done["calls"] as? Int == 1, "\(done)")
        #expect(await rig.calls("find_record") == finds + 1, "one call per action")
        // The simulator counts a request once it has answered (after its 5 s latency).
        let deadline = ContinuousClock.now + .seconds(15)
        while await rig.calls("remove_record") == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(await rig.calls("remove_record") == 1, "the one delete, and a reconcile never writes")
        #expect(try await unconfirmed(rig).isEmpty)
        // The evidence is in the journal: what was asked and found, when and by whom.
        let audit = await rig.run("audit --json")
        #expect(audit.out.contains("reconciled: applied") && audit.out.contains("CC1001: not found"), "\(audit.out)")
        await rig.sim.stop()
    }

    /// The same for a recall and a DNC block: the server applied them, the
    /// answer was slow, Ctrl-C says they may have been applied.
    @Test(arguments: [
        ("recall", "recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567 --json"),
        ("add_dnc", "dnc add 3005550999 --json"),
    ])
    func ctrlCMidRecallOrBlockSaysItMayHaveBeenApplied(api: String, args: String) async throws {
        let rig = try await Rig.start(faults: "\(api):latency=5000")
        let r = try await interrupted(rig, args, when: "the change at the server") { await rig.sim.inFlight() == 1 }
        #expect(r.status == 130, "\(r)")
        #expect(try object(r.out)["outcome"] as? String == "unknown", "\(r.out)")
        #expect(r.err.contains("may have been applied") && r.err.contains("audit --reconcile"), "\(r.err)")
        #expect(try await unconfirmed(rig).count == 1)
        await rig.sim.stop()
    }

    /// Ctrl-C while the delete still waits for a slot another wvconsole
    /// holds: it never left, so "not sent", outcome not_sent, nothing to
    /// reconcile.
    @Test func ctrlCBeforeTheDeleteLeftSaysNotSent() async throws {
        let rig = try await Rig.start(faults: "find_record:stall")
        let bin = Products.path("wvconsole")!
        let holder = rig.home.appendingPathComponent("holder").path
        // Another wvconsole's stalled search holds the one slot: seen at the server.
        await Shell.runAsync("(\(bin) find --phone 3001234567 >/dev/null 2>&1 & echo $! > \(holder))", environment: rig.env)
        try await wait("the holder's search at the server") { await rig.sim.inFlight() == 1 }
        // The delete waits for the slot until its own "request slot" line says so; then Ctrl-C.
        var errFile = ""
        let r = try await interrupted(rig, "delete --campaign 101 --type predictive --ids CC1001 --yes --json", when: "the delete waiting for a slot") {
            if errFile.isEmpty {
                errFile = (try? FileManager.default.contentsOfDirectory(atPath: rig.home.path))?.first { $0.hasPrefix("run-") }.map { rig.home.path + "/" + $0 + "/err" } ?? ""
            }
            return ((try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "").contains("request slot")
        }
        await Shell.runAsync("kill -9 $(cat \(holder))")
        #expect(r.status == 130, "\(r)")
        #expect(try object(r.out)["outcome"] as? String == "not_sent", "\(r.out)")
        #expect(r.err.contains("Nothing was sent") && !r.err.contains("may have been applied"), "\(r.err)")
        #expect(await rig.calls("remove_record") == 0)
        #expect(try await unconfirmed(rig).isEmpty, "not sent is not unconfirmed")
        await rig.sim.stop()
    }

    /// A connection refused before the request left: not sent, exit 5, and
    /// nothing for `audit --unconfirmed` (operators learn to ignore a list
    /// full of changes that never left).
    @Test func aRefusedConnectionIsNotSentNotUnknown() async throws {
        var rig = try await Rig.start()
        rig.env["WOLKVOX_BASE_URL"] = "http://127.0.0.1:9/api/v2/"
        let r = await rig.run("dnc add 3001234567 --json")
        #expect(r.status == 5, "\(r)")
        let o = try object(r.out)
        let chunks = try #require(o["chunks"] as? [[String: Any]])
        #expect(chunks.first?["status"] as? String == "not_sent" && o["calls"] as? Int == 0, "\(o)")
        #expect(try await unconfirmed(rig).isEmpty)
        await rig.sim.stop()
    }

    /// A lost answer to a delete the server never applied (a balancer lost
    /// it): exit 6, unknown; the read-back finds the record and says "not
    /// applied", so a second delete is a decision made on facts.
    @Test func aDroppedDeleteIsUnknownAndReconcilesAsNotApplied() async throws {
        let rig = try await Rig.start(faults: "remove_record:drop")
        let r = await rig.run("delete --campaign 101 --type predictive --ids CC1001 --yes --json")
        #expect(r.status == 6, "a change that may be applied is never 3 or 5: \(r)")
        #expect(try object(r.out)["outcome"] as? String == "unknown", "\(r.out)")
        // The same delete again is not sent while the first may be applied: a decision, not a reflex.
        let again = await rig.run("delete --campaign 101 --type predictive --ids CC1001 --yes")
        #expect(again.status == 1 && again.err.contains("unknown outcome") && again.err.contains("--resend-unconfirmed"), "\(again)")
        #expect(await rig.calls("remove_record") == 1)
        // Sent again on purpose (and lost again): two identical unknowns, read back with one call.
        let resent = await rig.run("delete --campaign 101 --type predictive --ids CC1001 --yes --resend-unconfirmed")
        let removes = await rig.calls("remove_record")
        #expect(resent.status == 6 && removes == 2, "\(resent)")
        let finds = await rig.calls("find_record")
        let rec = await rig.run("audit --reconcile")
        #expect(rec.status == 0, "\(rec)")
        #expect(rec.out.contains("not applied (resolved in the journal)") && rec.out.contains("CC1001: found"), "\(rec.out)")
        #expect(rec.out.contains("2 settled, 0 still unconfirmed, 1 find_record calls"), "\(rec.out)")
        #expect(await rig.calls("find_record") == finds + 1, "identical actions are read back once")
        let table = await rig.run("audit")
        #expect(table.out.contains("unknown → not_applied"), "the table shows what the check found: \(table.out)")
        await rig.sim.setFaults(.none)
        // Settled as not applied: the delete may go again, with no flag.
        #expect(await rig.run("delete --campaign 101 --type predictive --ids CC1001 --yes").status == 0)
        #expect(await rig.calls("remove_record") == 3)
        await rig.sim.stop()
    }

    /// add_record: applied but the answer cut (`truncated`) reads back as
    /// applied (the ID is there under the sent name); dropped reads back as
    /// not applied. A DNC block cannot be read back and says why, spending nothing.
    @Test func addsReconcileBothWaysAndADNCSaysWhyItStaysUnknown() async throws {
        let rig = try await Rig.start(faults: "add_record:truncated*1,add_dnc:truncated*1")
        let applied = try rig.csv("a.csv", "customer_id,customer_name,tel1\nREC-1,Aurora,3005550001\n")
        let a = await rig.run("import \(applied) --campaign 101 --json")
        #expect(a.status == 6, "\(a)")
        await rig.sim.setFaults(try FaultPlan(spec: "add_record:drop*1"))
        let dropped = try rig.csv("b.csv", "customer_id,customer_name,tel1\nREC-2,Borja,3005550002\n")
        let b = await rig.run("import \(dropped) --campaign 101 --json")
        #expect(b.status == 6, "\(b)")
        await rig.sim.setFaults(try FaultPlan(spec: "add_dnc:truncated*1"))
        let d = await rig.run("dnc add 3005550003 --json")
        #expect(d.status == 6, "\(d)")
        let finds = await rig.calls("find_record")
        let rec = await rig.run("audit --reconcile --json")
        #expect(rec.status == 6, "the DNC block stays open: \(rec)")
        let list = try #require(try object(rec.out)["reconciled"] as? [[String: Any]])
        let byAPI = Dictionary(grouping: list) { $0["api"] as? String ?? "" }
        let adds = byAPI["add_record"] ?? []
        #expect(adds.map { $0["verdict"] as? String } == ["applied", "not_applied"], "\(adds)")
        let dnc = try #require(byAPI["add_dnc"]?.first)
        #expect(dnc["verdict"] as? String == "unknown" && dnc["calls"] as? Int == 0, "\(dnc)")
        #expect((dnc["evidence"] as? String ?? "").contains("no API reads a DNC block back"), "\(dnc)")
        #expect(await rig.calls("find_record") == finds + 2, "one call per add, none for the DNC")
        await rig.sim.stop()
    }

    /// The quota rule of the CLI: at 100 % a command that would spend a call
    /// is refused (exit 4, kind quota) unless --over-quota, in any position.
    @Test func theCLIRefusesAtTheQuotaUnlessOverQuota() async throws {
        var rig = try await Rig.start()
        let config = rig.home.appendingPathComponent("q.toml")
        try "licenses = 1\n".write(to: config, atomically: true, encoding: .utf8)
        rig.env["WVCONSOLE_CONFIG"] = config.path
        // Spend the day's 1,000 calls on this machine's meter (what the store counts).
        let db = rig.home.appendingPathComponent("state/wvconsole/wvconsole.sqlite").path
        _ = await rig.run("campaigns")
        let day = Shell.run("date -u +%Y-%m-%d").output.trimmingCharacters(in: .whitespacesAndNewlines)
        let set = Shell.run("sqlite3 \(db) \"UPDATE call_counter SET calls = 1000\" && sqlite3 \(db) 'SELECT day FROM call_counter'")
        try #require(set.status == 0, "sqlite3: \(set.output)")
        _ = day
        let before = await rig.calls("find_record")
        let refused = await rig.run("find --phone 3001234567 --json")
        #expect(refused.status == 4, "\(refused)")
        #expect((try object(refused.out)["error"] as? [String: Any])?["kind"] as? String == "quota", "\(refused.out)")
        #expect(refused.err.contains("--over-quota"), "\(refused.err)")
        #expect(await rig.calls("find_record") == before, "nothing sent")
        let after = await rig.run("find --phone 3001234567 --over-quota")
        let before2 = await rig.run("--over-quota find --phone 3001234567")
        #expect(after.status == 0 && before2.status == 0, "\(after) \(before2)")
        #expect(after.err.contains("going on because of --over-quota"), "\(after.err)")
        #expect(await rig.calls("find_record") == before + 2)
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    /// Advice that fits: a job the server refused (a campaign that does not
    /// exist) is "refused" with the server's reason and no --resume advice,
    /// and running it again sends it again rather than "already sent".
    @Test func aRefusedImportSaysRefusedAndARerunSendsAgain() async throws {
        let rig = try await Rig.start()
        let file = try rig.csv("r.csv", "customer_id,customer_name,tel1\nRF-1,Rosa,3005550201\n")
        let first = await rig.run("import \(file) --campaign 999")
        #expect(first.status == 3, "\(first)")
        #expect(first.err.contains("DOES NOT EXIST") && first.err.contains("run the same command again"), "\(first.err)")
        #expect(!first.err.contains("--resume"), "\(first.err)")
        let again = await rig.run("import \(file) --campaign 999 --json")
        #expect(again.status == 3 && !again.err.contains("already sent"), "\(again)")
        #expect(await rig.calls("add_record") == 2)
        await rig.sim.stop()
    }

    /// A dry run with --check-existing says what it spent and does not
    /// advise the flag it was given.
    @Test func aCheckedDryRunCountsItsLookUps() async throws {
        let rig = try await Rig.start()
        let file = try rig.csv("c.csv", "customer_id,customer_name,tel1\nCC1001,Ana,3005550301\nNEW-77,Nuevo,3005550302\n")
        let text = await rig.run("import \(file) --campaign 101 --check-existing --dry-run")
        #expect(text.status == 0, "\(text)")
        #expect(text.out.contains("--check-existing spent 2 calls") && text.out.contains("leaves out 1"), "\(text.out)")
        #expect(!text.out.contains("see --check-existing") && !text.out.contains("nothing sent"), "\(text.out)")
        let json = await rig.run("import \(file) --campaign 101 --check-existing --dry-run --json")
        #expect(try object(json.out)["lookup_calls"] as? Int == 2, "\(json.out)")
        #expect(await rig.calls("add_record") == 0)
        await rig.sim.stop()
    }
}

extension CLIEndToEndTests {
    /// One gate per token on a machine, whatever the environment: processes
    /// with XDG_RUNTIME_DIR (a desktop session) and without it, with other
    /// HOME and XDG_STATE_HOME (cron, su, a systemd unit), share the
    /// request slots. Before, the two kinds took their locks in two folders
    /// and together put two requests in flight at max_in_flight = 1.
    @Test func processesWithAndWithoutARuntimeDirShareOneGate() async throws {
        // A token of its own: its lock files in the account's folder are this test's alone.
        let token = "gate-" + UUID().uuidString
        let sim = try await SimulatorServer.start(
            SimulatorConfig(records: 300, campaigns: 3, seed: 42, token: token, faults: try FaultPlan(spec: "find_record:latency=300")))
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("wvgate-\(UUID().uuidString)")
        var scripts: [String] = []
        // Four processes (not more: eight starting at once on two cores slowed the rest of the suite).
        for i in 0..<4 {
            let h = home.appendingPathComponent("p\(i)").path
            // Half like a desktop session, half like cron: different HOME and state, no runtime dir.
            let session = i % 2 == 0 ? "XDG_RUNTIME_DIR=\(h)/run" : "-u XDG_RUNTIME_DIR"
            scripts.append(
                "mkdir -p \(h)/run && env -u WVCONSOLE_GATE_DIR \(session) HOME=\(h) XDG_STATE_HOME=\(h)/state XDG_CONFIG_HOME=\(h)/config "
                    + "WOLKVOX_SERVER=sim WOLKVOX_BASE_URL=\(sim.baseURL.absoluteString) WOLKVOX_TOKEN=\(token) LANG=C.UTF-8 "
                    + "\(Products.path("wvconsole")!) find --phone 3001234567 >/dev/null 2>\(h).err &")
        }
        let r = await Shell.runAsync(scripts.joined(separator: "\n") + "\nwait; echo done")
        #expect(r.output.contains("done"))
        let state = await sim.state()
        let finds = await sim.requests().filter { $0.query.hasPrefix("api=find_record") }.count
        #expect(finds == 4, "every process searched: \(finds)")
        #expect(state.peakInFlight == 1, "the simulator saw \(state.peakInFlight) requests at once with max_in_flight = 1")
        #expect(state.rejectedForConcurrency == 0)
        // The account's lock files for this token, left by the test: removed.
        let fingerprint = APIToken(token)!.fingerprint
        for dir in ["\(NSHomeDirectory())/.local/state/wvconsole/gate", "/tmp/wvconsole-\(geteuid())"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.contains(fingerprint) {
                try? FileManager.default.removeItem(atPath: dir + "/" + name)
            }
        }
        try? FileManager.default.removeItem(at: home)
        await sim.stop()
    }
}
