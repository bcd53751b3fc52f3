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
    public var rows: [[String]]
    public var rightAligned: Set<Int> = []
    public var maxColumnWidth = 40

    public init(columns: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.rightAligned = rightAligned
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
    private func emit(_ deliver: ([UInt8]) -> Void) {
        let clean = rows.map { $0.map { TerminalText.sanitize($0, limit: 200) } }
        let cellWidths = clean.map { $0.map { DisplayWidth.of($0) } }
        var widths = columns.map { DisplayWidth.of($0) }
        for row in cellWidths {
            for (i, w) in row.enumerated() where i < widths.count {
                widths[i] = min(maxColumnWidth, max(widths[i], w))
            }
        }
        let right = (0..<widths.count).map { rightAligned.contains($0) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16 + 4096)

        func spaces(_ n: Int) { for _ in 0..<max(0, n) { buffer.append(0x20) } }
        func line(_ cells: [String], _ measured: [Int]) {
            let start = buffer.count
            for (i, cell) in cells.enumerated() where i < widths.count {
                if i > 0 {
                    buffer.append(0x20)
                    buffer.append(0x20)
                }
                var text = cell
                var w = measured[i]
                if w > widths[i] {
                    text = DisplayWidth.truncate(cell, to: widths[i])
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
        line(columns, columns.map { DisplayWidth.of($0) })
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        rule.utf8.forEach { buffer.append($0) }
        buffer.append(0x0A)
        for (cells, measured) in zip(clean, cellWidths) { line(cells, measured) }
        deliver(buffer)
    }
}
