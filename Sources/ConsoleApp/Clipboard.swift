import Foundation
import WolkvoxAPI

/// OSC 52 clipboard: the terminal (and tmux with set-clipboard on) copies it.
/// The text is the app's own choice of a field, base64-encoded, so nothing
/// in it can act as an escape sequence.
public enum Clipboard {
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(TerminalText.sanitize(text).utf8).base64EncodedString() + "\u{07}"
    }
}
