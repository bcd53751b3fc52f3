import ArgumentParser
import ConsoleApp
import ConsoleCLI
import Foundation

/// `wvconsole` with no subcommand opens the console; subcommands are the
/// scriptable CLI on the same API core.
@main
struct WVConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wvconsole",
        abstract: CLIText["cli.abstract.console"],
        version: WVConsoleVersion.string,
        subcommands: [CheckCommand.self, CampaignsCommand.self, FindCommand.self, RecallCommand.self, DeleteCommand.self,
                      DNCCommand.self, ImportCommand.self, AuditCommand.self]
    )

    @OptionGroup var options: ConsoleLaunchOptions

    /// Like argument-parser's own main, but a usage error exits 1 (the
    /// documented code) instead of 64, so scripts see one scheme.
    static func main() async {
        // The token is in memory: no core file may keep a copy of it.
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        Memory.limitArenas()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }

    func run() async throws {
        let status = try await launchConsole(options)
        if status != 0 { throw ExitCode(status) }
    }
}

enum WVConsoleVersion {
    static let string = "0.1.0"
}

/// Options of the interactive console (not of the CLI subcommands).
struct ConsoleLaunchOptions: ParsableArguments {
    @Flag(help: "Start the built-in Wolkvox simulator on loopback and open the console against it.")
    var demo = false

    @Option(help: "Theme name (dark, light, high-contrast) or path to a theme .toml file.")
    var theme: String?

    @Flag(name: .customLong("read-only"), help: "Hide and refuse every action that changes data.")
    var readOnly = false

    @Option(help: "Path to config.toml (default: $XDG_CONFIG_HOME/wvconsole/config.toml).")
    var config: String?

    @Option(help: "Interface language: en, es or pt (default: from the locale).")
    var lang: String?
}
