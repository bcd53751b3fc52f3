import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// The transport on SwiftNIO (async-http-client): the body arrives on an
/// event loop and is copied once, into one buffer sized from
/// `Content-Length`, with no dispatch queue or libcurl hand-off per chunk
/// (`CollectingDelegate`).
///
/// What it promises:
/// - redirects are never followed (AHC is configured with `.disallow`); a
///   3xx comes back as it came, its target in `redirectLocation`, and the
///   client refuses it, so the token never goes to another host;
/// - gzip/deflate answers are inflated by NIO as they are read, under a
///   limit of `maxBodyBytes` inflated bytes and with back-pressure, so a
///   gzip bomb is cut at the limit without inflating ahead of the reader; a
///   `Content-Length` over `maxBodyBytes` is refused before the first body
///   byte, and a body that grows past it is cut off, all as
///   `TransportFailure.tooLarge`;
/// - cancelling the calling task (Esc on a search, the client's deadline)
///   cancels the request and drops the connection, so the transfer stops.
///
/// HTTPS trusts the system's CA store (NIOSSL's default). Proxies come from
/// `HTTPS_PROXY`/`HTTP_PROXY` (any case), with `NO_PROXY` honoured and
/// loopback always direct; see `ProxySettings`.
///
/// One `HTTPClient` per proxy route, all on NIO's process-wide event loop
/// group (no threads until the first request). `shared` lives as long as the
/// process; any other instance shuts its clients down when it goes away, or
/// earlier through `shutdown()`.
public final class NIOTransport: HTTPTransport, Sendable {
    public static let defaultMaxBodyBytes = 256 * 1024 * 1024

    /// The process's transport, created on first use.
    public static let shared = NIOTransport()

    public let maxBodyBytes: Int
    /// `send` ends the exchange at its timeout itself, on the event loop.
    public var enforcesDeadline: Bool { true }
    public var reportsRequestHead: Bool { true }
    private let direct: HTTPClient
    private let viaHTTPSProxy: HTTPClient?
    private let viaHTTPProxy: HTTPClient?
    private let proxies: ProxySettings
    /// Every exchange of this transport runs on this one loop: its channel
    /// and its delegate (AHC's `.delegateAndChannel`), so a cancel or the
    /// deadline fails the task and closes the connection in one step, with
    /// no hop between loops; and keep-alive connections are reused, all being
    /// on it. The process has at most 2 requests in flight, which one loop
    /// carries with room to spare.
    private let loop: any EventLoop

    public init(
        maxBodyBytes: Int = NIOTransport.defaultMaxBodyBytes,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) {
        self.maxBodyBytes = maxBodyBytes
        loop = eventLoopGroup.next()
        proxies = ProxySettings(environment: environment)
        direct = Self.makeClient(proxy: nil, maxBodyBytes: maxBodyBytes, group: eventLoopGroup)
        viaHTTPSProxy = proxies.https.map { Self.makeClient(proxy: $0.ahcProxy, maxBodyBytes: maxBodyBytes, group: eventLoopGroup) }
        viaHTTPProxy = proxies.http.map { Self.makeClient(proxy: $0.ahcProxy, maxBodyBytes: maxBodyBytes, group: eventLoopGroup) }
    }

    deinit {
        for client in [direct, viaHTTPSProxy, viaHTTPProxy].compactMap({ $0 }) {
            client.shutdown(queue: .global()) { _ in }
        }
    }

    /// Closes the connections now (tests and short-lived tools that want a clean end).
    public func shutdown() async {
        for client in [direct, viaHTTPSProxy, viaHTTPProxy].compactMap({ $0 }) {
            try? await client.shutdown()
        }
    }

