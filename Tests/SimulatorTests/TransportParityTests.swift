import Foundation
import Simulator
import Testing
import WolkvoxAPI
import WolkvoxURLSession

/// The NIO transport (the binaries' default) and the URLSession one it
/// replaced read the same answers from the same server, and refuse a
/// redirect the same way.
@Suite struct TransportParityTests {
    static func client(_ sim: RunningSimulator, _ transport: any HTTPTransport) throws -> WolkvoxClient {
        WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "sim", baseURL: sim.baseURL), token: APIToken(SimulatorConfig.demoToken)!,
            transport: transport, gate: TokenGate(limit: 1), journal: MemoryJournal(), timeout: .seconds(20))
    }

    @Test func bothTransportsReadTheSameAnswers() async throws {
        let sim = try await SimulatorServer.start(SimulatorConfig(records: 2_000, campaigns: 3, hotPhoneEvery: 2))
        let nio = try Self.client(sim, NIOTransport.shared)
        let curl = try Self.client(sim, URLSessionTransport())
        let query = FindQuery(phone: SeedData.sharedPhone)
        let a = try await nio.find(query), b = try await curl.find(query)
        #expect(a.records.count > 900)
        #expect(a == b)
        #expect(try await nio.campaigns() == (try await curl.campaigns()))
        await sim.stop()
    }

    @Test func bothTransportsRefuseARedirect() async throws {
        let sim = try await SimulatorServer.start(
            SimulatorConfig(
                records: 10, campaigns: 1,
                faults: try FaultPlan(spec: "*:redirect=http://127.0.0.1:9/x")))
        for transport in [NIOTransport.shared, URLSessionTransport()] as [any HTTPTransport] {
            let error = await #expect(throws: APIError.self) { try await Self.client(sim, transport).find(FindQuery(phone: "3001234567")) }
            #expect(error == .redirected(status: 307, host: "127.0.0.1:9"), "\(type(of: transport))")
        }
        await sim.stop()
    }
}
