import Foundation
import Simulator
import Testing
@testable import WolkvoxAPI

/// Property tests for the find_record decoder: thousands of generated
/// answers, valid and mutated. Brief by default (CI); set FUZZ_ITERATIONS
/// for a long run. The fast scanner must never crash, must agree with the
/// general decoder on everything both accept, must accept every valid JSON
/// document, and must turn everything else into a typed error.
@Suite struct DecoderFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 1500

    static let pieces: [String] = [
        "Ana", "María José", "Peñaloza", "山田", "😀", "\u{1B}[31m", "\u{1B}]52;c;eA==\u{07}", "\u{202E}",
        "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{7F}", "ñç", "e\u{301}", "<script>", "'; DROP", "{", "]",
    ]
    static let fields = [
        "customer_name", "customer_last_name", "customer_id", "tel1", "tel2", "tel3", "date", "calls", "conn_id",
        "result", "campaign_id", "opt1", "opt12", "unknown_field",
    ]

    static func randomString(_ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    /// A valid answer built with JSONSerialization (strings, integers, nulls,
    /// nested junk), so the encoding is not ours.
    static func validBody(_ rng: inout SeededRandom) -> Data {
        var rows: [Any] = []
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            var row: [String: Any] = [:]
            for f in fields where Bool.random(using: &rng) {
                switch Int.random(in: 0...9, using: &rng) {
                case 0: row[f] = NSNull()
                case 1: row[f] = Int.random(in: -99_999...9_999_999_999, using: &rng)
                case 2: row[f] = ["nested": [1, "x"]]
                default: row[f] = randomString(&rng)
                }
            }
            rows.append(row)
        }
        var top: [String: Any] = ["msg": randomString(&rng)]
        switch Int.random(in: 0...3, using: &rng) {
        case 0: top["code"] = 200
        case 1: top["code"] = "200"
        case 2: top["code"] = NSNull()
        default: break
        }
        if Bool.random(using: &rng) { top["data"] = rows } else if Bool.random(using: &rng) { top["data"] = rows.first ?? [:] }
        if Bool.random(using: &rng) { top["error"] = randomString(&rng) }
        return try! JSONSerialization.data(withJSONObject: top)
    }

    static func mutate(_ data: Data, _ rng: inout SeededRandom) -> Data {
        var bytes = [UInt8](data)
        let structural: [UInt8] = Array("\"\\,:{}[] a0-".utf8) + [0xFF, 0xC3, 0x00, 0x1B, 0x0A]
        for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0...3, using: &rng) {
            case 0: bytes.removeSubrange(i...)  // truncated
            case 1: bytes.remove(at: i)  // a byte lost
            case 2: bytes.insert(structural.randomElement(using: &rng)!, at: i)  // a byte gained
            default: bytes[i] = structural.randomElement(using: &rng)!  // a byte changed
            }
        }
        return Data(bytes)
    }

    @Test func validAnswersDecodeExactlyAsTheReferenceDecoderReadsThem() throws {
        var rng = SeededRandom(seed: 0x5EED_0001)
        for i in 0..<Self.iterations {
            let body = Self.validBody(&rng)
            let reference = try JSONDecoder().decode(Envelope<CustomerRecord>.self, from: body)
            guard let fast = FindAnswerScanner.scan(body) else {
                Issue.record("iteration \(i): scanner refused valid JSON: \(String(decoding: body, as: UTF8.self))")
                return
            }
            guard fast.rows == reference.data, fast.msg == reference.msg, fast.code == reference.code,
                fast.hasData == reference.hasData, fast.skippedRows == reference.skippedRows
            else {
                Issue.record("iteration \(i): scanner and reference differ on \(String(decoding: body, as: UTF8.self))")
                return
            }
            // Read while arriving, in pieces of a random size: the same answer.
            // (A `data` object is left to the whole scan: nil.)
            let piece = [1, 2, 5, 13, 64, 1_000][i % 6]
            let early = FindAnswerScannerTests.scannedInPieces(body, piece: piece)
            let dataArray = String(decoding: body, as: UTF8.self).contains(#""data":["#)
            guard early == fast || (early == nil && !dataArray) else {
                Issue.record("iteration \(i): read in \(piece)-byte pieces differs on \(String(decoding: body, as: UTF8.self))")
                return
            }
            // Read in two halves on two threads at the end: the same answer.
            let two = ReadInTwoTests.readInTwo(body).0
            guard two == fast || (two == nil && !dataArray) else {
                Issue.record("iteration \(i): read in two halves differs on \(String(decoding: body, as: UTF8.self))")
                return
            }
        }
    }

    @Test func mutatedAnswersNeverCrashAndNeverDisagree() throws {
        var rng = SeededRandom(seed: 0x5EED_0002)
        var refused = 0
        for i in 0..<Self.iterations {
            let body = Self.mutate(Self.validBody(&rng), &rng)
            let fast = FindAnswerScanner.scan(body)
            let reference = try? JSONDecoder().decode(Envelope<CustomerRecord>.self, from: body)
            // Invalid UTF-8 is repaired (U+FFFD) by both, but not identically; compare valid text only.
            let validUTF8 = String(data: body, encoding: .utf8) != nil
            if validUTF8, let reference, let fast,
                fast.rows != reference.data || fast.msg != reference.msg || fast.hasData != reference.hasData || fast.skippedRows != reference.skippedRows
            {
                Issue.record("iteration \(i): disagreement on \(String(decoding: body, as: UTF8.self))")
                return
            }
            // (The reverse — JSONDecoder accepting what the scanner refuses — does
            // happen and is the scanner being right: corelibs-foundation accepts
            // an invalid `\u0,00` escape. Acceptance of valid JSON is the test above.)
            // Through the interpreter every body is an answer or a typed error, for every status.
            for status in [200, 403, 500] {
                do { _ = try ResponseInterpreter.decode(HTTPResponse(status: status, body: body), as: CustomerRecord.self) } catch is APIError {} catch {
                    Issue.record("iteration \(i): untyped error \(error)")
                    return
                }
            }
            // Read while arriving: never an answer the whole scan would not give.
            if let early = FindAnswerScannerTests.scannedInPieces(body, piece: [1, 7, 100][i % 3]), early != fast {
                Issue.record("iteration \(i): read in pieces disagrees on \(String(decoding: body, as: UTF8.self))")
                return
            }
            if let two = ReadInTwoTests.readInTwo(body).0, two != fast {
                Issue.record("iteration \(i): read in two halves disagrees on \(String(decoding: body, as: UTF8.self))")
                return
            }
            if fast == nil { refused += 1 }
        }
        #expect(refused > Self.iterations / 10, "the mutations should break most bodies; only \(refused) were refused")
    }
}
