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
    /// Mouse wheel or click, when mouse support is on.
    case mouse(MouseEvent)
}

public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(kind: Kind, x: Int, y: Int) { self.kind = kind; self.x = x; self.y = y }
}
