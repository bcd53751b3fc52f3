import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// The server counts a request from its arrival until it has answered, also
/// when its client went away: a cancelled request keeps its slot until then,
/// in the process (a Ctrl-C'd command stays until the answer has ended) and
/// across processes (the next command waits for it).
extension CLIEndToEndTests {
    /// Starts `wvconsole ARGS` in the background with SIGINT's default action
    /// (as at a terminal); returns the folder holding its pid, out, err and status.
    func background(_ rig: Rig, _ args: String) async throws -> String {
        let dir = rig.home.appendingPathComponent("run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = "env --default-signal=INT \(Products.path("wvconsole")!) \(args) >\(dir)/out 2>\(dir)/err & p=$!; echo $p > \(dir)/pid; wait $p; echo $? > \(dir)/status"
        await Shell.runAsync("(bash -c \(Shell.quote(script)) >/dev/null 2>&1 &)", environment: rig.env)
        try await wait("the pid file of \(args)") { FileManager.default.fileExists(atPath: dir + "/pid") }
        return dir
    }

    func ended(_ dir: String) async throws -> (status: Int32, err: String) {
        try await wait("\(dir) to end") { FileManager.default.fileExists(atPath: dir + "/status") }
        func read(_ name: String) -> String { (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "" }
        return (Int32(read("status").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, read("err"))
    }

    /// Three rounds, `max_in_flight = 1`: a `find` is cancelled with Ctrl-C
    /// while the server works on it (1.5 s), and two more `find`s start the
    /// same moment. The server never has two requests of the token at once:
    /// the cancelled command stays until the server has answered it (and
    /// says so), and only then do the others go out — each of which succeeds.
    @Test func ctrlCOnASearchKeepsItsSlotUntilTheServerHasAnswered() async throws {
        let rig = try await SharedTokenEndToEndTests.rig(limit: 1, faults: "find_record:latency=1500")
        for round in 0..<3 {
            let cancelled = try await background(rig, "find --phone 3001234567")
            try await wait("round \(round): the search at the server") { await rig.sim.inFlight() == 1 }
            await Shell.runAsync("kill -INT $(cat \(cancelled)/pid)")
            async let a = rig.run("find --phone 3009990000 --json")
            async let b = rig.run("find --id CC1001 --json")
            let (ra, rb) = await (a, b)
            let c = try await ended(cancelled)
            #expect(c.status == 130, "round \(round): \(c)")
            #expect(c.err.contains("Waiting for the cancelled request to end on the server"), "round \(round): \(c.err)")
            #expect(ra.status == 0 && rb.status == 0, "round \(round): \(ra.err) \(rb.err)")
        }
        let state = await rig.sim.state()
        #expect(state.peakInFlight == 1, "the simulator saw \(state.peakInFlight) requests at once with max_in_flight = 1")
        #expect(state.rejectedForConcurrency == 0)
        #expect(await rig.calls("find_record") == 9)
        await rig.sim.stop()
    }

    /// A command ended by a second Ctrl-C (or kill -9) while the server still
    /// works on its request leaves the slot's lease in the lock file: the
    /// next command waits until the server must be done with it, says why,
    /// and never puts a second request at the server.
    @Test func aProcessKilledMidRequestLeavesALeaseTheNextOneHonours() async throws {
        let rig = try await SharedTokenEndToEndTests.rig(limit: 1, faults: "find_record:latency=3000*1")
        let killed = try await background(rig, "find --phone 3001234567")
        try await wait("the search at the server") { await rig.sim.inFlight() == 1 }
        await Shell.runAsync("kill -9 $(cat \(killed)/pid)")
        _ = try await ended(killed)
        let lockDir = rig.home.path + "/run/wvconsole"
        let slot = try #require(try FileManager.default.contentsOfDirectory(atPath: lockDir).first { $0.hasSuffix(".0.lock") })
        let lease = try String(contentsOfFile: lockDir + "/" + slot, encoding: .utf8)
        #expect(lease.hasPrefix("until "), "the dead process's lease: \(lease)")
        // The next command must not go out while the server still runs the
        // killed one's request; the simulator answers it after 3 s.
        let next = try await background(rig, "find --phone 3009990000")
        try await wait("the waiter to say why it waits") {
            ((try? String(contentsOfFile: next + "/err", encoding: .utf8)) ?? "").contains("Waiting for a request slot")
        }
        #expect(await rig.sim.inFlight() <= 1)
        #expect(await rig.sim.state().peakInFlight == 1)
        await Shell.runAsync("kill -9 $(cat \(next)/pid)")
        await rig.sim.stop()
    }
}

extension ConsoleEndToEndTests {
    /// Esc on a search the server is working on, then a new search at once:
    /// the new one says it waits for the cancelled one (not "Searching…"),
    /// goes out only when the server has answered the first, and shows its
    /// rows; the server never has two at once (`max_in_flight` 1, the default).
    @Test func escThenANewSearchWaitsForTheCancelledOneOnTheServer() async throws {
        // 10 s at the server: long enough that the second search is seen
        // waiting even on a machine too busy to type quickly.
        let rig = try await Rig.start(faults: "find_record:latency=10000*1")
        await rig.session.waitFor("Search")
        rig.session.type("3001234567")
        rig.session.keys("Enter")
        let deadline = ContinuousClock.now + .seconds(20)
        while await rig.sim.inFlight() < 1 {
            try #require(ContinuousClock.now < deadline, "the first search never reached the server")
            try await Task.sleep(for: .milliseconds(20))
        }
        rig.session.keys("Escape")
        #expect(await rig.session.waitFor("Search cancelled").found)
        rig.session.keys("s", "C-u")
        rig.session.type("CC1001")
        rig.session.keys("Enter")
        let waiting = await rig.session.waitFor("Waiting for the cancelled search to end on the server", timeout: 20)
        #expect(waiting.found, "\(waiting.screen)")
        #expect(await rig.sim.inFlight() <= 1)
        let shown = await rig.session.waitFor("María", timeout: 30)
        #expect(shown.found, "the second search went out once the first had ended: \(shown.screen)")
        let state = await rig.sim.state()
        #expect(state.peakInFlight == 1 && state.rejectedForConcurrency == 0, "peak \(state.peakInFlight)")
        #expect(await rig.sim.requests().filter { $0.query.hasPrefix("api=find_record") }.count == 2)
        rig.session.keys("q")
        await rig.stop()
    }
}
