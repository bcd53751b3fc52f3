import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
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
    /// The listening channel, closed first on `stop()`.
    private let listener: (any Channel)?
    /// An event loop of its own (tests that time a close), shut down on `stop()`.
    private let ownLoop: MultiThreadedEventLoopGroup?

    init(
        port: Int, config: SimulatorConfig, core: SimulatorCore, task: Task<Void, Never>, listener: (any Channel)? = nil,
        ownLoop: MultiThreadedEventLoopGroup? = nil
    ) {
        self.port = port
        self.config = config
        self.core = core
        self.task = task
        self.listener = listener
        self.ownLoop = ownLoop
    }

    /// The base URL a client uses in place of `https://wv{server}.wolkvox.com/api/v2/`.
    public var baseURL: URL { URL(string: "http://\(config.host):\(port)/api/v2/")! }

    /// Stops accepting first, then ends the server. Cancelling the server
    /// while it accepted a connection tore that connection down with its
    /// response writer unfinished, which SwiftNIO treats as a fatal error
    /// ("Deinited NIOAsyncWriter without calling finish()", apple/swift-nio#3481):
    /// with the listener closed first, no connection can arrive mid-cancel.
    public func stop() async {
        if let listener { try? await listener.close() }
        task.cancel()
        await task.value
        try? await ownLoop?.shutdownGracefully()
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
    /// returns once it accepts connections. `ownLoop`: on an event loop of
    /// its own rather than NIO's shared ones, so a test that times what the
    /// server sees is not timing other tests' work on those loops.
    public static func start(_ config: SimulatorConfig, ownLoop: Bool = false) async throws -> RunningSimulator {
        let group = ownLoop ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        let core = SimulatorCore(config: config)
        let (ports, continuation) = AsyncStream<(Int, any Channel)>.makeStream()
        var logger = Logger(label: "wvsim")
        logger.logLevel = .critical
        let responder = CallbackResponder<SimContext> { request, context in
            try await SimulatorHTTP.respond(request, context: context, core: core)
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield((channel.localAddress?.port ?? 0, channel))
                continuation.finish()
            },
            eventLoopGroupProvider: group.map { .shared($0) } ?? .singleton,
            logger: logger)
        let task = Task {
            do { try await app.run() } catch { continuation.finish() }
            continuation.finish()
        }
        var bound: (Int, any Channel)?
        for await p in ports { bound = p }
        guard let (port, listener) = bound, port > 0 else {
            task.cancel()
            try? await group?.shutdownGracefully()
            throw StartError(description: "could not listen on \(config.host):\(config.port)")
        }
        return RunningSimulator(port: port, config: config, core: core, task: task, listener: listener, ownLoop: group)
    }
}
