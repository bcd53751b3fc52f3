import CSupport

/// Server and user text made safe for a terminal: no escape sequences, no
/// control characters, no bidi overrides can reach the screen from data.
public enum TerminalText {
    /// Replaces C0/C1 controls (ESC included, so no CSI/OSC sequence survives),
    /// DEL, bidi embedding/override/isolate marks and other format characters
    /// that can reorder or hide text. Newlines and tabs become spaces.
    /// `limit` caps the result in characters (an ellipsis marks the cut).
    public static func sanitize(_ text: String, limit: Int? = nil) -> String {
        var fast = true
        for b in text.utf8 where b < 0x20 || b == 0x7f || b >= 0x80 {
            fast = false
            break
        }
        if fast {
            guard let limit, text.utf8.count > limit else { return text }
            return String(text.prefix(max(0, limit - 1))) + "…"
        }
        // Latin letters (U+00A0–U+02FF, the soft hyphen aside) hold no control
        // or format character: Spanish and Portuguese names stay as they are
        // without a look at each scalar's category (most of a 60,000-row table).
        var copy = text
        let latin = copy.withUTF8 { wv_plain_latin_length($0.baseAddress, $0.count) }
        if latin >= 0 && latin <= (limit ?? .max) { return text }
        var out = String.UnicodeScalarView()
        var count = 0
        var escape = EscapeState.none
        for scalar in text.unicodeScalars {
            // Drop whole escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL/ST`),
            // not just their ESC, so "\u{1B}[31mRED" shows as "RED".
            switch escape {
            case .none:
                if scalar.value == 0x1B {
                    escape = .start
                    continue
                }
                if scalar.value == 0x9B {
                    escape = .csi
                    continue
                }
                if scalar.value == 0x9D {
                    escape = .osc
                    continue
                }
            case .start:
                escape = scalar == "[" ? .csi : (scalar == "]" || scalar == "P" || scalar == "_" || scalar == "^" ? .osc : .none)
                continue
            case .csi:
                if (0x40...0x7E).contains(scalar.value) { escape = .none }
                if scalar.value >= 0x20 && scalar.value < 0x7F { continue }
                escape = .none
            case .osc:
                if scalar.value == 0x07 || scalar.value == 0x9C {
                    escape = .none
                    continue
                }
                if scalar.value == 0x1B {
                    escape = .oscEnd
                    continue
                }
                continue
            case .oscEnd:
                escape = .none
                if scalar == "\\" { continue }
            }
            if let limit, count >= limit {
                if !out.isEmpty { out.removeLast() }
                out.append("…")
                break
            }
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: out.append("\u{FFFD}")
            case let v where isBidiControl(v): continue
            case 0xFFF9...0xFFFB, 0xFEFF: continue
            default:
                if scalar.properties.generalCategory == .format && scalar.value != 0x200D { continue }
                out.append(scalar)
            }
            count += 1
        }
        return String(out)
    }

    /// Bidi marks, embeddings, overrides and isolates: invisible, and able
    /// to reorder what the terminal shows.
    public static func isBidiControl(_ v: UInt32) -> Bool {
        switch v {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true
        default: false
        }
    }

    enum EscapeState { case none, start, csi, osc, oscEnd }

    /// The first `count` printable characters of a raw body, for error details.
    public static func excerpt(_ bytes: some Sequence<UInt8>, count: Int = 200) -> String {
        let text = String(decoding: Array(bytes.prefix(count * 4)), as: UTF8.self)
        let cleaned = sanitize(text).split(whereSeparator: { $0 == " " }).joined(separator: " ")
        return String(cleaned.prefix(count))
    }
}
