import Foundation
import Simulator
import WolkvoxAPI

/// Starts a simulator on a free loopback port and builds a real client
/// (the default NIO transport over HTTP) against it.
struct SimHarness {
    let sim: RunningSimulator
    let journal = MemoryJournal()

    static func start(
        records: Int = 400, seed: UInt64 = 7, licenses: Int = 5, faults: String = "", hotPhoneEvery: Int = 50, ownLoop: Bool = false
    ) async throws -> SimHarness {
        SimHarness(
            sim: try await SimulatorServer.start(
                SimulatorConfig(
                    records: records, campaigns: 4, seed: seed, licenses: licenses,
                    faults: try FaultPlan(spec: faults), hotPhoneEvery: hotPhoneEvery), ownLoop: ownLoop))
    }

    func client(
        token: String = SimulatorConfig.demoToken, limit: Int = 1, timeout: Duration = .seconds(60), transport: NIOTransport = .shared
    ) throws -> WolkvoxClient {
        WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "sim", baseURL: sim.baseURL), token: APIToken(token)!,
            transport: transport, gate: TokenGate(limit: limit), journal: journal,
            timeout: timeout, readRetryDelay: .milliseconds(20))
    }

    /// A raw request, bypassing the client (to prove what the server enforces).
    func raw(_ method: String, _ pathAndQuery: String, token: String? = SimulatorConfig.demoToken, body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(sim.port)\(pathAndQuery)")!)
        request.httpMethod = method
        if let token { request.setValue(token, forHTTPHeaderField: "wolkvox-token") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        // A session of its own: requests sent together reach the server
        // together (on the shared session libcurl was seen to hold the
        // second until the first connection was free, under a loaded run).
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    func stop() async { await sim.stop() }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
