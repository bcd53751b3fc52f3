import ConsoleApp
import ConsoleCLI
import ConsoleConfig
import Foundation
import LocalStore
import Logging
import Messages
import NCursesBackend
import Simulator
import TeamStore
import TUIKit
import WolkvoxAPI

/// Opens the interactive console: against the configured server, or with
/// `--demo` against the simulator started in-process on loopback.
@MainActor
func launchConsole(_ options: ConsoleLaunchOptions, global: GlobalOptions) async throws -> Int32 {
    if let refusal = NCursesBackend.requireTTY() {
        let line: String
        switch refusal {
        case .notATerminal: line = CLIText["cli.not_tty"]
        case .cannotAddressCursor(let term): line = CLIText.text("cli.term_dumb", ["term": TerminalText.sanitize(term, limit: 40)])
        case .unknownTerminal(let term): line = CLIText.text("cli.term_unknown", ["term": TerminalText.sanitize(term, limit: 40)])
        }
        FileHandle.standardError.write(Data("wvconsole: \(line)\n".utf8))
        return 1
    }
    let env = ProcessInfo.processInfo.environment
    var config: AppConfig
    do {
        config = try global.loadConfig(environment: env, theme: options.theme)
    } catch {
        FileHandle.standardError.write(Data("wvconsole: \(error)\n".utf8))
        return 1
    }
    let paths = AppPaths.from(environment: env)
    do { try paths.ensureStateDirectory() } catch {
        FileHandle.standardError.write(Data("wvconsole: \(error)\n".utf8))
        return 1
    }
    let logger = Logger(label: "wvconsole.console")

    var simulator: RunningSimulator?
    if options.demo {
        // WVCONSOLE_DEMO_FAULTS (wvsim's fault spec) rehearses the unhappy
        // path in training: `remove_record:truncated` makes a delete's outcome unknown.
        let faults: FaultPlan
        do { faults = try FaultPlan(spec: env["WVCONSOLE_DEMO_FAULTS"] ?? "") } catch {
            FileHandle.standardError.write(Data("wvconsole: WVCONSOLE_DEMO_FAULTS: \(error)\n".utf8))
            return 1
        }
        let sim = try await SimulatorServer.start(SimulatorConfig(faults: faults))
        simulator = sim
        config.server = "demo"
        config.baseURL = sim.baseURL
        config.token = APIToken(SimulatorConfig.demoToken)
        config.licenses = sim.config.licenses
    }
    // The demo keeps its own local store, never the team's.
    if options.demo { config.store = .local }
    let storePath = options.demo ? paths.stateDirectory.appendingPathComponent("demo.sqlite") : paths.databaseFile
    let opened = await StoreOpener.open(config, localPath: storePath, environment: env)
    defer { opened.close() }
    let store = opened.store
    let client: WolkvoxClient
    do {
        // The demo's server lives in this process and ends with it: no other
        // process can share its limit, and a slot's lease left by an ended
        // demo would only hold up the next one (each has a server of its own).
        let gate: (any PermitGate)?
        if options.demo { gate = TokenGate(limit: config.maxInFlight) } else { gate = try opened.gate(config: config, environment: env) }
        client = try config.makeClient(gate: gate, journal: opened.journal, meter: store, environment: env)
    } catch {
        FileHandle.standardError.write(Data("wvconsole: \(error)\n".utf8))
        await simulator?.stop()
        return 1
    }
    logger.info(
        "console start",
        metadata: [
            "server": "\(client.endpoint.server)", "demo": "\(options.demo)", "token": "\(client.tokenFingerprint)",
            "store": "\(store?.summary ?? "unavailable")",
        ])

    let searchPaths = [paths.userThemesDirectory] + ThemePaths.bundled()
    let theme: Theme
    if env["NO_COLOR"].map({ !$0.isEmpty }) ?? false || env["TERM"] == "dumb" {
        theme = .monochrome
    } else {
        do { theme = try Theme.load(config.theme, searchPaths: searchPaths) } catch {
            // A theme that cannot be loaded is named, never silently replaced.
            FileHandle.standardError.write(Data("wvconsole: \(TerminalText.sanitize(String(describing: error), limit: 300))\n".utf8))
            await simulator?.stop()
            return 1
        }
    }
    let language = Language.detect(configured: config.language, environment: env)
    let (keymap, keyProblems) = Keymap.default.remapped(config.keys)
    // A [keys] line that cannot hold is a config error, as any other: named, and nothing starts.
    if !keyProblems.isEmpty {
        for problem in keyProblems { FileHandle.standardError.write(Data("wvconsole: config: \(TerminalText.sanitize(problem, limit: 300))\n".utf8)) }
        await simulator?.stop()
        return 1
    }
    let configCampaigns = config.campaigns.map { Campaign(id: $0.id, name: $0.name, type: $0.type.rawValue, status: "") }

    let backend = NCursesBackend(environment: env)
    defer { backend.restore() }
    var state = AppState(
        size: backend.size, theme: theme, catalog: Catalog(language), server: client.endpoint.server,
        demo: options.demo, readOnly: config.readOnly, quota: config.dailyQuota, keymap: keymap,
        configCampaigns: configCampaigns, dncDays: config.dncDays)
    state.countryCode = config.countryCode
    if let pending = try? await store?.unconfirmed(), !pending.isEmpty {
        state.dialog = .unconfirmed(pending.count)
    }
    state.storeProblem = opened.problem
    if case .postgres = config.store { state.teamStore = true }
    state.exportBOM = config.exportBOM
    state.exportRaw = config.exportRaw
    state.labels = config.labels
    state.columns = config.columns
    // Block glyphs need a UTF-8 locale; charts fall back to ASCII otherwise.
    state.asciiOnly = !TerminalLocale.isUTF8(env)
    let loop = ConsoleLoop(state: state, backend: backend) { send in
        EffectRunner(client: client, store: store, themeSearchPaths: searchPaths, send: send)
    }
    loop.start()
    while loop.step() {
        await Task.yield()
    }
    backend.restore()
    logger.info("console quit")
    await simulator?.stop()
    return 0
}

/// Bundled theme folders: `themes/` beside the package the binary was built
/// from (for `swift run`) and `share/wvconsole/themes` beside an installed binary.
enum ThemePaths {
    static func bundled() -> [URL] {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dirs: [URL] = []
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<5 {
            dirs.append(dir.appendingPathComponent("themes"))
            dirs.append(dir.appendingPathComponent("share/wvconsole/themes"))
            dir = dir.deletingLastPathComponent()
        }
        return dirs
    }
}
