import TUIKit
import WolkvoxAPI

/// Aligned human tables for the terminal, with widths measured the way the
/// terminal measures them (accents one column, CJK two) and server text
/// sanitized. Scripts should use `--json` instead of parsing these.
public struct TextTable {
    public var columns: [String]
    public var rows: [[String]]
    public var rightAligned: Set<Int> = []
    public var maxColumnWidth = 40

    public init(columns: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.columns = columns; self.rows = rows; self.rightAligned = rightAligned
    }

    public func render() -> String {
        let clean = rows.map { $0.map { TerminalText.sanitize($0, limit: 200) } }
        var widths = columns.map { DisplayWidth.of($0) }
        for row in clean {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = min(maxColumnWidth, max(widths[i], DisplayWidth.of(cell)))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                DisplayWidth.pad(c, to: widths[i], alignRight: rightAligned.contains(i))
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
        var out = [line(columns), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += clean.map(line)
        return out.joined(separator: "\n")
    }
}
