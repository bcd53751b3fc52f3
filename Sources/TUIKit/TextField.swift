/// A one-line editable field: cursor movement, insert/delete, Ctrl-U/Ctrl-K/
/// Ctrl-W, horizontal scrolling that keeps the cursor visible, and wide
/// characters kept whole. Value type, so dialogs can test it without a terminal.
public struct TextField: Sendable, Equatable {
    public private(set) var text: [Character]
    public private(set) var cursor: Int
    public var maxLength: Int

    public init(_ text: String = "", maxLength: Int = 256) {
        self.text = Array(text.prefix(maxLength))
        self.cursor = self.text.count
        self.maxLength = maxLength
    }

    public var value: String { String(text) }

    public mutating func set(_ s: String) {
        text = Array(s.prefix(maxLength))
        cursor = text.count
    }

    /// Applies an editing key; returns false for keys it does not handle.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            guard text.count < maxLength, !c.isNewline, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return true }
            text.insert(c, at: cursor)
            cursor += 1
        case .backspace:
            if cursor > 0 {
                text.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete, .ctrl("d"):
            if cursor < text.count { text.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"):
            text.removeFirst(cursor)
            cursor = 0
        case .ctrl("k"): text.removeLast(text.count - cursor)
        case .ctrl("w"):
            var i = cursor
            while i > 0, text[i - 1] == " " { i -= 1 }
            while i > 0, text[i - 1] != " " { i -= 1 }
            text.removeSubrange(i..<cursor)
            cursor = i
        default: return false
        }
        return true
    }

    /// Draws the field in `width` columns, scrolled so the cursor shows; the
    /// cursor cell is drawn reversed when `focused`.
    public func render(into buffer: inout Buffer, x: Int, y: Int, width: Int, style: Style, focused: Bool, placeholder: String = "") {
        guard width > 0 else { return }
        buffer.fill(Rect(x: x, y: y, width: width, height: 1), style: style)
        if text.isEmpty && !placeholder.isEmpty && !focused {
            var muted = style
            muted.attributes.insert(.dim)
            buffer.put(placeholder, x: x, y: y, style: muted, maxWidth: width)
        }
        // Scroll: start far enough right that the text up to the cursor fits.
        var start = 0
        var used = text[..<cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        while used > width - 1 && start < cursor {
            used -= DisplayWidth.of(text[start])
            start += 1
        }
        var col = x
        for i in start..<text.count {
            let w = DisplayWidth.of(text[i])
            if col + w > x + width { break }
            var s = style
            if focused && i == cursor { s.attributes.insert(.reverse) }
            buffer.put(String(text[i]), x: col, y: y, style: s, maxWidth: x + width - col)
            col += max(w, 1)
        }
        if focused && cursor == text.count && col < x + width {
            var s = style
            s.attributes.insert(.reverse)
            buffer.put(" ", x: col, y: y, style: s)
        }
    }
}
