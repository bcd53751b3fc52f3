import Foundation
import SafeTOML
import TOMLKit

/// Named colour slots, loaded from `themes/*.toml`:
///
/// ```toml
/// name = "dark"
/// [colors]                 # each slot: "fg" or "fg on bg"; colours are names
/// text = "white"           # (black red green yellow blue magenta cyan white,
/// muted = "244"            #  bright-*, default), 0–255, or "#rrggbb"
/// selection = "black on #5fafd7"
/// [attributes]             # optional: bold, dim, underline, reverse, italic
/// header = "bold"
/// ```
///
/// Under `NO_COLOR` (or a terminal without colours) `Theme.monochrome` is
/// used instead: attributes only, still readable.
public struct Theme: Sendable, Equatable {
    public enum Slot: String, CaseIterable, Sendable {
        case background, text, muted, border, borderFocused = "border_focused", header, selection, marked, accent
        case success, warning, danger, badgeDemo = "badge_demo", badgeReadOnly = "badge_readonly"
    }

    public var name: String
    public var styles: [Slot: Style]

    public init(name: String, styles: [Slot: Style]) {
        self.name = name
        self.styles = styles
    }

    /// A slot's style; one without a background of its own takes the theme's
    /// `background`, so a light theme paints its own white page instead of
    /// dark text on whatever the terminal's default background is.
    public subscript(_ slot: Slot) -> Style {
        var style = styles[slot] ?? styles[.text] ?? .plain
        if style.background == .default, slot != .background, let page = styles[.background]?.background, page != .default { style.background = page }
        return style
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Parses a theme file's text. Unknown slots or colours are errors that
    /// name the line's key, so a typo does not silently fall back.
    public static func parse(_ text: String, name fallbackName: String) throws -> Theme {
        let table: TOMLTable
        do { table = try SafeTOML.table(text) } catch { throw LoadError(description: "theme \(fallbackName): not valid TOML") }
        var theme = Theme.dark
        theme.name = table["name"]?.string ?? fallbackName
        if let colors = table["colors"]?.table {
            for key in colors.keys {
                guard let slot = Slot(rawValue: key) else { throw LoadError(description: "theme \(theme.name): unknown slot \"\(key)\"") }
                guard let spec = colors[key]?.string, let style = parseColors(spec) else {
                    throw LoadError(description: "theme \(theme.name): cannot read colour for \(key)")
                }
                theme.styles[slot] = Style(foreground: style.0, background: style.1, attributes: theme[slot].attributes)
            }
        }
        if let attrs = table["attributes"]?.table {
            for key in attrs.keys {
                guard let slot = Slot(rawValue: key) else { throw LoadError(description: "theme \(theme.name): unknown slot \"\(key)\"") }
                var a: TextAttributes = []
                for word in (attrs[key]?.string ?? "").split(whereSeparator: { $0 == " " || $0 == "," }) {
                    switch word {
                    case "bold": a.insert(.bold)
                    case "dim": a.insert(.dim)
                    case "underline": a.insert(.underline)
                    case "reverse": a.insert(.reverse)
                    case "italic": a.insert(.italic)
                    case "none": break
                    default: throw LoadError(description: "theme \(theme.name): unknown attribute \"\(word)\"")
                    }
                }
                theme.styles[slot, default: .plain].attributes = a
            }
        }
        return theme
    }

    /// "fg" or "fg on bg".
    static func parseColors(_ spec: String) -> (TermColor, TermColor)? {
        let parts = spec.components(separatedBy: " on ")
        guard let fg = parseColor(parts[0]) else { return nil }
        let bg = parts.count > 1 ? parseColor(parts[1]) : .default
        guard let bg else { return nil }
        return (fg, bg)
    }

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    public static func parseColor(_ raw: String) -> TermColor? {
        let s = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "default" || s.isEmpty { return .default }
        if let i = names.firstIndex(of: s) { return .indexed(UInt8(i)) }
        if s.hasPrefix("bright-"), let i = names.firstIndex(of: String(s.dropFirst(7))) { return .indexed(UInt8(i + 8)) }
        if let n = Int(s), (0...255).contains(n) { return .indexed(UInt8(n)) }
        if s.hasPrefix("#"), s.count == 7, let v = UInt32(s.dropFirst(), radix: 16) {
            return .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        }
        return nil
    }

    /// Loads `name` from the user's themes dir, then the bundled `themes/`
    /// dirs given, or a path to a .toml file; built-in dark if none.
    public static func load(_ nameOrPath: String, searchPaths: [URL]) throws -> Theme {
        if nameOrPath.hasSuffix(".toml") || nameOrPath.contains("/") {
            guard let text = try? String(contentsOfFile: nameOrPath, encoding: .utf8) else {
                throw LoadError(description: "theme file \(nameOrPath) cannot be read")
            }
            return try parse(text, name: URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent)
        }
        for dir in searchPaths {
            let url = dir.appendingPathComponent(nameOrPath + ".toml")
            if let text = try? String(contentsOf: url, encoding: .utf8) { return try parse(text, name: nameOrPath) }
        }
        if let builtin = builtins[nameOrPath] { return builtin }
        throw LoadError(description: "no theme named \"\(nameOrPath)\" (try dark, light or high-contrast)")
    }

    public static var builtins: [String: Theme] { ["dark": .dark, "light": .light, "high-contrast": .highContrast, "mono": .monochrome] }
}
