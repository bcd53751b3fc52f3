/// Input events as the app sees them, whatever the backend.
public enum Key: Sendable, Hashable {
    case char(Character)
    /// Ctrl + a letter, lower-cased (`ctrl("c")`).
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    /// The terminal changed size; the backend has already updated its size.
    case resize

    /// A key that types a character into a text field.
    public var isTypedText: Bool {
        if case .char = self { return true }
        return false
    }
}
