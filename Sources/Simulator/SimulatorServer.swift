import Foundation
import Hummingbird
import Logging
import NIOCore
import WolkvoxAPI

/// Request context that keeps the channel, for the loopback check and the
/// connection-reset fault.
struct SimContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// A simulator running on its own port until `stop()`.
public final class RunningSimulator: Sendable {
    public let port: Int
    public let config: SimulatorConfig
    let core: SimulatorCore
    private let task: Task<Void, Never>

    init(port: Int, config: SimulatorConfig, core: SimulatorCore, task: Task<Void, Never>) {
        self.port = port
        self.config = config
        self.core = core
        self.task = task
    }

    /// The base URL a client uses in place of `https://wv{server}.wolkvox.com/api/v2/`.
    public var baseURL: URL { URL(string: "http://\(config.host):\(port)/api/v2/")! }

    public func stop() async {
        task.cancel()
        await task.value
    }

    public func state() async -> SimulatorStateSnapshot { await core.snapshot() }
    public func requests() async -> [RecordedRequest] { await core.requests() }
    public func clearRequests() async { await core.clearRequests() }
    /// Answers sent under the trickle fault, in order.
    public func transfers() async -> [SimTransfer] { await core.transfers() }
    public func setFaults(_ plan: FaultPlan) async { await core.setFaults(plan) }
    public func record(campaignID: String, customerID: String) async -> SimRecord? {
        await core.record(campaignID: campaignID, customerID: customerID)
    }
    public func isBlocked(_ phone: String) async -> Bool { await core.dnc[phone] != nil }
    /// Requests the server is working on now, all tokens together.
    public func inFlight() async -> Int { await core.inFlight.values.reduce(0, +) }
}

public enum SimulatorServer {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts on `config.host:config.port` (port 0 picks a free one) and
    /// returns once it accepts connections.
    public static func start(_ config: SimulatorConfig) async throws -> RunningSimulator {
        let core = SimulatorCore(config: config)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "wvsim")
        logger.logLevel = .critical
        let responder = CallbackResponder<SimContext> { request, context in
            try await SimulatorHTTP.respond(request, context: context, core: core)
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            do { try await app.run() } catch { continuation.finish() }
            continuation.finish()
        }
        var bound: Int?
        for await p in ports { bound = p }
        guard let port = bound, port > 0 else {
            task.cancel()
            throw StartError(description: "could not listen on \(config.host):\(config.port)")
        }
        return RunningSimulator(port: port, config: config, core: core, task: task)
    }
}
