/// Bordered panels, the building block of every pane and dialog.
extension Buffer {
    /// Draws a box around `rect` with `title` in the top border (clipped,
    /// never past the corner) and returns the inner area.
    @discardableResult
    public mutating func frame(_ rect: Rect, title: String = "", style: Style, titleStyle: Style? = nil, heavy: Bool = false) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let (h, v, tl, tr, bl, br) = heavy ? ("━", "┃", "┏", "┓", "┗", "┛") : ("─", "│", "┌", "┐", "└", "┘")
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in rect.x...right {
            put(h, x: x, y: rect.y, style: style)
            put(h, x: x, y: bottom, style: style)
        }
        for y in rect.y...bottom {
            put(v, x: rect.x, y: y, style: style)
            put(v, x: right, y: y, style: style)
        }
        put(tl, x: rect.x, y: rect.y, style: style)
        put(tr, x: right, y: rect.y, style: style)
        put(bl, x: rect.x, y: bottom, style: style)
        put(br, x: right, y: bottom, style: style)
        if !title.isEmpty, rect.width > 4 {
            put(" " + DisplayWidth.truncate(title, to: rect.width - 4) + " ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style, maxWidth: rect.width - 2)
        }
        return rect.inset(by: 1)
    }

    /// Clears `rect` and writes `lines` centred in it (used for notices).
    public mutating func centered(_ lines: [String], in rect: Rect, style: Style) {
        fill(rect, style: style)
        let top = rect.y + max(0, (rect.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < rect.maxY {
            let text = DisplayWidth.truncate(line, to: rect.width)
            put(text, x: rect.x + max(0, (rect.width - DisplayWidth.of(text)) / 2), y: top + i, style: style, maxWidth: rect.width)
        }
    }
}

extension Rect {
    /// A rectangle of `width`×`height` centred in this one (clipped to it).
    public func centered(width: Int, height: Int) -> Rect {
        let w = min(width, self.width), h = min(height, self.height)
        return Rect(x: x + (self.width - w) / 2, y: y + (self.height - h) / 2, width: w, height: h)
    }
}
