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

    /// True when `text` contains the token; for tests and secret scanners.
    public func occurs(in text: String) -> Bool { text.contains(secret) }
}
