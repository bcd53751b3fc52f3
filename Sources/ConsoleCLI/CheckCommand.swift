import ArgumentParser
import ConsoleConfig
import Foundation
import WolkvoxAPI

/// `wvconsole check`: does the server answer and does the token work? One
/// call (the campaign list), one line of output, the exit code says which.
public struct CheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Call the campaign list once and say whether the server and token work."
    )

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
            CLIOutput.line("ok: server \(client.endpoint.server) answered and accepted the token (\(campaigns.count) campaigns visible; token fingerprint \(client.tokenFingerprint)).")
        } catch {
            throw fail(error)
        }
    }
}