    static func makeClient(proxy: HTTPClient.Configuration.Proxy?, maxBodyBytes: Int, group: any EventLoopGroup) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            // The client's own deadline (60 s, the API's limit) governs the
            // whole exchange; these phase timers are set past it, so a connect
            // that hangs (a host that drops packets) ends at the deadline with
            // the deadline's message, not at 30 s saying "60 seconds".
            timeout: .init(connect: .seconds(90), read: .seconds(90)),
            proxy: proxy,
            decompression: .enabled(limit: .size(maxBodyBytes)))
        configuration.httpVersion = .http1Only
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 8
        // A refused or failed connect is the answer, at once: AHC would retry
        // it with back-off until the deadline, so a server that is down took
        // the whole 60 s to say so.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: group, configuration: configuration)
    }

    func client(for url: URL) -> HTTPClient {
        switch proxies.route(for: url) {
        case .https: return viaHTTPSProxy ?? direct
        case .http: return viaHTTPProxy ?? direct
        case .direct: return direct
        }
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in request.headers { headers.replaceOrAdd(name: name, value: value) }
        // The caller's deadline is kept on the event loop: AHC fails the
        // request and closes the connection at that moment (queued,
        // connecting or mid-body) with no Swift task needing to run. A timer
        // on the cooperative pool was seen to fire seconds late when the pool
        // was busy (decoding, a loaded test run), leaving a stalled
        // connection open and letting a timer race a close already seen.
        let deadline = Self.deadline(after: timeout, from: .now())
        let delegate = CollectingDelegate(limit: maxBodyBytes, scansFindAnswer: request.answerIsFindRecord, headMark: HeadMark.current)
        do {
            let outgoing = try HTTPClient.Request(
                url: request.url.absoluteString,
                method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue),
                headers: headers,
                body: request.body.map { .byteBuffer(ByteBuffer(bytes: $0)) })
            try Task.checkCancellation()
            // The delegate API, not the async body stream: cancelling the
            // calling task (Esc, the client's deadline) cancels this task
            // explicitly, which closes the connection at once. (Leaving an
            // async body stream early did not always close it: under load the
            // server kept the connection until AHC's 60 s timer.)
            let task = client(for: request.url).execute(
                request: outgoing, delegate: delegate, eventLoop: .delegateAndChannel(on: loop), deadline: deadline)
            var response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            if let follower = delegate.follower {
                response.prescanned = await follower.result()
                try Task.checkCancellation()
            }
            return response
        } catch let redirect as CollectingDelegate.Redirect {
            return HTTPResponse(status: redirect.status, body: Data(), redirectLocation: redirect.location)
        } catch {
            delegate.follower?.abandon()
            let failure = Task.isCancelled ? TransportFailure.cancelled : Self.map(error, limit: maxBodyBytes)
            // Ended before the request's head was written (refused, a proxy's
            // refusal, a header the library will not send, a cancel while
            // connecting): the server cannot have acted on it.
            if !delegate.progress.value, let inner = failure as? TransportFailure {
                throw TransportFailure.beforeSending(inner)
            }
            // A connection failure once the answer had begun is a lost
            // connection, not an unreachable server.
            if case .connection(let detail) = failure as? TransportFailure, delegate.progress.answerBegan {
                throw TransportFailure.connectionLost(detail)
            }
            throw failure
        }
    }

    /// The moment AHC gives up and closes the connection: the caller's own
    /// deadline (no backstop after it), capped at a day.
    static func deadline(after timeout: Duration, from now: NIODeadline) -> NIODeadline {
        now + .nanoseconds(Int64(min(timeout.seconds, 86_400) * 1e9))
    }

    static func map(_ error: any Error, limit: Int) -> any Error {
        if let failure = error as? TransportFailure { return failure }
        if error is CancellationError { return TransportFailure.cancelled }
        if let inflate = error as? NIOHTTPDecompression.DecompressionError, inflate == .limit { return TransportFailure.tooLarge(limitBytes: limit) }
        // The system's words for a socket error ("connection refused"), not
        // NIO's nesting ("connection reset (error set): Connection refused) (errno: 111)").
        if let io = error as? IOError { return TransportFailure.connection(String(cString: strerror(io.errnoCode)).lowercased()) }
        if let ahc = error as? HTTPClientError {
            switch ahc {
            case .cancelled: return TransportFailure.cancelled
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout: return TransportFailure.timedOut
            default: return TransportFailure.connection(String(describing: ahc))
            }
        }
        return TransportFailure.connection(String(describing: error))
    }
}

/// The body as it comes, in one buffer: reserved from `Content-Length`
/// when the server gives it (so 23 MB arrive with no re-allocation), each
/// chunk copied once from NIO's buffer into it, and never past the limit.
struct BodyCollector {
    private(set) var data: Data
    let limit: Int

