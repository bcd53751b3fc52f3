import CSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Terminal column widths, computed the way ncurses (and therefore the
/// terminal) computes them: the C library's `wcwidth` for each scalar, with a
/// grapheme cluster (e + combining accent, emoji ZWJ sequence, flag) drawn as
/// one unit. Using any other table would let cells and screen disagree.
public enum DisplayWidth {
    /// `wcwidth` only knows non-ASCII characters under a UTF-8 `LC_CTYPE`.
    /// The app sets the locale from the environment before ncurses starts;
    /// this makes tests and non-UTF-8 environments agree with it.
    private static let localeReady: Bool = {
        if let current = setlocale(LC_CTYPE, nil), String(cString: current).uppercased().contains("UTF-8") {
            return true
        }
        if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        return true
    }()

    /// Width of one grapheme cluster: 0, 1 or 2.
    public static func of(_ grapheme: Character) -> Int {
        if grapheme.isASCII {
            guard let v = grapheme.asciiValue else { return 1 }  // "\r\n" cluster
            return (v >= 0x20 && v < 0x7F) ? 1 : 0
        }
        _ = localeReady
        let scalars = grapheme.unicodeScalars
        var width = 0
        for scalar in scalars {
            // VS16 asks for emoji presentation, which terminals draw two wide.
            if scalar.value == 0xFE0F { return 2 }
            if scalar.properties.isEmojiPresentation { return 2 }
            let w = Int(wv_wcwidth(scalar.value))
            if w > width { width = w }
        }
        return width
    }

    /// Total width of a string in columns.
    public static func of(_ text: some StringProtocol) -> Int {
        // Fast path for ASCII and the Latin letters of Spanish and Portuguese
        // names (U+00A0–U+02FF, below the combining marks): one scalar, one
        // grapheme, one column — no grapheme breaking or wcwidth needed.
        // Measured: a 60,000-row CLI table spent most of its time here.
        let plain = text.utf8.withContiguousStorageIfAvailable { wv_plain_latin_length($0.baseAddress, $0.count) } ?? -1
        if plain >= 0 { return plain }
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    /// The longest prefix of `text` that fits in `columns`, with "…" when cut.
    public static func truncate(_ text: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns { return text }
        let budget = ellipsis ? columns - 1 : columns
        var used = 0
        var out = ""
        for ch in text {
            let w = of(ch)
            if used + w > budget { break }
            used += w
            out.append(ch)
        }
        return ellipsis ? out + "…" : out
    }

    /// `text` padded with spaces (or truncated) to exactly `columns`.
    public static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: columns)
        let gap = max(0, columns - of(cut))
        let spaces = String(repeating: " ", count: gap)
        return alignRight ? spaces + cut : cut + spaces
    }
}

public enum TerminalLocale {
    /// Whether the locale the terminal is in (LC_ALL, else LC_CTYPE, else LANG) is UTF-8,
    /// so block glyphs can be drawn; ASCII stands in for them otherwise.
    public static func isUTF8(_ env: [String: String]) -> Bool {
        let ctype = [env["LC_ALL"], env["LC_CTYPE"], env["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        return ctype.uppercased().replacingOccurrences(of: "-", with: "").contains("UTF8")
    }
}
