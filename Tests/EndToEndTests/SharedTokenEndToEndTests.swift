import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// One token, many processes: real wvconsole processes on one machine share
/// the token's in-flight limit through the lock files, and the meter counts
/// every process's calls.
@Suite(.serialized, .enabled(if: Products.path("wvconsole") != nil, "needs a built wvconsole"))
struct SharedTokenEndToEndTests {
    typealias Rig = CLIEndToEndTests.Rig

    /// A rig whose config says `max_in_flight = limit`.
    static func rig(limit: Int, faults: String = "") async throws -> Rig {
        let rig = try await Rig.start(faults: faults)
        let dir = rig.home.appendingPathComponent("config/wvconsole")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("config.toml")
        try "max_in_flight = \(limit)\n".write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o600)
        return rig
    }

    static var bin: String { Products.path("wvconsole")! }

    /// Two loops of 6 finds (on `a` and `b`) and a 25,000-row import (on
    /// `importer`, rows `prefix`0…), started together: every find and all 3
    /// chunks must succeed. Returns the loops' "ok failed" lines.
    static func twoFindLoopsAndAnImport(_ a: Rig, _ b: Rig, importer: Rig, prefix: String) async throws -> (String, String) {
        var text = "customer_id,customer_name,tel1\n"
        for i in 0..<25_000 { text += "\(prefix)\(i),Cliente \(i),31\(10_000_000 + i)\n" }
        let file = try importer.csv("\(prefix).csv", text)
        let errA = a.home.appendingPathComponent("errA").path, errB = b.home.appendingPathComponent("errB").path
        async let loopA = findLoop(a, count: 6, phone: "3001234567", errors: errA)
        async let loopB = findLoop(b, count: 6, phone: "3009990000", errors: errB)
        async let bulk = importer.run("import \(file) --campaign 101 --json")
        let (okA, okB, imported) = await (loopA, loopB, bulk)
        #expect(okA == "6 0", "\((try? String(contentsOfFile: errA, encoding: .utf8)) ?? "")")
        #expect(okB == "6 0", "\((try? String(contentsOfFile: errB, encoding: .utf8)) ?? "")")
        #expect(imported.status == 0 && imported.out.contains(#""calls":3"#), "\(imported.err)")
        return (okA, okB)
    }

    /// `count` finds in a row, one process each; prints "ok failed".
    static func findLoop(_ rig: Rig, count: Int, phone: String, errors: String) async -> String {
        let script =
            "ok=0; bad=0; for i in $(seq 1 \(count)); do if \(bin) find --phone \(phone) >/dev/null 2>>\(errors); "
            + "then ok=$((ok+1)); else bad=$((bad+1)); fi; done; echo \"$ok $bad\""
        return await Shell.runAsync(script, environment: rig.env).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Two CLI `find` loops and one 25,000-row import started together: the
    /// simulator never sees more than the limit in flight, nothing is refused
    /// as simultaneous, every call succeeds, and the meter in the shared store
    /// counted every process's every call.
    @Test(arguments: [1, 2])
    func threeProcessesOnOneTokenNeverExceedItsLimit(limit: Int) async throws {
        let rig = try await Self.rig(limit: limit, faults: "find_record:latency=25,add_record:latency=250")
        let (a, b) = try await Self.twoFindLoopsAndAnImport(rig, rig, importer: rig, prefix: "S")
        let state = await rig.sim.state()
        #expect(state.peakInFlight <= limit, "peak \(state.peakInFlight) with max_in_flight = \(limit)")
        #expect(state.rejectedForConcurrency == 0)
        let statuses = await rig.sim.requests().map(\.status)
        #expect(statuses.count == 15 && !statuses.contains(403), "\(statuses)")
        // Every process added to the one meter, none lost: the store's count
        // is the simulator's (the quota call itself included).
        let quota = await rig.run("quota --json")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(quota.out.utf8)) as? [String: Any], "\(quota.out) \(quota.err)")
        let simCalls = await rig.sim.state().callsToday
        #expect(obj["local_calls_today"] as? Int == simCalls, "store \(obj["local_calls_today"] ?? "-") vs simulator \(simCalls); \(a) \(b)")
        #expect(obj["asked"] as? Bool == true)
        await rig.sim.stop()
    }

    /// A process holding the only slot is killed with -9 while the server
    /// still works on its request (8 s): the kernel frees its lock at once,
    /// but the lease it wrote in the slot's file keeps the two processes
    /// waiting for it (each said so on stderr after 1 s) until the server
    /// must be done with that request — the API's 60 s — and no longer: they
    /// then go on, and the server never has two requests at once.
    @Test func killNineOfTheHolderLeavesALeaseTheWaitersHonourAndOutlive() async throws {
        let rig = try await Self.rig(limit: 1, faults: "find_record:latency=8000*1")
        let pid = rig.home.appendingPathComponent("pid").path
        await Shell.runAsync("(\(Self.bin) find --phone 3001234567 >/dev/null 2>&1 & echo $! > \(pid))", environment: rig.env)
        var deadline = Date().addingTimeInterval(30)
        while await rig.sim.inFlight() < 1, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await rig.sim.inFlight() == 1, "the holder's request reached the simulator")
        let errB = rig.home.appendingPathComponent("errB").path, errC = rig.home.appendingPathComponent("errC").path
        async let b = Shell.runAsync("\(Self.bin) find --phone 3001234567 --json >/dev/null 2>\(errB)", environment: rig.env)
        async let c = Shell.runAsync("\(Self.bin) find --id CC1001 --json >/dev/null 2>\(errC)", environment: rig.env)
        func said(_ path: String) -> Bool { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains("Waiting for a request slot") }
        deadline = Date().addingTimeInterval(30)
        while !(said(errB) && said(errC)), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(said(errB) && said(errC), "both waiters say why they wait")
        await Shell.runAsync("kill -9 $(cat \(pid))")
        let dir = rig.home.path + "/run/wvconsole"
        let slot = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".0.lock") })
        let lease = try String(contentsOfFile: dir + "/" + slot, encoding: .utf8)
        let until = try #require(Double(lease.split(separator: " ").dropFirst().first ?? ""), "a lease in the slot's file: \(lease)")
        #expect(until - Date().timeIntervalSince1970 > 40, "the lease runs to the API's limit: \(lease)")
        // The server answers the killed request after 8 s; until the lease
        // ends, nobody else's request reaches it.
        // The simulator logs a request when it arrives: the killed one is the
        // first; the next one to arrive is a waiter's.
        #expect(await rig.calls("find_record") == 1)
        var firstOther: Double?
        deadline = Date(timeIntervalSince1970: until + 10)
        while firstOther == nil, Date() < deadline {
            if await rig.calls("find_record") > 1 { firstOther = Date().timeIntervalSince1970 }
            try await Task.sleep(for: .milliseconds(20))
        }
        let went = try #require(firstOther, "the waiters went on after the lease")
        #expect(went >= until - 0.5, "a waiter went out \(until - went) s before the lease ended")
        #expect(went < until + 5, "the waiters went on within 5 s of the lease's end (\(went - until) s)")
        let (rb, rc) = await (b, c)
        #expect(rb.status == 0 && rc.status == 0)
        let state = await rig.sim.state()
        #expect(state.peakInFlight == 1 && state.rejectedForConcurrency == 0, "peak \(state.peakInFlight)")
        let notice = (try? String(contentsOfFile: errB, encoding: .utf8)) ?? ""
        #expect(notice.components(separatedBy: "Waiting for a request slot").count == 2, "said once: \(notice)")
        await rig.sim.stop()
    }

    /// `wvconsole quota`: one token_info call, then the stored figure (and no
    /// call) for 5 minutes, in every process.
    @Test func quotaAsksTokenInfoAtMostEveryFiveMinutes() async throws {
        let rig = try await Self.rig(limit: 1)
        let first = await rig.run("quota")
        #expect(
            first.status == 0 && first.out.contains("Operation: 1/5,000 calls today") && first.out.contains("This machine: 1 call today"),
            "\(first.out)\(first.err)")
        let second = await rig.run("quota --json")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(second.out.utf8)) as? [String: Any], "\(second.out)")
        #expect(obj["asked"] as? Bool == false)
        #expect((obj["figure"] as? [String: Any])?["all_token_today"] as? Int == 1)
        #expect(obj["next_ask_after"] is String)
        #expect(await rig.calls("token_info") == 1)
        await rig.sim.stop()
    }

    /// A token_info failure is one stderr line; the local count stands and the exit is 0.
    @Test func aFailedQuotaAskIsOneLineAndTheLocalCountStands() async throws {
        let rig = try await Self.rig(limit: 1, faults: "token_info:maintenance*1")
        _ = await rig.run("find --phone 3001234567")
        let r = await rig.run("quota")
        #expect(r.status == 0)
        #expect(r.err.split(separator: "\n").count == 1 && r.err.contains("token_info failed"), "\(r.err)")
        #expect(r.out.contains("This machine: 2 calls"), "\(r.out)")
        await rig.sim.stop()
    }
}