    init(expected: Int?, limit: Int) {
        self.limit = limit
        data = Data(capacity: min(max(expected ?? 0, 0), limit))
    }

    mutating func append(_ chunk: ByteBuffer) throws {
        guard chunk.readableBytes <= limit - data.count else {
            data = Data()
            throw TransportFailure.tooLarge(limitBytes: limit)
        }
        chunk.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            data.append(base.assumingMemoryBound(to: UInt8.self), count: raw.count)
        }
    }
}

/// Receives one answer on its event loop (every callback runs there, one at
/// a time, hence `@unchecked Sendable`): a 3xx ends the exchange at the head
/// (nothing of its body is read), a declared length past the limit ends it
/// before the body, and the body goes into one `BodyCollector` or, for a
/// large find_record answer of known length, into a `FollowingFindDecoder`
/// that reads it on its own thread.
final class CollectingDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = HTTPResponse

    struct Redirect: Error {
        var status: Int
        var location: String
    }

    private let limit: Int
    /// How far the exchange got, read by `send` (from another thread) when
    /// it fails and by the client (the caller's `HeadMark`, if it gave one):
    /// the request's head written — from here on the server may act on it,
    /// whatever happens to the answer — and the answer's head arrived.
    let progress: HeadMark
    private var status = 0
    private var collector: BodyCollector
    /// For find_record: the records are read as the body arrives.
    private var scan: IncrementalFindScan?
    /// For a large find_record answer of known, unencoded length: set at the
    /// head, before any body part, and read by `send` once the exchange ended.
    private(set) var follower: FollowingFindDecoder?

    init(limit: Int, scansFindAnswer: Bool = false, headMark: HeadMark? = nil) {
        self.limit = limit
        self.progress = headMark ?? HeadMark()
        collector = BodyCollector(expected: 0, limit: limit)
        scan = scansFindAnswer ? IncrementalFindScan() : nil
    }

    func didSendRequestHead(task: HTTPClient.Task<HTTPResponse>, _ head: HTTPRequestHead) {
        progress.markWritten()
    }

    func didReceiveHead(task: HTTPClient.Task<HTTPResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status = Int(head.status.code)
        progress.markAnswerBegan()
        if (300..<400).contains(status) {
            return task.eventLoop.makeFailedFuture(Redirect(status: status, location: head.headers.first(name: "location") ?? ""))
        }
        // With gzip, Content-Length is the compressed size: a floor for the buffer, and the inflated bytes are counted as they come.
        let declared = head.headers.first(name: "content-length").flatMap { Int($0) }
        if let declared, declared > limit {
            return task.eventLoop.makeFailedFuture(TransportFailure.tooLarge(limitBytes: limit))
        }
        let encoded = head.headers.first(name: "content-encoding").map { $0.lowercased() != "identity" } ?? false
        if status == 200, scan != nil, !encoded, let declared, declared >= FollowingFindDecoder.minimumBytes {
            follower = FollowingFindDecoder(capacity: declared)
            return task.eventLoop.makeSucceededVoidFuture()
        }
        collector = BodyCollector(expected: declared, limit: limit)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<HTTPResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        do {
            if let follower {
                if follower.append(buffer) { return task.eventLoop.makeSucceededVoidFuture() }
                // More than declared: collect it as any other body, read whole at the end.
                collector = BodyCollector(expected: follower.capacity, limit: limit)
                try collector.append(ByteBuffer(bytes: follower.body))
                follower.abandon()
                self.follower = nil
                scan = nil
            }
            try collector.append(buffer)
            if status == 200 { scan?.advance(collector.data) }
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didReceiveError(task: HTTPClient.Task<HTTPResponse>, _ error: any Error) {
        follower?.abandon()
    }

    deinit { follower?.abandon() }

    func didFinishRequest(task: HTTPClient.Task<HTTPResponse>) throws -> HTTPResponse {
        if let follower {
            follower.complete()
            return HTTPResponse(status: status, body: follower.body)
        }
        var response = HTTPResponse(status: status, body: collector.data)
        if status == 200 { response.prescanned = scan?.finish(collector.data) }
        return response
    }
}

/// Which proxy, if any, a request goes through: `HTTPS_PROXY` for https
/// URLs, `HTTP_PROXY` for http ones (lower-case names win, as in curl),
/// none for hosts `NO_PROXY` names (`*`, exact hosts, `.domain` or `domain`
/// suffixes, `host:port`) and none for loopback.
public struct ProxySettings: Sendable, Equatable {
    public struct Server: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String?
        public var password: String?

        var ahcProxy: HTTPClient.Configuration.Proxy {
            if let user {
                return .server(host: host, port: port, authorization: .basic(username: user, password: password ?? ""))
            }
            return .server(host: host, port: port)
        }
    }

    public enum Route: Sendable, Equatable { case direct, https, http }

    public var https: Server?
    public var http: Server?
    public var noProxy: [String]
    /// Proxy variables that are set but cannot be used (unparsable, or a
    /// scheme wvconsole does not speak): the variable's name → why. A request
    /// that would go through one is refused (`problem(for:)`), never sent
    /// direct behind the operator's back: where direct egress exists, that
    /// would bypass the egress policy the proxy stands for.
    public var unusable: [String: String] = [:]

    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            let v = environment[name.lowercased()] ?? environment[name.uppercased()]
            return v.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        func named(_ name: String) -> String {
            environment[name.lowercased()].map { _ in name.lowercased() } ?? name.uppercased()
        }
        for name in ["https_proxy", "http_proxy"] {
            guard let text = value(name) else { continue }
            switch Self.check(text) {
            case .success(let server): if name == "https_proxy" { https = server } else { http = server }
            case .failure(let why): unusable[named(name)] = why.reason
            }
        }
        noProxy = (value("no_proxy") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }

    struct Unusable: Error {
        var reason: String
    }

    static func parse(_ text: String) -> Server? { try? check(text).get() }

    /// The proxy a variable names, or why it cannot be used (in words that
    /// never repeat the value: it may carry credentials).
    static func check(_ text: String) -> Result<Server, Unusable> {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty else {
            return .failure(Unusable(reason: "is not a proxy URL such as http://proxy.example:3128"))
        }
        let scheme = components.scheme?.lowercased() ?? "http"
        guard scheme == "http" else {
            return .failure(Unusable(reason: "names a \(TerminalText.sanitize(scheme, limit: 12)):// proxy; wvconsole speaks to http:// proxies only"))
        }
        return .success(
            Server(
                host: host, port: components.port ?? 80,
                user: components.user?.removingPercentEncoding, password: components.password?.removingPercentEncoding))
    }

    /// Why a request to `url` cannot go out as configured: its proxy variable
    /// is set but unusable (loopback and NO_PROXY hosts go direct, so never).
    public func problem(for url: URL) -> String? {
        guard !isExempt(url) else { return nil }
        let name = url.scheme?.lowercased() == "https" ? "https_proxy" : "http_proxy"
        guard let (variable, why) = unusable.first(where: { $0.key.lowercased() == name }) else { return nil }
        return "\(variable) \(why); fix it, unset it, or list the host in NO_PROXY."
    }

    /// Loopback, or a host NO_PROXY names.
    func isExempt(_ url: URL) -> Bool {
        var none = self
        none.https = Server(host: "", port: 0)
        none.http = Server(host: "", port: 0)
        return none.routeIgnoringProblems(for: url) == .direct
    }

    public func route(for url: URL) -> Route { routeIgnoringProblems(for: url) }

    func routeIgnoringProblems(for url: URL) -> Route {
        let host = (url.host ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" || host.hasPrefix("127.") { return .direct }
        for entry in noProxy {
            if entry == "*" { return .direct }
            var pattern = entry
            if let colon = pattern.lastIndex(of: ":"), !pattern.contains("]"), pattern.filter({ $0 == ":" }).count == 1 {
                let port = Int(pattern[pattern.index(after: colon)...])
                pattern = String(pattern[..<colon])
                if let port, port != (url.port ?? (url.scheme == "https" ? 443 : 80)) { continue }
            }
            if pattern.hasPrefix("*.") { pattern.removeFirst() }
            if pattern.hasPrefix(".") { pattern.removeFirst() }
            if host == pattern || host.hasSuffix("." + pattern) { return .direct }
        }
        switch url.scheme?.lowercased() {
        case "https": return https == nil ? .direct : .https
        case "http": return http == nil ? .direct : .http
        default: return .direct
        }
    }
}
