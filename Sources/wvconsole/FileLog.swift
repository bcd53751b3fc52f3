import Foundation
import Logging

/// swift-log to a file, never to the screen while the UI runs. Messages are
/// written as given: callers pass fingerprints, never the token.
enum FileLog {
    static func make(_ url: URL) -> Logger {
        Logger(label: "wvconsole") { label in FileLogHandler(url: url, label: label) }
    }
}

struct FileLogHandler: LogHandler {
    let url: URL
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(url: URL, label: String) {
        self.url = url
        self.label = label
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600)
        if fd >= 0 { close(fd) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "\(ISO8601DateFormatter().string(from: Date())) \(level) \(message)\(meta)\n"
        // O_NOFOLLOW: a log swapped for a symlink is not written through.
        let fd = open(url.path, O_WRONLY | O_APPEND | O_NOFOLLOW)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
