import ConsoleConfig
import Foundation
import Messages
import WolkvoxAPI

/// The CLI's language: from the locale at start (so `--help` summaries and
/// early errors follow it), then from `config.toml` once that is read.
/// `--json` output is never translated: scripts must not depend on a locale.
public enum CLIText {
    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var language = Language.detect(configured: nil, environment: ProcessInfo.processInfo.environment)
    }
    private static let box = Box()

    public static var language: Language {
        get { box.lock.withLock { box.language } }
        set { box.lock.withLock { box.language = newValue } }
    }

    public static var catalog: Catalog { .shared(language) }

    public static subscript(_ key: String) -> String { catalog[key] }

    public static func text(_ key: String, _ args: [String: String] = [:]) -> String { catalog.text(key, args) }

    public static func plural(_ key: String, _ count: Int, _ args: [String: String] = [:]) -> String { catalog.plural(key, count, args) }

    public static func count(_ n: Int) -> String { catalog.number(n) }

    /// Called when the config is loaded: its `language` wins over the locale.
    static func adopt(configured: String?, environment: [String: String]) {
        language = Language.detect(configured: configured, environment: environment)
    }
}
