/// One terminal cell. A wide character (CJK, emoji) occupies its cell and the
/// next one, which holds `Cell.continuation` so diffing and text dumps stay
/// aligned with what the terminal shows.
public struct Cell: Sendable, Hashable {
    /// The grapheme cluster drawn in this cell ("" for a continuation cell).
    public var grapheme: String
    public var style: Style
    /// 1 for normal, 2 for wide, 0 for the right half of a wide character.
    public var width: UInt8

    public init(_ grapheme: String, style: Style = .plain, width: UInt8 = 1) {
        self.grapheme = grapheme
        self.style = style
        self.width = width
    }

    public static let blank = Cell(" ")
    public static func continuation(style: Style) -> Cell { Cell("", style: style, width: 0) }
}
