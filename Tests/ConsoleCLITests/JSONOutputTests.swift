import Foundation
import Testing
import Simulator
@testable import ConsoleCLI
import WolkvoxAPI

/// `find --json` is written by hand for speed; these prove it is the same
/// document JSONEncoder would give, and that nothing in it can act on a
/// terminal it is printed to.
@Suite struct JSONOutputTests {

    /// Pieces a hostile or just international server could send.
    static let pieces = [
        "a", "Z", "0", " ", "ñ", "ç", "ã", "山", "👍🏽", "🇨🇴", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}",
        "\u{1B}[31m", "\u{1B}]52;c;ZXZpbA==\u{07}", "\u{7F}", "\u{9B}", "\u{85}", "\u{202E}", "\u{2066}", "\u{200F}",
        "\u{2028}", "\u{2029}", "\u{61C}", "\u{0}", "e\u{301}", "\u{FEFF}", "\u{10FFFF}",
    ]

    static func text(_ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func answer(seed: UInt64, count: Int, hostile: Bool) -> FindAnswer {
        var rng = SeededRandom(seed: seed)
        func t() -> String { hostile ? text(&rng) : String(Int.random(in: 0...999_999, using: &rng)) }
        var records: [CustomerRecord] = []
        for _ in 0..<count {
            var opts: [String] = []
            for _ in 0..<12 { opts.append(t()) }
            records.append(
                CustomerRecord(
                    customerName: t(), customerLastName: t(), customerID: t(), opts: opts,
                    tel1: t(), tel2: t(), tel3: t(), date: t(), calls: t(), connID: t(),
                    result: t(), campaignID: t()))
        }
        let campaign: String? = hostile ? t() : nil
        return FindAnswer(query: FindQuery(phone: "3001234567", campaignID: campaign), records: records, message: "2 records were found")
    }

    static func encoderBytes(_ a: FindAnswer) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(
            FindCommand.Output(
                query: .init(phone: a.query.phone, customerId: a.query.customerID, campaignId: a.query.campaignID),
                count: a.records.count, capped: a.atCap, message: TerminalText.sanitize(a.message, limit: 200),
                records: a.records.map(JSONOutput.Record.init), unreadable: a.unreadable))
    }

    struct Doc: Decodable, Equatable {
        struct Query: Decodable, Equatable { var phone: String?, customerId: String?, campaignId: String? }
        struct Record: Decodable, Equatable {
            var calls, campaignId, connId, customerId, customerLastName, customerName, date, result, tel1, tel2, tel3: String
            var opt: [String]
        }
        var capped: Bool, command: String, count: Int, message: String, ok: Bool, query: Query, records: [Record]

        static func parse(_ data: Data) throws -> Doc {
            let d = JSONDecoder()
            d.keyDecodingStrategy = .convertFromSnakeCase
            return try d.decode(Doc.self, from: data)
        }
    }

    /// No ESC, DEL, C1 control, bidi control or line separator, raw.
    static func isTerminalSafe(_ bytes: [UInt8]) -> Bool {
        guard let s = String(bytes: bytes, encoding: .utf8) else { return false }
        return !s.unicodeScalars.contains { TerminalSafety.mustEscape($0.value) }
    }

    /// A script can tell an answer cut at the service's maximum from a complete one.
    @Test func aCappedAnswerSaysSo() throws {
        let full = FindAnswer(query: FindQuery(phone: "6015550000"), records: (0..<60_000).map { CustomerRecord(customerID: "C\($0)") }, message: "")
        #expect(try Doc.parse(Data(JSONOutput.findDocument(full))).capped == true)
        #expect(try Doc.parse(Data(JSONOutput.findDocument(Self.answer(seed: 2, count: 5, hostile: false)))).capped == false)
    }

    /// Issue 20: two threads write the records' halves; the bytes are the ones one thread writes.
    @Test(arguments: [(9_001, false), (9_000, true), (1, false), (2, false), (3, true)])
    func twoThreadsWriteTheBytesOneWould(count: Int, hostile: Bool) {
        let a = Self.answer(seed: 11, count: count, hostile: hostile)
        let one = JSONWriter()
        JSONOutput.writeRecords(a.records, into: one, parallelFrom: .max)
        let two = JSONWriter()
        JSONOutput.writeRecords(a.records, into: two, parallelFrom: 1)
        #expect(two.bytes == one.bytes)
        #expect(one.bytes.first == (count > 0 ? UInt8(ascii: "{") : nil))
    }

    @Test func plainDataIsByteForByteWhatJSONEncoderWrites() throws {
        var a = Self.answer(seed: 1, count: 50, hostile: false)
        #expect(JSONOutput.findDocument(a) == Array(try Self.encoderBytes(a)), "same keys, same order, same values")
        a.unreadable = 4
        let document = JSONOutput.findDocument(a)
        #expect(document == Array(try Self.encoderBytes(a)))
        #expect(String(decoding: document, as: UTF8.self).hasSuffix(#"],"unreadable":4}"#), "a script can tell rows were left out")
    }

    @Test(arguments: [UInt64(7), 8, 9, 10]) func hostileDataParsesToTheSameValuesAndIsTerminalSafe(seed: UInt64) throws {
        let a = Self.answer(seed: seed, count: 300, hostile: true)
        let mine = JSONOutput.findDocument(a)
        let reference = try Self.encoderBytes(a)
        let parsedMine = try Doc.parse(Data(mine))
        let parsedReference = try Doc.parse(reference)
        #expect(parsedMine == parsedReference, "the data survives exactly")
        #expect(parsedMine.records.map(\.customerName) == a.records.map(\.customerName))
        #expect(Self.isTerminalSafe(mine))
        #expect(!Self.isTerminalSafe(Array(reference)), "the hostile pieces do reach JSONEncoder's output raw")
        let safe = JSONOutput.terminalSafe(reference)
        #expect(Self.isTerminalSafe(Array(safe)), "…which is why every other --json output goes through terminalSafe")
        #expect(try Doc.parse(safe) == parsedReference)
    }
}
