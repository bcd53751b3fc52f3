import ArgumentParser
import ConsoleConfig
import Foundation
import LocalStore
import TeamStore
import WolkvoxAPI

/// `wvconsole check`: does the server answer and does the token work? One
/// call (the campaign list), one line of output; then the store, one line
/// each for reachable, schema and privileges. The exit code says which failed.
public struct CheckCommand: AsyncParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(commandName: "check", abstract: CLIText["cli.abstract.check"]) }

    @OptionGroup public var global: GlobalOptions

    public init() {}

    public func run() async throws {
        let config: AppConfig
        let client: WolkvoxClient
        do {
            config = try global.loadConfig()
            client = try config.makeClient(journal: MemoryJournal())
        } catch { throw fail(error) }
        do {
            let campaigns = try await client.campaigns()
            // The host actually reached, so a base URL that points somewhere unexpected shows.
            let url = client.endpoint.baseURL
            let host = TerminalText.sanitize((url.host ?? "?") + (url.port.map { ":\($0)" } ?? ""), limit: 80)
            CLIOutput.line(
                CLIText.text(
                    "cli.check_ok",
                    [
                        "server": client.endpoint.server, "host": host, "count": String(campaigns.count),
                        "fingerprint": client.tokenFingerprint,
                    ]))
        } catch {
            throw fail(error)
        }
        // One line for a store that does not answer, as for one that does; writes would be refused.
        if let (problem, unreachable) = await Self.checkStore(config, counting: client) {
            let key = unreachable ? "cli.check_store_down" : "cli.check_store_problem"
            CLIOutput.error(CLIText.text(key, ["problem": TerminalText.sanitize(problem, limit: 300)]))
            throw ExitCode(ExitStatus.of(APIError.storeUnavailable(problem)).rawValue)
        }
    }

    /// Prints the store's lines; returns the problem that makes writes
    /// impossible, if any, and whether it is that the database did not answer.
    /// The campaign-list call `client` made is counted in the store's meter
    /// like every other call (it spends one unit of the day's quota).
    static func checkStore(_ config: AppConfig, counting client: WolkvoxClient) async -> (String, unreachable: Bool)? {
        let env = ProcessInfo.processInfo.environment
        let started = ContinuousClock.now
        let opened = await StoreOpener.open(config, localPath: AppPaths.from(environment: env).databaseFile, environment: env)
        defer { opened.close() }
        guard let store = opened.store, opened.problem == nil else {
            return (opened.problem ?? "no store", opened.unreachable)
        }
        let ms = Int((ContinuousClock.now - started).seconds * 1000)
        await store.countCall(server: client.endpoint.server, tokenFingerprint: client.tokenFingerprint)
        CLIOutput.line(CLIText.text("cli.check_store", ["store": TerminalText.sanitize(store.summary, limit: 200), "ms": String(ms)]))
        guard let team = opened.team else { return nil }
        do {
            let health = try await team.health()
            CLIOutput.line(CLIText.text("cli.check_schema", ["version": String(health.version), "known": String(PostgresStore.schemaVersion)]))
            let p = health.privileges
            let can = { (key: String) in p[key] == true ? CLIText["cli.yes"] : CLIText["cli.no"] }
            CLIOutput.line(
                CLIText.text(
                    "cli.check_privileges",
                    [
                        "journal": can("journal"), "resolve": can("resolve"), "meter": can("meter"),
                        "change": can("change_audit"),
                    ]))
            if p["journal"] != true { return ("this role cannot add to the journal (GRANT INSERT, SELECT ON intent, outcome)", false) }
        } catch {
            return (storeReason(error), (error as? PostgresStore.Failure).map { if case .unreachable = $0 { true } else { false } } ?? false)
        }
        return nil
    }
}
