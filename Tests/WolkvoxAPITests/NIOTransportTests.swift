import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import WolkvoxAPI

/// The NIO transport against a raw HTTP/1.1 server on loopback that writes
/// the answer exactly as told: in 1-byte or 64 KiB pieces, chunked or with
/// Content-Length, slowly, or stopping mid-body.
@Suite struct NIOTransportTests {
    static func findBody(rows: Int) -> Data {
        var s = #"{"code":"200","error":null,"msg":"\#(rows) records were found","data":["#
        s.reserveCapacity(rows * 400)
        for i in 0..<rows {
            if i > 0 { s += "," }
            s += #"{"customer_name":"Nombre \#(i) Peñaloza","customer_last_name":"Apellido 山田","customer_id":"CC\#(100_000 + i)","#
            s += #""opt1":"uno","opt2":"dos \"q\"","tel1":"300\#(1_000_000 + i)","tel2":"","tel3":null,"date":"2024-05-01 10:00:00","#
            s += #""calls":"\#(i % 7)","conn_id":"c\#(i)","result":"No answer","campaign_id":"\#(100 + i % 4)"}"#
        }
        s += "]}"
        return Data(s.utf8)
    }

    static func client(
        _ server: RawHTTPServer, transport: NIOTransport = NIOTransport.shared,
        timeout: Duration = .seconds(60)
    ) throws -> WolkvoxClient {
        WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "sim", baseURL: URL(string: "http://127.0.0.1:\(server.port)/api/v2/")!),
            token: testToken, transport: transport, gate: TokenGate(limit: 1), journal: MemoryJournal(),
            timeout: timeout, readRetryDelay: .milliseconds(10))
    }

    @Test(arguments: [(1, true), (1, false), (65_536, true), (65_536, false)])
    func aBodyInAnyPiecesDecodesTheSame(piece: Int, chunked: Bool) async throws {
        // 1-byte pieces: 25 rows (10 KB, tens of thousands of loop turns); more
        // kept the shared event loops busy for seconds and delayed other suites.
        let body = Self.findBody(rows: piece == 1 ? 25 : 3_000)
        let server = try await RawHTTPServer.start { _ in .answer(body, piece: piece, chunked: chunked) }
        let answer = try await Self.client(server).find(FindQuery(phone: "3001234567"))
        let expected = try #require(FindAnswerScanner.scan(body))
        #expect(answer.records == expected.rows)
        // The transport read the records while they arrived, identically.
        var request = HTTPRequest(method: .GET, url: URL(string: "http://127.0.0.1:\(server.port)/api/v2/x")!, headers: [:], body: nil)
        request.answerIsFindRecord = true
        let raw = try await NIOTransport.shared.send(request, timeout: .seconds(60))
        #expect(raw.prescanned?.rows.count == expected.rows.count, "decoded while receiving")
        #expect(raw.prescanned == expected)
        #expect(answer.records.count == (piece == 1 ? 25 : 3_000))
        #expect(answer.records[21].customerLastName == "Apellido 山田")
        await server.stop()
    }

    /// Records read while arriving are dropped when the raw bytes held the
    /// token: they are read again from the redacted bytes.
    @Test func aTokenInARecordIsRedactedThoughTheRecordsWereReadEarly() async throws {
        let secret = testToken.secret
        let body = Data(#"{"code":"200","msg":"1 records were found","data":[{"customer_id":"A1","customer_name":"echo \#(secret) here"}]}"#.utf8)
        let server = try await RawHTTPServer.start { _ in .answer(body, piece: 7, chunked: false) }
        let answer = try await Self.client(server).find(FindQuery(phone: "3001234567"))
        let name = try #require(answer.records.first?.customerName)
        #expect(!testToken.occurs(in: name))
        #expect(name == "echo \(testToken.placeholder) here")
        await server.stop()
    }

    @Test func theRequestCarriesTheTokenInTheHeaderAndAnEncodedQuery() async throws {
        let server = try await RawHTTPServer.start { _ in .answer(Self.findBody(rows: 1), piece: 65_536, chunked: false) }
        _ = try await Self.client(server).find(FindQuery(customerID: "A B&C=ñ"))
        let head = try #require(server.stats.heads.first)
        #expect(head.hasPrefix("GET /api/v2/campaign.php?"))
        #expect(head.contains("customer_id=A%20B%26C%3D%C3%B1"), "\(head)")
        #expect(head.lowercased().contains("wolkvox-token: \(testToken.secret.lowercased())"))
        let requestLine = head.split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(!testToken.occurs(in: requestLine), "the token is never in the URL")
        #expect(head.lowercased().contains("accept-encoding: deflate, gzip"), "gzip is inflated by NIO under the size limit")
        await server.stop()
    }

    /// A transport on an event loop of its own, shut down after `body`: the
    /// tests that time a close measure this transport, not the load other
    /// suites put on NIO's shared loops (a 16 MB answer, a gzip bomb inflating).
    static func withOwnTransport<T>(maxBodyBytes: Int = NIOTransport.defaultMaxBodyBytes, _ body: (NIOTransport) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let transport = NIOTransport(maxBodyBytes: maxBodyBytes, environment: [:], eventLoopGroup: group)
        do {
            let value = try await body(transport)
            await transport.shutdown()
            try await group.shutdownGracefully()
            return value
        } catch {
            await transport.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Polls `done` every 5 ms for up to `limit`: evidence, not a fixed sleep.
    static func within(_ limit: Duration, _ done: () -> Bool) async throws -> Bool {
        let start = ContinuousClock.now
        while !done() {
            if ContinuousClock.now - start > limit { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Esc mid-body: the server is only sending (its work is done), so the
    /// connection is closed at once — the transfer stops far short of the
    /// body — and the permit is free for the next search.
    @Test func cancellingMidBodyFreesThePermitAndStopsTheTransfer() async throws {
        let big = Self.findBody(rows: 60_000)
        let small = Self.findBody(rows: 3)
        let server = try await RawHTTPServer.start { path in
            path.contains("slow")
                ? .answer(big, piece: 65_536, chunked: false, pause: .milliseconds(100))
                : .answer(small, piece: 65_536, chunked: false)
        }
        try await Self.withOwnTransport { transport in
            let client = try Self.client(server, transport: transport)
            let search = Task { try await client.find(FindQuery(customerID: "slow")) }
            // Wait until the body is flowing (paced over ~26 s), then press Esc.
            while server.stats.bytesSent < 300_000 { try await Task.sleep(for: .milliseconds(5)) }
            search.cancel()
            let outcome = await search.result
            #expect(throws: APIError.cancelled) { try outcome.get() }
            // The one permit is free again: the next search is answered.
            let next = try await client.find(FindQuery(customerID: "quick"))
            #expect(next.records.count == 3)
            #expect(try await Self.within(.seconds(15)) { server.stats.aborted }, "the connection was closed, not left to AHC's own timers")
            #expect(server.stats.bytesSent < big.count / 2, "sent \(server.stats.bytesSent) of \(big.count)")
        }
        await server.stop()
    }

    @Test func aServerThatStopsSendingMidBodyHitsTheDeadline() async throws {
        let body = Self.findBody(rows: 2_000)
        let server = try await RawHTTPServer.start { _ in .stall(body, after: body.count / 3) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let transport = NIOTransport(environment: [:], eventLoopGroup: group)
        let lateness = LoopLateness(on: group.next(), every: .milliseconds(20))
        let client = try Self.client(server, transport: transport, timeout: .milliseconds(1_500))
        let error = await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "3001234567")) }
        #expect(error == .timeout(seconds: 2))
        let closed = try await Self.within(.seconds(10)) { server.stats.aborted }
        let late = lateness.stop()
        let afterHead = server.stats.closedAt.flatMap { c in server.stats.headAt.map { (c - $0).nanoseconds / 1_000_000 } }
        #expect(closed, "the stalled connection was closed (\(server.stats.heads.count) request heads seen; loop up to \(late) ms late)")
        print("stopped body: closed \(afterHead ?? -1) ms after the request arrived (deadline 1,500 ms; loop up to \(late) ms late)")
        await transport.shutdown()
        try await group.shutdownGracefully()
        await server.stop()
    }

    /// The deadline is kept on NIO's event loop, not by a timer on the
    /// cooperative pool: the stalled connection is closed at the caller's
    /// deadline, measured by the server on its own event loop from the
    /// request's arrival (the deadline began before it). How late the
    /// transport's loop ran meanwhile (a probe every 20 ms) is allowed for: a
    /// machine too busy to run the loop is not a transport that forgot to close.
    @Test func theTransportClosesAStalledBodyAtTheCallersDeadline() async throws {
        let body = Self.findBody(rows: 2_000)
        let server = try await RawHTTPServer.start { _ in .stall(body, after: body.count / 3) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let transport = NIOTransport(environment: [:], eventLoopGroup: group)
        let request = HTTPRequest(method: .GET, url: URL(string: "http://127.0.0.1:\(server.port)/api/v2/x")!, headers: [:], body: nil)
        let lateness = LoopLateness(on: group.next(), every: .milliseconds(20))
        await #expect(throws: TransportFailure.timedOut) { try await transport.send(request, timeout: .seconds(1)) }
        #expect(transport.enforcesDeadline)
        #expect(try await Self.within(.seconds(15)) { server.stats.closedAt != nil }, "the server saw the connection close")
        let late = lateness.stop()
        let closed = try #require(server.stats.closedAt)
        let headAt = try #require(server.stats.headAt, "the request reached the server before its deadline")
        let afterHead = (closed - headAt).nanoseconds / 1_000_000
        #expect(afterHead > 500, "not long before the deadline: \(afterHead) ms")
        #expect(afterHead < 1_500 + late, "closed \(afterHead) ms after the request arrived, the deadline being 1,000 ms; the loop ran up to \(late) ms late")
        print("stalled body: closed \(afterHead) ms after the request arrived (deadline 1,000 ms; loop up to \(late) ms late)")
        await transport.shutdown()
        try await group.shutdownGracefully()
        await server.stop()
    }

    /// AHC is given the caller's deadline itself (it used to be 2 s later, a
    /// backstop behind a pool timer that a busy pool could run late).
    @Test func ahcIsGivenTheCallersOwnDeadline() {
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        #expect(NIOTransport.deadline(after: .seconds(60), from: now) == now + .seconds(60))
        #expect(NIOTransport.deadline(after: .milliseconds(1_500), from: now) == now + .milliseconds(1_500))
        #expect(NIOTransport.deadline(after: .seconds(10 * 86_400), from: now) == now + .hours(24), "capped at a day")
    }

    @Test func aDeclaredLengthPastTheLimitIsRefusedBeforeTheBody() async throws {
        let body = Self.findBody(rows: 3_000)
        let server = try await RawHTTPServer.start { _ in .answer(body, piece: 65_536, chunked: false) }
        let transport = NIOTransport(maxBodyBytes: 100_000)
        let error = await #expect(throws: APIError.self) { try await Self.client(server, transport: transport).find(FindQuery(phone: "3001234567")) }
        #expect(error == .answerTooLarge(limitBytes: 100_000))
        // Chunked (no length given): cut off when it passes the limit.
        let chunked = try await RawHTTPServer.start { _ in .answer(body, piece: 65_536, chunked: true) }
        let cut = await #expect(throws: APIError.self) { try await Self.client(chunked, transport: transport).find(FindQuery(phone: "3001234567")) }
        #expect(cut == .answerTooLarge(limitBytes: 100_000))
        await transport.shutdown()
        await server.stop()
        await chunked.stop()
    }

    @Test func aBodyCutShortIsAnErrorNotARecordList() async throws {
        let body = Self.findBody(rows: 500)
        let server = try await RawHTTPServer.start { _ in .closeEarly(body, after: body.count / 2) }
        try await Self.withOwnTransport { transport in
            let error = await #expect(throws: APIError.self) { try await Self.client(server, transport: transport).find(FindQuery(phone: "3001234567")) }
            #expect(error?.kind == "network" || error?.kind == "malformed_response", "\(String(describing: error))")
        }
        await server.stop()
    }

    /// A connection that drops once the answer has begun is "lost", in
    /// words a supervisor reads as such; a server nobody answers at is "unreachable".
    @Test func aDropMidAnswerIsALostConnectionNotAnUnreachableServer() async throws {
        let body = Self.findBody(rows: 500)
        let server = try await RawHTTPServer.start { _ in .closeEarly(body, after: body.count / 2) }
        try await Self.withOwnTransport { transport in
            let lost = await #expect(throws: APIError.self) { try await Self.client(server, transport: transport).find(FindQuery(phone: "3001234567")) }
            guard case .connectionLost = lost else {
                Issue.record("expected connectionLost, got \(String(describing: lost))")
                return
            }
            #expect(lost?.kind == "network", "the same kind and exit status as before, for scripts")
            #expect(lost?.explanation == "The connection dropped before the whole answer arrived.")
            // A port bound by this test and never listened on: refused, and no
            // other test's server can take it meanwhile (a stopped server's
            // port can be, and then it answers, or stalls, in its place).
            let closed = try ClosedPort()
            let nobody = try WolkvoxClient(
                endpoint: ServiceEndpoint(server: "sim", baseURL: URL(string: "http://127.0.0.1:\(closed.port)/api/v2/")!),
                token: testToken, transport: transport, gate: TokenGate(limit: 1), journal: MemoryJournal(), timeout: .seconds(40))
            let asked = ContinuousClock.now
            let unreachable = await #expect(throws: APIError.self) { try await nobody.find(FindQuery(phone: "3001234567")) }
            #expect(ContinuousClock.now - asked < .seconds(10), "a refused connect is reported at once, not at the 40 s deadline")
            guard case .network(let why) = unreachable else {
                Issue.record("expected network, got \(String(describing: unreachable))")
                return
            }
            #expect(why == "connection refused", "the system's words, not NIO's nesting: \(why)")
            withExtendedLifetime(closed) {}
        }
        await server.stop()
    }

    @Test func proxiesComeFromTheEnvironment() {
        let env = [
            "HTTPS_PROXY": "http://user:p%40ss@proxy.corp:3128", "http_proxy": "proxy.corp:8080",
            "NO_PROXY": "internal.example, .corp.example,wolkvox.local:8443",
        ]
        let p = ProxySettings(environment: env)
        #expect(p.https == .init(host: "proxy.corp", port: 3128, user: "user", password: "p@ss"))
        #expect(p.http == .init(host: "proxy.corp", port: 8080, user: nil, password: nil))
        #expect(p.route(for: URL(string: "https://wv0025.wolkvox.com/api/v2/campaign.php")!) == .https)
        #expect(p.route(for: URL(string: "http://wv0025.wolkvox.com/x")!) == .http)
        #expect(p.route(for: URL(string: "https://internal.example/x")!) == .direct)
        #expect(p.route(for: URL(string: "https://api.corp.example/x")!) == .direct)
        #expect(p.route(for: URL(string: "https://wolkvox.local:8443/x")!) == .direct)
        #expect(p.route(for: URL(string: "https://wolkvox.local/x")!) == .https)
        #expect(p.route(for: URL(string: "http://127.0.0.1:8080/x")!) == .direct, "loopback is never proxied")
        #expect(ProxySettings(environment: ["NO_PROXY": "*", "HTTPS_PROXY": "p:1"]).route(for: URL(string: "https://a.b/")!) == .direct)
        #expect(ProxySettings(environment: [:]).route(for: URL(string: "https://a.b/")!) == .direct)
    }

    /// A proxy variable that is set but cannot be used is an error naming the
    /// variable — never its value, which may carry credentials — not a silent
    /// direct connection; loopback and NO_PROXY hosts are not affected.
    @Test(arguments: ["http://u:secretpw@[bad", "socks5://u:secretpw@proxy.corp:1080", "https://u:secretpw@proxy.corp:443"])
    func anUnusableProxyIsAnErrorNotADirectConnection(value: String) {
        let p = ProxySettings(environment: ["HTTPS_PROXY": value])
        let problem = p.problem(for: URL(string: "https://wv0025.wolkvox.com/api/v2/")!)
        #expect(problem?.hasPrefix("HTTPS_PROXY ") == true, "\(problem ?? "accepted")")
        #expect(problem.map { !$0.contains("secretpw") && !$0.contains("u:") } == true, "never the value: \(problem ?? "")")
        #expect(p.problem(for: URL(string: "https://127.0.0.1:8080/api/v2/")!) == nil, "loopback always goes direct")
        #expect(ProxySettings(environment: ["https_proxy": value, "NO_PROXY": ".wolkvox.com"]).problem(for: URL(string: "https://wv0025.wolkvox.com/")!) == nil)
        #expect(ProxySettings(environment: ["https_proxy": value]).problem(for: URL(string: "https://a.b/")!)?.hasPrefix("https_proxy ") == true)
        #expect(ProxySettings(environment: ["HTTPS_PROXY": "http://proxy.corp:3128"]).problem(for: URL(string: "https://a.b/")!) == nil)
    }
}

/// A minimal HTTP/1.1 server on loopback that answers every request with
/// the plan it is given, writing the bytes itself.
final class RawHTTPServer: Sendable {
    enum Plan: Sendable {
        case answer(Data, piece: Int, chunked: Bool, pause: Duration = .zero)
        /// Head with the full Content-Length, the first `after` bytes, then silence.
        case stall(Data, after: Int)
        /// Head with the full Content-Length, the first `after` bytes, then close.
        case closeEarly(Data, after: Int)
    }

    final class Stats: @unchecked Sendable {
        private let lock = NSLock()
        private var _sent = 0, _aborted = false, _heads: [String] = []
        private var _closedAt: NIODeadline?, _headAt: NIODeadline?
        var bytesSent: Int { lock.withLock { _sent } }
        var aborted: Bool { lock.withLock { _aborted } }
        var heads: [String] { lock.withLock { _heads } }
        /// When the connection closed, read on the server's event loop (not
        /// in a test task that may be starved).
        var closedAt: NIODeadline? { lock.withLock { _closedAt } }
        func sent(_ n: Int) { lock.withLock { _sent += n } }
        func abort() { lock.withLock { _aborted = true } }
        func head(_ h: String) {
            lock.withLock {
                _heads.append(h)
                _headAt = _headAt ?? .now()
            }
        }
        /// When the first request head arrived, on the server's event loop.
        var headAt: NIODeadline? { lock.withLock { _headAt } }
        func closed() { lock.withLock { _closedAt = _closedAt ?? .now() } }
    }

    let channel: any Channel
    let stats: Stats
    /// Its own event loop: the server's writes (a 1-byte-piece answer is tens
    /// of thousands of loop turns) never delay the client's loops or another
    /// suite's server, which share NIO's singleton group.
    let group: MultiThreadedEventLoopGroup
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel, stats: Stats, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.stats = stats
        self.group = group
    }

    static func start(_ plan: @escaping @Sendable (String) -> Plan) async throws -> RawHTTPServer {
        let stats = Stats()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(plan: plan, stats: stats))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RawHTTPServer(channel: channel, stats: stats, group: group)
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let plan: @Sendable (String) -> Plan
        let stats: Stats
        var head = ""
        var open = true
        var finished = false

        init(plan: @escaping @Sendable (String) -> Plan, stats: Stats) {
            self.plan = plan
            self.stats = stats
        }

        func channelInactive(context: ChannelHandlerContext) {
            open = false
            stats.closed()
            if !finished { stats.abort() }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            head += buffer.readString(length: buffer.readableBytes) ?? ""
            guard let end = head.range(of: "\r\n\r\n") else { return }
            let request = String(head[..<end.lowerBound])
            head = String(head[end.upperBound...])
            stats.head(request)
            let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            switch plan(path) {
            case .answer(let body, let piece, let chunked, let pause):
                let lengthOrChunked = chunked ? "Transfer-Encoding: chunked" : "Content-Length: \(body.count)"
                write(context, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\(lengthOrChunked)\r\n\r\n")
                send(context, body, from: 0, upTo: body.count, piece: piece, chunked: chunked, pause: pause, then: .finish)
            case .stall(let body, let after):
                write(context, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n")
                send(context, body, from: 0, upTo: after, piece: 65_536, chunked: false, pause: .zero, then: .hold)
            case .closeEarly(let body, let after):
                write(context, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n")
                send(context, body, from: 0, upTo: after, piece: 65_536, chunked: false, pause: .zero, then: .close)
            }
        }

        enum After { case finish, hold, close }

        private func write(_ context: ChannelHandlerContext, _ text: String) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
        }

        private func send(
            _ context: ChannelHandlerContext, _ body: Data, from: Int, upTo: Int, piece: Int, chunked: Bool,
            pause: Duration, then after: After
        ) {
            guard open else {
                stats.abort()
                return
            }
            if from >= upTo {
                switch after {
                case .finish:
                    finished = true
                    if chunked { write(context, "0\r\n\r\n") }
                case .hold: break
                case .close: context.close(promise: nil)
                }
                return
            }
            let end = min(from + piece, upTo)
            var buffer = context.channel.allocator.buffer(capacity: end - from + 16)
            if chunked { buffer.writeString(String(end - from, radix: 16) + "\r\n") }
            buffer.writeBytes(body[from..<end])
            if chunked { buffer.writeString("\r\n") }
            let loop = context.eventLoop.assumeIsolated()
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { result in
                switch result {
                case .success:
                    self.stats.sent(end - from)
                    let next = { self.send(context, body, from: end, upTo: upTo, piece: piece, chunked: chunked, pause: pause, then: after) }
                    if pause > .zero {
                        loop.scheduleTask(in: .nanoseconds(Int64(pause.seconds * 1e9))) { next() }
                    } else {
                        loop.execute { next() }
                    }
                case .failure:
                    self.stats.abort()
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            stats.abort()
            context.close(promise: nil)
        }
    }
}

/// A loopback TCP port bound and never listened on, for as long as this
/// lives: a connect to it is refused, and no other server can take it.
final class ClosedPort {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard fd >= 0, bound == 0 else { throw CancellationError() }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// How late an event loop runs a task scheduled on it: a probe every
/// `every`, the worst lateness (ms) kept until `stop()`.
final class LoopLateness: @unchecked Sendable {
    private let lock = NSLock()
    private var worst: Int64 = 0
    private var task: RepeatedTask?

    init(on loop: any EventLoop, every: TimeAmount) {
        var due = NIODeadline.now() + every
        task = loop.scheduleRepeatedTask(initialDelay: every, delay: every) { [self] _ in
            let now = NIODeadline.now()
            let ms = (now - due).nanoseconds / 1_000_000
            lock.withLock { worst = max(worst, ms) }
            due = now + every
        }
    }

    func stop() -> Int64 {
        task?.cancel()
        return lock.withLock { worst }
    }
}
