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
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "\(ISO8601DateFormatter().string(from: Date())) \(level) \(message)\(meta)\n"
        guard let handle = try? FileHandle(forWritingTo: url) else { return }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }
}
