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
