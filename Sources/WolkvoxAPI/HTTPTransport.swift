import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public enum HTTPMethod: String, Sendable, Codable, Equatable {
    case GET, POST, PUT, DELETE
}

/// One HTTP exchange as the API core sees it: no URLSession types leak out, so
/// tests can record requests and the simulator can be reached over loopback.
public struct HTTPRequest: Sendable, Equatable, CustomStringConvertible {
    public var method: HTTPMethod
    public var url: URL
    public var headers: [String: String]
    public var body: Data?

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

    /// The request minus its secret, as the outbox journals it.
    public var redactedHeaders: [String: String] {
        var copy = headers
        if copy[WolkvoxHeader.token] != nil { copy[WolkvoxHeader.token] = "<redacted>" }
        return copy
    }

    public var bodyText: String {
        body.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Transport-level failures, before any HTTP status exists.
public enum TransportFailure: Error, Sendable, Equatable {
    case timedOut
    case connection(String)
    case cancelled
}

public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse
}

public enum WolkvoxHeader {
    public static let token = "wolkvox-token"
    public static let contentType = "Content-Type"
}

/// URLSession (FoundationNetworking) transport. Each request gets its own
/// timeout; cancellation of the calling task cancels the data task.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // URLSession is thread-safe; it is only immutable state here.
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.timeoutIntervalForResource = 60
        configuration.httpMaximumConnectionsPerHost = 2
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = timeout.seconds
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body

        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        continuation.resume(throwing: Self.map(error))
                        return
                    }
                    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    continuation.resume(returning: HTTPResponse(status: status, body: data ?? Data()))
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    static func map(_ error: Error) -> TransportFailure {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain {
            switch nsError.code {
            case NSURLErrorTimedOut: return .timedOut
            case NSURLErrorCancelled: return .cancelled
            default: break
            }
        }
        return .connection(nsError.localizedDescription)
    }
}

/// Holds the data task so a cancellation that races its creation still cancels it.
private final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func set(_ task: URLSessionDataTask) {
        lock.lock(); defer { lock.unlock() }
        self.task = task
        if cancelled { task.cancel() }
    }

    func cancel() {
        lock.lock(); defer { lock.unlock() }
        cancelled = true
        task?.cancel()
    }
}

extension Duration {
    /// Seconds as a Double, for APIs that still take TimeInterval.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
