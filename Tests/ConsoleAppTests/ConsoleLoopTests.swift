import Foundation
import LocalStore
import Simulator
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

/// The console below tmux: `ConsoleLoop` with a `TestBackend` and a real
/// `EffectRunner`, over the simulator on loopback and a SQLite journal.
/// Key → effect → request → action → frame, in process.
@MainActor
@Suite struct ConsoleLoopTests {
    let sim: RunningSimulator
    let backend: TestBackend
    let loop: ConsoleLoop
    let store: ConsoleStore

    init() async throws {
        sim = try await SimulatorServer.start(SimulatorConfig(records: 300, campaigns: 3, seed: 42))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wvloop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try ConsoleStore(path: dir.appendingPathComponent("journal.sqlite"))
        self.store = store
        let client = WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "sim", baseURL: sim.baseURL), token: APIToken(SimulatorConfig.demoToken)!,
            transport: NIOTransport.shared, gate: TokenGate(limit: 2), journal: store, meter: store)
        let backend = TestBackend(size: Size(width: 80, height: 24))
        self.backend = backend
        loop = ConsoleLoop(state: AppState(size: Size(width: 1, height: 1), server: "sim", quota: 5000), backend: backend) { send in
            EffectRunner(client: client, store: store, themeSearchPaths: [], send: send)
        }
        loop.start()
    }

    /// Turns the loop until `done` holds or 60 s pass: every queued key at
    /// once, then what effect tasks sent, then a pause that lets them run.
    /// (Under the whole parallel suite on two cores a pause can last seconds,
    /// so keys are not spent one per pause.)
    @discardableResult
    func turn(until done: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !done(), ContinuousClock.now < deadline {
            repeat { _ = loop.step(timeoutMilliseconds: 0) } while !backend.keys.isEmpty
            if done() { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        return done()
    }

    func press(_ keys: Key...) async throws {
        backend.keys += keys
        try await turn { backend.keys.isEmpty }
    }

    var screen: String { backend.lastFrame.text }

    func searchAndShowResults() async throws {
        #expect(try await turn { loop.state.campaigns.count == 3 }, "the campaign list arrived: \(screen)")
        backend.keys += [.char(":")] + "find 3001234567".map { Key.char($0) } + [.enter]
        #expect(try await turn { screen.contains("2 records") }, "\(screen)")
    }

    @Test func aKeyBecomesARequestAndItsAnswerAFrame() async throws {
        try await searchAndShowResults()
        let finds = await sim.requests().filter { $0.query.hasPrefix("api=find_record") }
        #expect(finds.count == 1 && finds[0].query.contains("3001234567"), "\(finds.map(\.query))")
        #expect(loop.state.results.count == 2 && loop.state.inFlight == 0)
        #expect(try await turn { screen.contains("calls today") })
        await sim.stop()
    }

    @Test func aResizeReachesStateThroughUpdateAndTheNextFrameHasTheNewSize() async throws {
        try await turn { backend.frames > 0 }
        #expect(loop.state.size == Size(width: 80, height: 24), "the first size comes from the backend, through update")
        backend.size = Size(width: 120, height: 40)
        try await press(.resize)
        #expect(loop.state.size == Size(width: 120, height: 40))
        #expect(backend.lastFrame.size == Size(width: 120, height: 40))
        #expect(screen.contains("Campaigns ("), "the wide layout lists campaigns in a pane: \(screen)")
        await sim.stop()
    }

    @Test func copyWritesOneOSC52SequenceOfTheShownValue() async throws {
        try await searchAndShowResults()
        let id = try #require(loop.state.results.current?.customerID)
        try await press(.char("y"))
        let osc = try #require(backend.rawWrites.last)
        #expect(osc.hasPrefix("\u{1B}]52;c;") && osc.hasSuffix("\u{07}"))
        let payload = String(osc.dropFirst(7).dropLast())
        #expect(Data(base64Encoded: payload).map { String(decoding: $0, as: UTF8.self) } == id)
        await sim.stop()
    }

    @Test func ctrlCInsideADialogClosesItUnsentAndQuitEndsTheLoop() async throws {
        try await searchAndShowResults()
        try await press(.char("d"))
        guard case .delete = loop.state.dialog else {
            Issue.record("d opens the delete dialog: \(screen)")
            return
        }
        try await press(.ctrl("c"))
        #expect(loop.state.dialog == nil, "Ctrl-C backs out of the dialog")
        #expect(await sim.requests().filter { $0.query.hasPrefix("api=delete") || $0.query.hasPrefix("api=remove") }.isEmpty, "nothing sent")
        #expect(try store.auditEntries(since: nil, limit: 10, operatorName: nil).isEmpty, "nothing journaled")
        backend.keys = [.ctrl("c")]
        #expect(loop.step(timeoutMilliseconds: 0) == false, "Ctrl-C outside a dialog quits")
        #expect(loop.state.quit)
        await sim.stop()
    }
}
