/// Colours and text attributes, independent of any terminal library.
///
/// Themes resolve named slots to these; the backend maps them to whatever
/// the terminal offers (256 colours, 16, 8 or none under `NO_COLOR`).
public enum TermColor: Sendable, Hashable {
    /// The terminal's own default foreground/background.
    case `default`
    /// One of the 256 xterm palette entries (0–15 are the ANSI colours).
    case indexed(UInt8)
    /// A 24-bit colour; backends map it to the nearest palette entry.
    case rgb(UInt8, UInt8, UInt8)
}

public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)
}

public struct Style: Sendable, Hashable {
    public var foreground: TermColor
    public var background: TermColor
    public var attributes: TextAttributes

    public init(foreground: TermColor = .default, background: TermColor = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()
}
