import CSupport
import Foundation

/// The secret that authorises every call. It prints as `<token>` everywhere
/// (description, debugDescription, dump, string interpolation), so it cannot
/// leak into logs, errors or screens by accident; only the request builder
/// reads `secret`.
public struct APIToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    public init?(_ raw: String) {
        guard let token = try? APIToken(checking: Data(raw.utf8)) else { return nil }
        self = token
    }

    /// Why a token was refused, in words that never include it.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        /// More than one line (a token is one line; the file may hold a trailing newline).
        case severalLines
        /// Not UTF-8 text at all.
        case notText
        /// A byte outside visible ASCII (`!`…`~`) at this 1-based position:
        /// a control byte, DEL, a space inside it, or a non-ASCII character.
        case invisible(position: Int)

        public var description: String {
            switch self {
            case .empty: "is empty"
            case .severalLines: "holds more than one line; a token is one line"
            case .notText: "is not UTF-8 text"
            case .invisible(let p): "has a character that is not visible ASCII at position \(p) (a control character, a space, or a non-ASCII letter); tokens are visible ASCII only"
            }
        }
    }

    /// The token from a file's or a variable's bytes: surrounding spaces and
    /// one trailing line break are dropped; anything outside visible ASCII
    /// (`!`…`~`, what Wolkvox tokens are made of) is refused, since an HTTP
    /// library would write such a header value back in an escaped spelling
    /// that no redaction of the literal bytes catches.
    public init(checking bytes: Data) throws {
        guard let text = String(data: bytes, encoding: .utf8) else { throw Problem.notText }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Problem.empty }
        if trimmed.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" || $0 == "\u{85}" || $0 == "\u{2028}" }) {
            throw Problem.severalLines
        }
        for (i, b) in trimmed.utf8.enumerated() where !(0x21...0x7E).contains(b) {
            throw Problem.invisible(position: trimmed.utf8.prefix(i).count + 1)
        }
        secret = trimmed
    }

    public var description: String { "<token>" }
    public var debugDescription: String { "<token>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// A stable, non-reversible identifier (first 16 hex digits of SHA-256),
    /// used to key quota counters without ever storing the token.
    public var fingerprint: String {
        String(SHA256.hex(of: Array(secret.utf8)).prefix(16))
    }

    /// What stands in for the token wherever a server echoed it.
    public var placeholder: String { "<token \(fingerprint)>" }

    /// `text` with every occurrence of the token replaced by `placeholder`,
    /// also where it is spelled with JSON escapes (`ab\/cd`, PHP's default
    /// for `/`; `\u0041`): a raw answer's excerpt shows the text as the
    /// server wrote it, and an echo so spelled must not survive in it. Such
    /// an excerpt is then shown unescaped.
    public func redact(_ text: String) -> String {
        var out = text.contains(secret) ? text.replacingOccurrences(of: secret, with: placeholder) : text
        if out.utf8.contains(UInt8(ascii: "\\")), let plain = Self.jsonUnescaped(out), plain.contains(secret) {
            out = plain.replacingOccurrences(of: secret, with: placeholder)
        }
        return out
    }

    /// A decoded field that may carry the token (an echo in a record's name
    /// or note): fields shorter than the token are passed over at once.
    func redact(field: inout String) {
        guard field.utf8.count >= secret.utf8.count, field.contains(secret) else { return }
        field = field.replacingOccurrences(of: secret, with: placeholder)
    }

    /// `text` with JSON string escapes resolved (`\/`, `\\`, `\"`, `\n`…,
    /// `\uXXXX` with surrogate pairs); nil when it has none that resolve.
    static func jsonUnescaped(_ text: String) -> String? {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var changed = false
        var pendingHigh: UInt32?
        func hex4() -> UInt32? {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let c = scalars.next(), let d = UInt32(String(c), radix: 16) else { return nil }
                v = v * 16 + d
            }
            return v
        }
        while let c = scalars.next() {
            guard c == "\\", let e = scalars.next() else {
                out.append(c)
                continue
            }
            changed = true
            switch e {
            case "/", "\\", "\"": out.append(e)
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "u":
                guard let v = hex4() else {
                    out.append(c)
                    out.append(e)
                    continue
                }
                if (0xD800...0xDBFF).contains(v) {
                    pendingHigh = v
                    continue
                }
                if (0xDC00...0xDFFF).contains(v), let high = pendingHigh {
                    pendingHigh = nil
                    if let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00)) { out.append(s) }
                    continue
                }
                if let s = Unicode.Scalar(v) { out.append(s) }
            default:
                out.append(c)
                out.append(e)
            }
            pendingHigh = nil
        }
        return changed ? String(out) : nil
    }

    /// `bytes` with every occurrence of the token's UTF-8 bytes replaced by
    /// `placeholder`: done on a raw answer before it is decoded, so no
    /// excerpt can keep half a token after a cut.
    public func redact(_ bytes: Data) -> Data { redactCounting(bytes).data }

    /// `redact`, and how many occurrences it replaced.
    func redactCounting(_ bytes: Data) -> (data: Data, hits: Int) {
        let needle = Array(secret.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return (bytes, 0) }
        var hits: [Int] = []
        // memmem(3) (SIMD in glibc): the whole of a 25 MB answer in a few ms.
        bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            needle.withUnsafeBytes { n in
                guard let base = raw.baseAddress else { return }
                var i = 0
                while i + needle.count <= raw.count, let hit = wv_memmem(base + i, raw.count - i, n.baseAddress!, n.count) {
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    hits.append(at)
                    i = at + needle.count
                }
            }
        }
        guard !hits.isEmpty else { return (bytes, 0) }
        var out = Data(capacity: bytes.count)
        let replacement = Data(placeholder.utf8)
        var start = bytes.startIndex
        for hit in hits {
            out.append(bytes[start..<(bytes.startIndex + hit)])
            out.append(replacement)
            start = bytes.startIndex + hit + needle.count
        }
        out.append(bytes[start...])
        return (out, hits.count)
    }

    /// True when `text` contains the token; for tests and secret scanners.
    public func occurs(in text: String) -> Bool { text.contains(secret) }
}
