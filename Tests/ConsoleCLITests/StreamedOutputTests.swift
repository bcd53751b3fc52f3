import Foundation
import Testing
@testable import ConsoleCLI
import WolkvoxAPI
import TUIKit

/// `find` output streamed through the 1 MiB writer is the same bytes as the
/// document built whole, across many flushes.
@Suite struct StreamedOutputTests {
    static func captured(_ write: (Int32) -> Void) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wv-stream-\(UUID().uuidString)").path
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        #expect(fd >= 0)
        write(fd)
        close(fd)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: [false, true]) func streamedJSONIsTheWholeDocument(hostile: Bool) throws {
        let a = JSONOutputTests.answer(seed: 3, count: hostile ? 3_000 : 12_000, hostile: hostile)
        let whole = JSONOutput.findDocument(a)
        #expect(whole.count > 2 * StdoutWriter.chunk || hostile, "several flushes: \(whole.count) bytes")
        let streamed = try Self.captured { JSONOutput.printFind(a, fd: $0) }
        #expect(streamed == whole + [0x0A])
    }

    @Test func streamedTableIsTheRenderedTable() throws {
        let names = ["Ana", "Peñaloza Ñúñez", "山田 太郎", "x\u{1B}[31mred", "", String(repeating: "W", count: 60)]
        let rows = (0..<20_000).map { i in [names[i % names.count], "CC\(i)", "300\(i) 601\(i)", i % 5 == 0 ? "" : "no-answer", "\(i % 9)", "", ""] }
        let table = TextTable(columns: ["name", "id", "phones", "result", "calls", "date", "campaign"], rows: rows, rightAligned: [4])
        let streamed = try Self.captured { fd in
            var out = StdoutWriter(fd: fd)
            table.write(to: &out)
            out.flush()
        }
        #expect(streamed == Array((table.render() + "\n").utf8))
        let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 20_002)
        #expect(!lines.contains { $0.hasSuffix(" ") }, "no trailing spaces")
        #expect(table.render() == Self.previousRender(table), "the same bytes as the String-based table it replaced")
    }

    /// The table `find` builds (cells asked for by row and column) is the
    /// table of the same rows given whole, short rows included.
    @Test func cellsAskedForAreTheRowsGivenWhole() {
        let rows: [[String]] = (0..<500).map { i in
            let full = ["Peñaloza \(i)", "CC\(i)", i % 7 == 0 ? "" : "300\(i)", "x\u{1B}[2J", String(repeating: "W", count: i % 60)]
            return Array(full.prefix(i % 11 == 0 ? 2 : 5))
        }
        let columns = ["name", "id", "phones", "result", "notes"]
        let whole = TextTable(columns: columns, rows: rows, rightAligned: [1])
        let asked = TextTable(columns: columns, count: rows.count, rightAligned: [1]) { r, c in c < rows[r].count ? rows[r][c] : nil }.render()
        #expect(asked == Self.previousRender(whole), "the String-based render it replaced")
        #expect(asked.split(separator: "\n").count == 502)
        #expect(!asked.contains("\u{1B}"))
    }

    /// The String-based render this table replaced, as it was.
    static func previousRender(_ t: TextTable) -> String {
        let clean = t.rows.map { $0.map { TerminalText.sanitize($0, limit: 200) } }
        var widths = t.columns.map { DisplayWidth.of($0) }
        for row in clean {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = min(t.maxColumnWidth, max(widths[i], DisplayWidth.of(cell)))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                DisplayWidth.pad(c, to: widths[i], alignRight: t.rightAligned.contains(i))
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
        var out = [line(t.columns), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += clean.map(line)
        return out.joined(separator: "\n")
    }
}
