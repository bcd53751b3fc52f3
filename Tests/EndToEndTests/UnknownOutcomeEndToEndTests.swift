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

    func unconfirmed(_ rig: Rig) async throws -> [[String: Any]] {
        let r = await rig.run("audit --unconfirmed --json")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]], "\(r)")
    }

    /// Ctrl-C after the delete left (the server applied it and is slow to
    /// answer): "may have been applied", outcome unknown, exit 130 — and a
    /// read-back settles it as applied with one find_record and no write.
    @Test func ctrlCMidDeleteSaysItMayHaveBeenAppliedAndReconcileSettlesIt() async throws {
        let rig = try await Rig.start(faults: "remove_record:latency=5000")
        let r = await interrupted(rig, "delete --campaign 101 --type predictive --ids CC1001 --yes --json")
        #expect(r.status == 130, "\(r)")
        let o = try object(r.out)
        #expect((o["error"] as? [String: Any])?["kind"] as? String == "cancelled" && o["outcome"] as? String == "unknown", "\(o)")
        #expect(r.err.contains("may have been applied") && r.err.contains("audit --reconcile"), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1, "\(r.err)")
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

    /// Ctrl-C while the delete still waits for a slot another wvconsole
    /// holds: it never left, so "not sent", outcome not_sent, nothing to
    /// reconcile.
    @Test func ctrlCBeforeTheDeleteLeftSaysNotSent() async throws {
        let rig = try await Rig.start(faults: "find_record:stall")
        let bin = Products.path("wvconsole")!
        let dir = rig.home.path
        func wait(_ what: String, _ done: () async -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while !(await done()) {
                try #require(ContinuousClock.now < deadline, "timed out waiting for \(what)")
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        // Another wvconsole's stalled search holds the one slot: seen at the server.
        await Shell.runAsync("(\(bin) find --phone 3001234567 >/dev/null 2>&1 & echo $! > \(dir)/holder)", environment: rig.env)
        try await wait("the holder's search at the server") { await rig.sim.inFlight() == 1 }
        // The delete waits for the slot until its own "request slot" line says so; then Ctrl-C.
        await Shell.runAsync(
            "(bash -c 'env --default-signal=INT \(bin) delete --campaign 101 --type predictive --ids CC1001 --yes --json >\(dir)/out 2>\(dir)/err & "
                + "p=$!; echo $p > \(dir)/pid; wait $p; echo $? > \(dir)/status' >/dev/null 2>&1 &)", environment: rig.env)
        try await wait("the delete waiting for a slot") {
            ((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "").contains("request slot")
        }
        await Shell.runAsync("kill -INT $(cat \(dir)/pid)")
        try await wait("the delete to end") { FileManager.default.fileExists(atPath: dir + "/status") }
        await Shell.runAsync("kill -9 $(cat \(dir)/holder)")
        let status = try String(contentsOfFile: dir + "/status", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let text = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
        #expect(status == "130", "\(status) \(text)")
        let o = try object((try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "")
        #expect(o["outcome"] as? String == "not_sent", "\(o)")
        #expect(text.contains("Nothing was sent") && !text.contains("may have been applied"), "\(text)")
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
        let rec = await rig.run("audit --reconcile")
        #expect(rec.status == 0, "\(rec)")
        #expect(rec.out.contains("not applied (resolved in the journal)") && rec.out.contains("CC1001: found"), "\(rec.out)")
        #expect(await rig.calls("remove_record") == 1)
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
