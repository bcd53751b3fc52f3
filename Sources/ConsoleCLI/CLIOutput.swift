import Foundation
import WolkvoxAPI

/// Where the CLI writes. Data goes to stdout, diagnostics to stderr, and
/// anything that came from the server is sanitized first.
public enum CLIOutput {
    public static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    public static func error(_ text: String) {
        FileHandle.standardError.write(Data(("wvconsole: " + TerminalText.sanitize(text, limit: 500) + "\n").utf8))
    }
}
