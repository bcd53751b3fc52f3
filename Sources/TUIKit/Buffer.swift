/// A grid of cells that screens render into. Pure value: no terminal needed,
/// so every screen is testable as text (`Buffer.text`).
public struct Buffer: Sendable, Equatable {
    public private(set) var size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        self.cells = Array(repeating: fill, count: self.size.width * self.size.height)
    }

    public var width: Int { size.width }
    public var height: Int { size.height }
    public var area: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set {
            let i = y * size.width + x
            // Overwriting half of a wide character blanks the other half, so a
            // dialog drawn over CJK text never leaves a half glyph behind.
            if cells[i].width == 0 && newValue.width != 0 && x > 0 && cells[i - 1].width == 2 {
                cells[i - 1] = Cell(" ", style: cells[i - 1].style)
            }
            if cells[i].width == 2 && newValue.width != 2 && x + 1 < size.width && cells[i + 1].width == 0 {
                cells[i + 1] = Cell(" ", style: cells[i + 1].style)
            }
            cells[i] = newValue
        }
    }

    /// Fill a rectangle (clipped to the buffer) with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 { for x in x0..<x1 { self[x, y] = Cell(" ", style: style) } }
    }

    /// Write `text` at (x, y), never past `maxWidth` columns or the buffer's
    /// edge. A wide character that would straddle the limit becomes a space,
    /// so nothing is ever half-drawn. Control characters are shown as `?`
    /// (callers sanitize server text first; this is the last line of defence).
    /// Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height, x < size.width else { return 0 }
        let limit = min(size.width, x + (maxWidth ?? size.width))
        var col = x
        for ch in text {
            if col >= limit { break }
            var grapheme = String(ch)
            var w = DisplayWidth.of(ch)
            if w == 0 {
                if ch.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control || $0.value < 0x20 }) {
                    grapheme = "?"
                    w = 1
                } else {
                    continue  // zero-width formatting: drop rather than misplace
                }
            }
            if col < 0 {
                col += w
                continue
            }
            if col + w > limit {
                self[col, y] = Cell(" ", style: style)
                col += 1
                break
            }
            self[col, y] = Cell(grapheme, style: style, width: UInt8(w))
            if w == 2 { self[col + 1, y] = .continuation(style: style) }
            col += w
        }
        return max(0, col - x)
    }

    /// One row as plain text (continuation cells skipped).
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<size.width {
            let c = self[x, y]
            if c.width == 0 { continue }
            s += c.grapheme
        }
        return s
    }

    /// The whole buffer as text, one line per row with trailing spaces
    /// removed — the format of the snapshot files.
    public var text: String {
        (0..<size.height).map { line($0).replacingTrailingSpaces() }.joined(separator: "\n")
    }

    /// The cells to draw to turn `previous` into this buffer, row by row:
    /// every cell when there is no previous frame or its size differs, else
    /// those that changed. The continuation half of a wide character is never
    /// listed (drawing the character covers it), but a cell that was such a
    /// half and now holds its own character is.
    public func diff(from previous: Buffer?) -> [CellChange] {
        let full = previous?.size != size
        var changes: [CellChange] = []
        for y in 0..<size.height {
            for x in 0..<size.width {
                let cell = cells[y * size.width + x]
                if cell.width == 0 { continue }
                if !full, let previous, previous.cells[y * size.width + x] == cell { continue }
                changes.append(CellChange(x: x, y: y, cell: cell))
            }
        }
        return changes
    }
}

extension String {
    public func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// One cell to draw at (x, y).
public struct CellChange: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var cell: Cell
}
