import ArgumentParser
import BuildInfo
import ConsoleApp
import ConsoleCLI
import ConsoleConfig
import Foundation

/// `wvconsole` with no subcommand opens the console; subcommands are the
/// scriptable CLI on the same API core.
@main
struct WVConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wvconsole",
        abstract: CLIText["cli.abstract.console"],
        version: BuildInfo.versionLine,
        subcommands: [
            CheckCommand.self, CampaignsCommand.self, FindCommand.self, RecallCommand.self, DeleteCommand.self,
            DNCCommand.self, ImportCommand.self, AuditCommand.self, QuotaCommand.self,
        ]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: ConsoleLaunchOptions

    /// Like argument-parser's own main, but a usage error exits 1 (the
    /// documented code) instead of 64, so scripts see one scheme.
    static func main() async {
        // The token is in memory: no core file may keep a copy of it.
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        Memory.limitArenas()
        // Every Logger goes to the log file, never to the screen.
        let paths = AppPaths.from(environment: ProcessInfo.processInfo.environment)
        // Always bootstrapped: without a usable state folder, log lines are
        // dropped rather than left to swift-log's default, the screen.
        LogSetup.bootstrap(file: (try? paths.ensureStateDirectory()) != nil ? paths.logFile : nil)
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `--lang` before anything is parsed, so `--help` and usage errors follow it.
        if let early = GlobalOptions.earlyLanguage(in: arguments) {
            CLIText.language = early
        } else {
            GlobalOptions.adoptConfiguredLanguage(in: arguments)
        }
        // Read only for a line that did not parse (or asks for help): it describes the whole tree.
        var order: ArgumentOrder?
        func ordering() -> ArgumentOrder {
            if let order { return order }
            let made = ArgumentOrder(root: Self.self)
            order = made
            return made
        }
        let json = arguments.prefix { $0 != "--" }.contains("--json")
        do {
            var command = try parseLine(arguments, ordering)
            // The root reads --demo/--theme wherever they stand; a subcommand
            // has no use for them, so say so instead of ignoring them.
            if !(command is WVConsoleCommand), let option = GlobalOptions.consoleOnlyOption(in: arguments) { refuseConsoleOnly(option) }
            if var asyncCommand = command as? any AsyncParsableCommand {
                if command is WVConsoleCommand {
                    try await asyncCommand.run()
                } else {
                    Memory.returnLargeBlocksAtOnce()
                    let job = UncheckedCommand(command: asyncCommand)
                    // The command's name for the one JSON object is read from the tree only if it is needed.
                    let named: @Sendable () -> String = { ArgumentOrder(root: Self.self).commandName(arguments) }
                    try await Interruption.run(command: named, json: json) {
                        var command = job.command
                        try await command.run()
                    }
                }
            } else {
                try command.run()
            }
        } catch {
            // Ctrl-C: the command has said what happened; the status says it was interrupted.
            if Interruption.happened {
                if !(error is ExitCode) { FileHandle.standardError.write(Data("wvconsole: \(CLIText["cli.interrupted"])\n".utf8)) }
                Foundation.exit(Interruption.exitStatus)
            }
            if exitCode(for: error) == .validationFailure {
                // One line, like every other error: what is wrong, and where help is.
                let text = usageLine(error)
                // Under --json, the one object a script reads, as for every other failure;
                // in English, as all of --json: the line is read again in English.
                if json {
                    var english = text
                    let operators = CLIText.language
                    if operators != .en {
                        CLIText.language = .en
                        do { _ = try parseLine(arguments, ordering) } catch { english = usageLine(error) }
                        CLIText.language = operators
                    }
                    JSONOutput.emit(JSONOutput.usageFailure(command: ordering().commandName(arguments), message: english))
                }
                FileHandle.standardError.write(Data("wvconsole: \(text) (\(CLIText["cli.see_help"]))\n".utf8))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }

    /// The command line as parsed, forgiving what people type: options of a
    /// subcommand before its name, `--help` anywhere, a misspelt option named.
    static func parseLine(_ arguments: [String], _ ordering: () -> ArgumentOrder) throws -> sending any ParsableCommand {
        let asksHelp = arguments.prefix { $0 != "--" }.contains { $0 == "--help" || $0 == "-h" }
        do {
            // `--json find --help`: the help of the subcommand named, wherever it stands.
            if asksHelp, let reordered = ordering().subcommandFirst(arguments) { return try parseAsRoot(reordered) }
            return try parseAsRoot(arguments)
        } catch {
            // Help, --version, completion scripts and the JSON dump come as "errors" that exit 0: as they are.
            if exitCode(for: error) == .success { throw error }
            // A misspelt option first: argument-parser would report the command's own check instead.
            if let (name, nearest) = ordering().unknownOption(in: arguments) {
                throw ValidationError(CLIText.text(nearest == nil ? "cli.unknown_option" : "cli.unknown_option_near", ["option": name, "nearest": nearest ?? ""]))
            }
            // `wvconsole --json find …`: a subcommand's own options before its
            // name. Read once more with the subcommand first; if that fails
            // too, its error (about the subcommand's options) is the one shown.
            guard let reordered = ordering().subcommandFirst(arguments) else { throw error }
            if let option = GlobalOptions.consoleOnlyOption(in: arguments) { refuseConsoleOnly(option) }
            return try parseAsRoot(reordered)
        }
    }

    /// A usage error's first line, without argument-parser's "Error: ".
    static func usageLine(_ error: any Error) -> String {
        let reason = message(for: error).split(separator: "\n").first.map(String.init) ?? "usage error"
        return reason.hasPrefix("Error: ") ? String(reason.dropFirst("Error: ".count)) : reason
    }

    /// A parsed subcommand handed to the task that runs it (and only to it).
    struct UncheckedCommand: @unchecked Sendable {
        let command: any AsyncParsableCommand
    }

    static func refuseConsoleOnly(_ option: String) -> Never {
        FileHandle.standardError.write(Data("wvconsole: \(CLIText.text("cli.console_only_option", ["option": option]))\n".utf8))
        Foundation.exit(1)
    }

    func run() async throws {
        let status = try await launchConsole(options, global: global)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Options of the interactive console only; `--config`, `--server`,
/// `--read-only` and `--lang` are the shared `GlobalOptions`.
struct ConsoleLaunchOptions: ParsableArguments, Sendable {
    @Flag(help: "Start the built-in Wolkvox simulator on loopback and open the console against it.")
    var demo = false

    @Option(help: "Theme name (dark, light, high-contrast) or path to a theme .toml file.")
    var theme: String?
}
