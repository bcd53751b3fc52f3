import Foundation

public enum HTTPMethod: String, Sendable, Codable, Equatable {
    case GET, POST, PUT, DELETE
}

/// One HTTP exchange as the API core sees it: no transport types leak out, so
/// tests can record requests and the simulator can be reached over loopback.
public struct HTTPRequest: Sendable, Equatable, CustomStringConvertible {
    public var method: HTTPMethod
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    /// The answer is a find_record envelope: a transport that can may decode
    /// its records while the body arrives (`HTTPResponse.prescanned`).
    public var answerIsFindRecord = false

    public init(method: HTTPMethod, url: URL, headers: [String: String], body: Data?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Never prints the token: this is what logs and error details may show.
    public var description: String {
        "\(method.rawValue) \(url.absoluteString)"
    }

    public var bodyText: String {
        body.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: Data
    /// For a 3xx: where the server wanted the request to go (never followed).
    public var redirectLocation: String?
    /// A find_record answer decoded while it arrived, exactly as scanning
    /// `body` would give; nil when the transport did not, or could not.
    var prescanned: FindAnswerScanner.Result?

    public init(status: Int, body: Data, redirectLocation: String? = nil) {
        self.status = status
        self.body = body
        self.redirectLocation = redirectLocation
    }
}

/// Transport-level failures, before any HTTP status exists.
public enum TransportFailure: Error, Sendable, Equatable {
    case timedOut
    case connection(String)
    /// The answer had begun (its head arrived) when the connection dropped.
    case connectionLost(String)
    case cancelled
    /// The answer passed the transport's size limit and was cut off.
    case tooLarge(limitBytes: Int)
    /// The exchange ended before the request's head was written to the
    /// connection (refused, a proxy's 407 or refused CONNECT, a header the
    /// library refuses, a cancel while connecting): the server cannot have
    /// acted on it.
    indirect case beforeSending(TransportFailure)
}

public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse
    /// True when `send` itself ends the exchange at `timeout` (and closes the
    /// connection) without a Swift task having to run; otherwise the client
    /// races it against its own timer.
    var enforcesDeadline: Bool { get }
    /// True when `send` marks `HeadMark.current` the moment the request's
    /// head is written: until then a cancel stops the request (the server
    /// has seen nothing); after it the request runs on to its end.
    /// Otherwise a request counts as sent once it has its permit.
    var reportsRequestHead: Bool { get }
}

extension HTTPTransport {
    public var enforcesDeadline: Bool { false }
    public var reportsRequestHead: Bool { false }
}

public enum WolkvoxHeader {
    public static let token = "wolkvox-token"
    public static let contentType = "Content-Type"
}

extension Duration {
    /// Seconds as a Double, for APIs that still take TimeInterval.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
