import CSupport
import Foundation

/// The secret that authorises every call. It prints as `<token>` everywhere
/// (description, debugDescription, dump, string interpolation), so it cannot
/// leak into logs, errors or screens by accident; only the request builder
/// reads `secret`.
public struct APIToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    public init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0.isNewline || $0 == "\0" }) else { return nil }
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

    /// `text` with every occurrence of the token replaced by `placeholder`.
    public func redact(_ text: String) -> String {
        text.contains(secret) ? text.replacingOccurrences(of: secret, with: placeholder) : text
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
