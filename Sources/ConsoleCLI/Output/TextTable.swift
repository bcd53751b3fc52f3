import TUIKit
import WolkvoxAPI

/// Aligned human tables for the terminal, with widths measured the way the
/// terminal measures them (accents one column, CJK two) and server text
/// sanitized. Scripts should use `--json` instead of parsing these.
///
/// Lines are built as bytes (a 60,000-row `find` table is ~8 MB): each
/// cell's width is measured once, cells are copied and padded in place, and
/// `write(to:)` streams the lines through one buffered writer.
public struct TextTable {
    public var columns: [String]
    public var rightAligned: Set<Int> = []
    public var maxColumnWidth = 40
    private let rowCount: Int
    /// Row r's cell c; nil past the end of a short row.
    private let cell: (Int, Int) -> String?

    public init(columns: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.init(columns: columns, count: rows.count, rightAligned: rightAligned) { r, c in c < rows[r].count ? rows[r][c] : nil }
    }

    /// Cells asked for as they are measured and written, for tables of up
    /// to 60,000 rows: no array of cells per row is built or kept.
    public init(columns: [String], count: Int, rightAligned: Set<Int> = [], cell: @escaping (Int, Int) -> String?) {
        self.columns = columns
        self.rowCount = count
        self.rightAligned = rightAligned
        self.cell = cell
    }

    /// The rows as given (for tests).
    var rows: [[String]] {
        (0..<rowCount).map { r in (0..<columns.count).compactMap { cell(r, $0) } }
    }

    public func render() -> String {
        var bytes: [UInt8] = []
        emit { bytes.append(contentsOf: $0) }
        if bytes.last == 0x0A { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The table and a final newline, through `out`.
    func write(to out: inout StdoutWriter) {
        var sink = out
        emit { sink.append($0) }
        out = sink
    }

    /// Every line, each ending in "\n", handed over in pieces of ≤ ~64 KiB.
    /// Each cell is asked for, sanitized and measured once, into two flat
    /// arrays (not an array of cells per row: 60,000 of those were most of a
    /// large table's time); the lines are then copied and padded in place.
    private func emit(_ deliver: ([UInt8]) -> Void) {
        let n = columns.count
        var cells: [String?] = []
        var measured: [Int] = []
        cells.reserveCapacity(rowCount * n)
        measured.reserveCapacity(rowCount * n)
        var widths = columns.map { DisplayWidth.of($0) }
        for r in 0..<rowCount {
            for c in 0..<n {
                let text = cell(r, c).map { TerminalText.sanitize($0, limit: 200) }
                let w = text.map { DisplayWidth.of($0) } ?? 0
                if text != nil { widths[c] = min(maxColumnWidth, max(widths[c], w)) }
                cells.append(text)
                measured.append(w)
            }
        }
        let right = (0..<n).map { rightAligned.contains($0) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16 + 4096)

        func spaces(_ count: Int) { for _ in 0..<max(0, count) { buffer.append(0x20) } }
        func line(_ cellAt: (Int) -> (String, Int)?) {
            let start = buffer.count
            for i in 0..<n {
                guard var (text, w) = cellAt(i) else { break }
                if i > 0 {
                    buffer.append(0x20)
                    buffer.append(0x20)
                }
                if w > widths[i] {
                    text = DisplayWidth.truncate(text, to: widths[i])
                    w = DisplayWidth.of(text)
                }
                if right[i] { spaces(widths[i] - w) }
                text.withUTF8 { buffer.append(contentsOf: $0) }
                if !right[i] { spaces(widths[i] - w) }
            }
            // Trailing spaces are trimmed, as a terminal would not show them.
            while buffer.count > start && buffer.last == 0x20 { buffer.removeLast() }
            buffer.append(0x0A)
            if buffer.count >= 1 << 16 {
                deliver(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        line { (columns[$0], DisplayWidth.of(columns[$0])) }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        rule.utf8.forEach { buffer.append($0) }
        buffer.append(0x0A)
        for r in 0..<rowCount {
            line { c in cells[r * n + c].map { ($0, measured[r * n + c]) } }
        }
        deliver(buffer)
    }
}
