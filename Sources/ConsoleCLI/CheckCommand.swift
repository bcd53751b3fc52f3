import ArgumentParser
import ConsoleConfig
import Foundation
import WolkvoxAPI

/// `wvconsole check`: does the server answer and does the token work? One
/// call (the campaign list), one line of output, the exit code says which.
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
            CLIOutput.line(CLIText.text("cli.check_ok", ["server": client.endpoint.server, "host": host, "count": String(campaigns.count),
                                                         "fingerprint": client.tokenFingerprint]))
        } catch {
            throw fail(error)
        }
    }
}
