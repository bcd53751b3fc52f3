/// What the app needs from a terminal. `NCursesBackend` implements it on
/// ncursesw; tests use `TestBackend`, which just keeps the last frame.
///
/// Backends are driven from the main actor only: ncurses keeps global state.
@MainActor
public protocol TerminalBackend: AnyObject {
    /// Current size in cells.
    var size: Size { get }
    /// How many colours the terminal offers (0 under `NO_COLOR` or `TERM=dumb`).
    var colorCount: Int { get }
    /// Draw `buffer`, sending only the cells that differ from the last frame.
    func draw(_ buffer: Buffer)
    /// Forget the last frame so the next `draw` repaints everything (Ctrl-L).
    func invalidate()
    /// Wait up to `timeoutMilliseconds` for a key; nil on timeout.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Write raw bytes to the terminal, e.g. an OSC 52 clipboard sequence
    /// the app built itself (never server text).
    func writeRaw(_ bytes: String)
    /// Leave the terminal as it was found. Safe to call more than once.
    func restore()
    /// Ctrl-Z: hand the terminal back to the shell until resumed.
    func suspend()
}

extension TerminalBackend {
    public func suspend() {}
}

public struct Size: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)×\(height)" }
}

public struct Rect: Sendable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func inset(by n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}
