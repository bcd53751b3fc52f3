import ConsoleConfig
import Foundation
import WolkvoxAPI

/// What a resumable job needs to know about its earlier runs.
public enum ChunkState: String, Sendable, Codable {
    /// Sent and confirmed: never send again.
    case confirmed
    /// Intent journaled but no outcome (crash, kill, lost answer): it may have
    /// applied. Resending could duplicate records, so the operator decides.
    case unconfirmed
    /// Refused or failed with a known outcome: safe to send again.
    case failed
}

/// The journal's view of past chunks, by job. LocalStore's outbox implements it.
public protocol ImportLedger: Sendable {
    func chunkStates(jobID: String) async throws -> [Int: ChunkState]
}

/// Everything a subcommand needs: config, the API client and the durable
/// journal. Built once per run; the same `TokenGate` serves every call.
public struct CLIContext: Sendable {
    public var config: AppConfig
    public var client: WolkvoxClient
    public var ledger: (any ImportLedger)?

    public init(config: AppConfig, client: WolkvoxClient, ledger: (any ImportLedger)?) {
        self.config = config; self.client = client; self.ledger = ledger
    }

    /// Opens the durable journal (LocalStore) and builds the client on it.
    /// A command that would change data (`mutating`) is refused here under
    /// read-only, before it reads a file or asks anything; the client refuses
    /// again at the send, whatever the caller.
    public static func make(_ global: GlobalOptions, mutating: Bool = false,
                            environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> CLIContext {
        let config = try global.loadConfig(environment: environment)
        if mutating && config.readOnly { throw APIError.readOnly }
        let journal = try JournalOpener.open(environment: environment)
        return CLIContext(config: config, client: try config.makeClient(journal: journal.journal, meter: journal.meter),
                          ledger: journal.ledger)
    }
}
