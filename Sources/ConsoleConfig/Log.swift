import Foundation
import Logging
import WolkvoxAPI

/// swift-log, bootstrapped once per process to a file — never the screen,
/// which the console owns. `$XDG_STATE_HOME/wvconsole/wvconsole.log`, 0600,
/// rotated to `wvconsole.log.1` past `LogSetup.rotateBytes`.
///
/// The level comes from `--log-level`, else `WVCONSOLE_LOG_LEVEL`, else
/// `log_level` in config.toml, else info; it can change after start (the
/// config is read after the first loggers exist), so handlers read it live.
///
/// What is logged never holds the token (callers pass its fingerprint) nor a
/// record's personal fields (names, phones, customer IDs).
public enum LogSetup {
    public static let rotateBytes = 5 * 1024 * 1024

    final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var level: Logger.Level = .info
        var file: URL?
        var bootstrapped = false
    }
    static let shared = Shared()

    /// Sends every Logger in the process to `file` (idempotent); nil drops
    /// every line (no usable state folder) — never the screen.
    public static func bootstrap(file: URL?) {
        let first = shared.lock.withLock { () -> Bool in
            shared.file = file
            defer { shared.bootstrapped = true }
            return !shared.bootstrapped
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in FileLogHandler(label: label) }
    }

    public static var level: Logger.Level {
        get { shared.lock.withLock { shared.level } }
        set { shared.lock.withLock { shared.level = newValue } }
    }

    /// "debug", "info", … as swift-log spells them; nil for anything else.
    public static func parse(_ text: String) -> Logger.Level? {
        Logger.Level(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Applies the level from the flag, the environment and the config.
    public static func configure(flag: String?, environment: [String: String], config: AppConfig) throws {
        if let flag {
            guard let l = parse(flag) else { throw ConfigError(levelError("--log-level", flag)) }
            level = l
        } else if let env = environment["WVCONSOLE_LOG_LEVEL"], !env.isEmpty {
            guard let l = parse(env) else { throw ConfigError(levelError("WVCONSOLE_LOG_LEVEL", env)) }
            level = l
        } else if let l = config.logLevel {
            level = l
        }
    }

    static func levelError(_ source: String, _ value: String) -> String {
        "\(source) must be one of trace, debug, info, notice, warning, error, critical; got \"\(TerminalText.sanitize(value, limit: 40))\"."
    }
}

struct FileLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    /// A logger that sets its own level (the in-process simulator quiets
    /// itself to critical) changes only itself; the others follow the
    /// process-wide level, which the config may set after they exist.
    private var ownLevel: Logger.Level?
    var logLevel: Logger.Level {
        get { ownLevel ?? LogSetup.level }
        set { ownLevel = newValue }
    }

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        guard let url = LogSetup.shared.lock.withLock({ LogSetup.shared.file }) else { return }
        let all = metadata.merging(extra ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = Self.line(at: Date(), level: level, label: label, text: "\(message)\(meta)")
        LogSetup.shared.lock.withLock { Self.append(text, to: url) }
    }

    /// `2026-12-05T10:17:35.553Z info wvconsole.api: …`, one line per event
    /// whatever the message holds (UTC: the ISO 8601 style writes the `Z`).
    static func line(at date: Date, level: Logger.Level, label: String, text: String) -> String {
        let stamp = date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        return "\(stamp) \(level) \(label): \(TerminalText.sanitize(text, limit: 4000))\n"
    }

    /// O_NOFOLLOW: a log swapped for a symlink is not written through.
    static func append(_ text: String, to url: URL) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        var st = stat()
        if fstat(fd, &st) == 0, Int(st.st_size) > LogSetup.rotateBytes {
            close(fd)
            let old = url.path + ".1"
            unlink(old)
            rename(url.path, old)
            append(text, to: url)
            return
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
