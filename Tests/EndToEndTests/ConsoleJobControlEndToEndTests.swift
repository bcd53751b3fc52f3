import Foundation
import Simulator
import Testing
import WolkvoxAPI

extension ConsoleEndToEndTests {
    /// Ctrl-Z in a shell with job control stops the console and gives the
    /// terminal back; `fg` redraws it whole and it goes on working.
    @Test func ctrlZSuspendsAndFgResumes() async throws {
        let sim = try await SimulatorServer.start(SimulatorConfig(records: 300, campaigns: 3, seed: 42, token: Self.token))
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("wvz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let session = try TmuxSession(
            command: "bash --norc --noprofile -i", width: 100, height: 30,
            environment: Rig.environment(home: home, sim: sim).merging(["PS1": "READY$ "]) { _, b in b })
        await session.waitFor("READY$")
        session.type(Products.path("wvconsole")!)
        session.keys("Enter")
        #expect(await session.waitFor("Search").found)
        session.keys("C-z")
        let stopped = await session.waitFor("Stopped")
        #expect(stopped.found, "Ctrl-Z must suspend: \(stopped.screen)")
        session.type("fg")
        session.keys("Enter")
        #expect(await session.waitFor("Search").found)
        session.type("3001234567")
        session.keys("Enter")
        #expect(await session.waitFor("CC1001").found, "the console works after fg: \(session.screen())")
        session.keys("C-c")
        await session.waitFor("READY$")
        session.close()
        await sim.stop()
    }
}

extension ConsoleEndToEndTests {
    /// Support reads the log: one line per API call with its status and
    /// duration — and never the token.
    @Test func theLogHasOneLinePerCallAndNoToken() async throws {
        let rig = try await Rig.searched("CC1001", showing: "María")
        rig.session.keys("r")
        await rig.session.waitFor("Will call")
        rig.session.keys("Tab", "Tab", "Tab", "Tab", "Enter")
        #expect(await rig.session.waitFor("Recall scheduled").found, "\(rig.session.screen())")
        rig.session.keys("Enter", "q")
        _ = await rig.session.exitStatus()
        let logFile = rig.home.appendingPathComponent("state/wvconsole/wvconsole.log")
        let listing = Shell.run("ls -la \(rig.home.path)/state/wvconsole").output
        let log = try #require(try? String(contentsOf: logFile, encoding: .utf8), "no log: \(listing)")
        let calls = log.split(separator: "\n").filter { $0.contains("api call") }
        let served = await rig.sim.requests().count
        #expect(calls.count == served, "one line per call: \(calls.count) lines, \(served) calls\n\(log)")
        for api in ["campaigns", "find_record", "recall"] {
            let line = calls.first { $0.contains("api=\(api) ") }
            #expect(line?.contains("status=") == true && line?.contains(" ms=") == true, "\(api): \(line ?? "missing")")
        }
        #expect(!log.contains(Self.token), "the token is never logged")
        #expect(!log.contains("3001234567") && !log.contains("María"), "no personal fields")
        await rig.stop()
    }
}
