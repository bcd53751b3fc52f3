import Foundation
import Testing

@testable import WolkvoxAPI

/// The raw-answer redaction every body passes through before it is decoded.
@Suite struct TokenRedactionTests {
    let token = APIToken("s3cr3t-t0k3n")!

    @Test func everyOccurrenceIsReplacedAndCounted() {
        let p = token.placeholder
        let cases: [(String, String, Int)] = [
            ("no token here", "no token here", 0),
            ("s3cr3t-t0k3n", p, 1),
            ("s3cr3t-t0k3ns3cr3t-t0k3n", p + p, 2),
            ("a s3cr3t-t0k3n b s3cr3t-t0k3n", "a \(p) b \(p)", 2),
            ("ends with s3cr3t-t0k3", "ends with s3cr3t-t0k3", 0),
            ("ss3cr3t-t0k3nn", "s\(p)n", 1),
            ("s3cr3t", "s3cr3t", 0),
        ]
        for (input, expected, hits) in cases {
            let (out, n) = token.redactCounting(Data(input.utf8))
            #expect(String(decoding: out, as: UTF8.self) == expected, "\(input)")
            #expect(n == hits, "\(input)")
        }
    }

    /// A slice of a larger buffer (non-zero startIndex) is redacted in place of its own bytes.
    @Test func aSliceIsReadFromItsOwnStart() {
        let whole = Data("xxxx{\"m\":\"s3cr3t-t0k3n\"}yyyy".utf8)
        let slice = whole[4..<(whole.count - 4)]
        let (out, n) = token.redactCounting(slice)
        #expect(n == 1)
        #expect(String(decoding: out, as: UTF8.self) == "{\"m\":\"\(token.placeholder)\"}")
    }

    /// 25 MB with one token in the last bytes: found, and only it.
    @Test func aLargeAnswerWithOneTokenAtTheEnd() {
        var bytes = Data(repeating: UInt8(ascii: "s"), count: 25_000_000)
        bytes.append(contentsOf: Array("s3cr3t-t0k3n".utf8))
        let (out, n) = token.redactCounting(bytes)
        #expect(n == 1)
        #expect(out.count == 25_000_000 + token.placeholder.utf8.count)
    }
}

/// A token echoed with JSON escapes — `\/` as PHP writes `/` by default,
/// `\u0045` — is put back together only when the answer is decoded: it is
/// redacted in every decoded text (records, message, error) and in the raw
/// excerpt an error keeps.
@Suite struct EscapedTokenEchoTests {
    static let token = APIToken("ab/cd+ef/SECRET99")!

    static func client(_ body: String, status: Int = 200) throws -> WolkvoxClient {
        WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "0025"), token: token, transport: RecordingTransport(status: status, body: body),
            gate: TokenGate(limit: 1), journal: MemoryJournal(), readRetryDelay: .milliseconds(10))
    }

    @Test(arguments: [#"ab\/cd+ef\/SECRET99"#, #"\u0061b\/cd\u002bef/SECRET99"#, #"ab/cd+ef\/\u0053ECRET99"#])
    func anEscapedEchoInARecordIsRedacted(spelling: String) async throws {
        let body = #"{"code":"200","error":null,"msg":"echo \#(spelling)","data":[{"customer_id":"CC1","customer_name":"x \#(spelling) y","opt3":"\#(spelling)","tel1":"3001234567"}]}"#
        let answer = try await Self.client(body).find(FindQuery(customerID: "CC1"))
        let r = try #require(answer.records.first)
        for text in [r.customerName, r.opts[2], answer.message] {
            #expect(!Self.token.occurs(in: text), "\(text)")
        }
        #expect(r.customerName == "x \(Self.token.placeholder) y")
        #expect(r.opts[2] == Self.token.placeholder)
    }

    @Test func anEscapedEchoInAnErrorsExcerptIsRedacted() async throws {
        let body = #"{"code":"500","error":"token ab\/cd+ef\/SECRET99 refused","msg":"ab\/cd+ef\/SECRET99","data":[]}"#
        let error = await #expect(throws: APIError.self) { try await Self.client(body, status: 500).find(FindQuery(customerID: "CC1")) }
        let text = [error?.detail?.serverMessage, error?.detail?.excerpt, error.map { String(describing: $0) }].compactMap { $0 }
        #expect(!text.isEmpty)
        for t in text { #expect(!Self.token.occurs(in: t), "\(t)") }
    }

    @Test func theUnescapingIsJSONs() {
        #expect(APIToken.jsonUnescaped(#"a\/b\\c\"d\u00f1\ud83d\ude00\n"#) == "a/b\\c\"dñ😀\n")
        #expect(APIToken.jsonUnescaped("plain") == nil)
        #expect(APIToken.jsonUnescaped(#"bad \uZZ ab\/cd"#)?.contains("ab/cd") == true)
    }
}
