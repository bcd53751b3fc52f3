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
        let session = try TmuxSession(command: "bash --norc --noprofile -i", width: 100, height: 30,
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
