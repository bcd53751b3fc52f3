import Foundation
import Logging
import Testing

@testable import ConsoleConfig

@Suite struct LogLineTests {
    /// One ISO 8601 UTC stamp (it read `…35.553ZZ`), the level, the label, the text on one line.
    @Test func aLineHasOneUTCStampAndNoControlCharacters() {
        let line = FileLogHandler.line(at: Date(timeIntervalSince1970: 1_764_929_855.5535), level: .info, label: "wvconsole.api", text: "api call\nforged=1 \u{1B}[2J")
        #expect(line.hasPrefix("2025-12-05T10:17:35.553Z info wvconsole.api: api call"), "\(line)")
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"), "\(line)")
        #expect(!line.contains("\u{1B}"))
    }
}
