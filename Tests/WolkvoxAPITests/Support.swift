import Foundation
import Testing
@testable import WolkvoxAPI

/// A transport that records every request and answers from a script, so the
/// request contract can be checked byte for byte without a network.
actor RecordingTransport: HTTPTransport {
    typealias Responder = @Sendable (HTTPRequest, Int) async throws -> HTTPResponse
    private(set) var requests: [HTTPRequest] = []
    private(set) var inFlight = 0
    private(set) var peakInFlight = 0
    private let responder: Responder

    init(_ responder: @escaping Responder) { self.responder = responder }

    init(status: Int = 200, body: String) {
        self.responder = { _, _ in HTTPResponse(status: status, body: Data(body.utf8)) }
    }

    nonisolated func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        let index = await begin(request)
        // Counted out before returning: a decrement left to a detached Task
        // could run after the gate let the next request in, and the test
        // would see a peak the client never caused.
        do {
            let response = try await responder(request, index)
            await end()
            return response
        } catch {
            await end()
            throw error
        }
    }

    private func begin(_ request: HTTPRequest) -> Int {
        requests.append(request)
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
        return requests.count - 1
    }

    private func end() { inFlight -= 1 }
}

enum Fixture {
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try data(name), as: UTF8.self)
    }
}

let testToken = APIToken("tok-SECRET-123456")!

func makeClient(
    _ transport: any HTTPTransport, journal: any MutationJournal = MemoryJournal(),
    meter: (any CallMeter)? = nil, readOnly: Bool = false, limit: Int = 1,
    timeout: Duration = .seconds(60), timeZone: TimeZone = TimeZone(identifier: "America/Bogota")!
) throws -> WolkvoxClient {
    WolkvoxClient(
        endpoint: try ServiceEndpoint(server: "0025"), token: testToken, transport: transport,
        gate: TokenGate(limit: limit), journal: journal, meter: meter, readOnly: readOnly,
        timeout: timeout, readRetryDelay: .milliseconds(10), timeZone: timeZone)
}

extension HTTPRequest {
    /// Query items in order, decoded.
    var queryItems: [(String, String)] {
        (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }
    }
    var path: String { url.path }
    var rawQuery: String { url.query ?? "" }
    var bodyString: String { body.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}

func jsonObject(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}
