import Foundation
import Testing
import Simulator
import WolkvoxAPI
@testable import ConsoleCLI

/// Property tests for the CSV importer: generated files with every quoting
/// hazard round-trip exactly (values and line numbers), every row ends up a
/// record or a named problem, and garbage never crashes. Seeded; brief by
/// default, FUZZ_ITERATIONS for a long run.
@Suite struct CSVFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 400

    static let pieces = [
        "Ana", "a,b", "\"quoted\"", "two\nlines", "crlf\r\nline", " padded ", "Peñaloza", "山田", "😀", "=1+2", "@SUM(A1)",
        "\u{1B}[31m", "\u{202E}", "300 123 4567", "3001234567", "+57 300", "abc", "", ";", "\t",
    ]

    static func value(_ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func quote(_ v: String) -> String {
        v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) || v.hasPrefix(" ") || v.hasSuffix(" ")
            ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    @Test func generatedFilesRoundTripWithExactLineNumbers() throws {
        var rng = SeededRandom(seed: 0xC5F_0001)
        for i in 0..<Self.iterations {
            var header = ["tel1"] + NewRecord.fieldNames.filter { $0 != "tel1" }.shuffled(using: &rng).prefix(Int.random(in: 0...6, using: &rng))
            header.shuffle(using: &rng)
            var text = header.joined(separator: ",") + "\n"
            var expected: [(line: Int, fields: [String: String])] = []
            var line = 2
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                var fields: [String: String] = [:]
                for h in header { fields[h] = Self.value(&rng) }
                if fields["tel1"]!.trimmingCharacters(in: .whitespaces).isEmpty { fields["tel1"] = "3001234567" }
                text += header.map { Self.quote(fields[$0]!) }.joined(separator: ",") + (Bool.random(using: &rng) ? "\n" : "\r\n")
                expected.append((line, fields))
                line += 1 + header.reduce(0) { $0 + fields[$1]!.filter { $0 == "\n" || $0 == "\r\n" }.count }
            }
            let table = try CSVTable.parse(text, name: "fuzz\(i).csv")
            if i % 10 == 0 {
                // The streaming file reader the bulk commands use reads the same rows and lines.
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID()).csv")
                try Data(text.utf8).write(to: url)
                defer { try? FileManager.default.removeItem(at: url) }
                let streamed = try CSVTable.read(url)
                #expect(streamed.rows.map(\.line) == table.rows.map(\.line) && streamed.rows.map(\.fields) == table.rows.map(\.fields), "iteration \(i)")
            }
            guard table.rows.count == expected.count else {
                Issue.record("iteration \(i): \(table.rows.count) rows, expected \(expected.count)\n\(text)")
                return
            }
            for (got, want) in zip(table.rows, expected) {
                guard got.line == want.line, got.fields == want.fields else {
                    Issue.record("iteration \(i): line \(got.line) vs \(want.line), \(got.fields) vs \(want.fields)\n\(text)")
                    return
                }
            }
            // Every row is either a record to send or a problem naming its line; never both, never neither.
            let loaded = try RecordCSV.load(table)
            #expect(loaded.records.count + loaded.problems.count == table.rows.count)
            #expect(Set(loaded.problems.map(\.line)).isDisjoint(with: loaded.lines))
            #expect(Set(loaded.problems.map(\.line)).union(loaded.lines) == Set(expected.map(\.line)))
            for r in loaded.records { #expect(!r["tel1"].isEmpty && (try? Validate.phone(r["tel1"])) == r["tel1"]) }
        }
    }

    @Test func garbageIsAReadErrorOrATableNeverACrash() {
        var rng = SeededRandom(seed: 0xC5F_0002)
        let alphabet: [UInt8] = Array("\",\r\n abc1\u{7F}".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF]
        for _ in 0..<Self.iterations {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let table = try CSVTable.parse(text)
                _ = try? RecordCSV.load(table)
                _ = try? DNCCSV.load(table, defaultDays: 30)
            } catch is CSVTable.ReadError {
            } catch {
                Issue.record("untyped error \(error) for \(bytes)")
            }
        }
    }
}
