import ArgumentParser
import ConsoleConfig
import Foundation
import Messages

/// Options that hold for the console and for every subcommand, in any
/// position: `wvconsole --read-only dnc add …` and `wvconsole dnc add …
/// --read-only` mean the same. The root command declares this group and so do
/// the subcommands; argument-parser hands the subcommands the root's parsed
/// value (it reads these options wherever they stand), so there is one value
/// per run, never a parent's and a child's that disagree.
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(help: "Path to config.toml (default: $XDG_CONFIG_HOME/wvconsole/config.toml). A missing file is an error.")
    public var config: String?

    @Option(help: "Server nomenclature (e.g. 0025); overrides config and WOLKVOX_SERVER.")
    public var server: String?

    @Flag(name: .customLong("read-only"), help: "Refuse every action that changes data.")
    public var readOnly = false

    @Option(help: "Interface language: en, es or pt (default: config, then the locale).")
    public var lang: String?

    @Option(name: .customLong("log-level"), help: "Log detail in the log file: trace, debug, info (default), notice, warning, error, critical.")
    public var logLevel: String?

    @Flag(name: .customLong("over-quota"), help: "Spend calls although today's quota is used up (the service may refuse them).")
    public var overQuota = false

    public init() {}

    public func validate() throws {
        if let lang, Language(rawValue: lang) == nil {
            throw ValidationError(CLIText.text("cli.usage.lang_values", ["value": lang]))
        }
        if let config, config.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(CLIText["cli.usage.config_path"])
        }
    }

    public var overrides: ConfigLoader.Overrides {
        .init(server: server, readOnly: readOnly, language: lang)
    }

    public func loadConfig(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        theme: String? = nil
    ) throws -> AppConfig {
        var o = overrides
        o.theme = theme
        let loaded = try ConfigLoader.load(path: config.map { URL(fileURLWithPath: $0) }, environment: environment, overrides: o)
        CLIText.adopt(configured: loaded.language, environment: environment)
        try LogSetup.configure(flag: logLevel, environment: environment, config: loaded)
        return loaded
    }

    /// Options that belong to the interactive console only. The root command
    /// reads them in any position too, so a subcommand run with one of them
    /// must refuse it rather than ignore it silently.
    public static let consoleOnly = ["--demo", "--theme"]

    /// The first console-only option among `arguments` (before a `--`).
    public static func consoleOnlyOption(in arguments: [String]) -> String? {
        for arg in arguments {
            if arg == "--" { return nil }
            for name in consoleOnly where arg == name || arg.hasPrefix(name + "=") { return name }
        }
        return nil
    }

    /// `--lang X` / `--lang=X` from the raw arguments, so that `--help` and
    /// usage errors — produced before any command runs — are already in that
    /// language.
    public static func earlyLanguage(in arguments: [String]) -> Language? {
        earlyValue(of: "--lang", in: arguments).flatMap(Language.init(rawValue:))
    }

    /// Before anything is parsed and when `--lang` is not given: the
    /// config's `language`, so that usage errors, the misspelt-option line
    /// and `--help` speak it too (they are written before the command loads
    /// the config). A config that does not load is left to the command,
    /// which reports it.
    public static func adoptConfiguredLanguage(in arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = earlyValue(of: "--config", in: arguments).map { URL(fileURLWithPath: ConfigLoader.expand($0, env: environment)) }
        guard let language = ConfigLoader.language(path: path, environment: environment) else { return }
        CLIText.adopt(configured: language, environment: environment)
    }

    /// The value of `option` (`--option V` or `--option=V`) before `--`.
    static func earlyValue(of option: String, in arguments: [String]) -> String? {
        var it = arguments.makeIterator()
        while let arg = it.next() {
            if arg == "--" { return nil }
            if arg == option, let value = it.next() { return value }
            if arg.hasPrefix(option + "=") { return String(arg.dropFirst(option.count + 1)) }
        }
        return nil
    }
}
