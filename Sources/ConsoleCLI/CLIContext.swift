import ConsoleConfig
import Logging
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

/// An earlier send whose body is exactly one of this run's chunks.
public struct ContentMatch: Sendable, Equatable {
    public var state: ChunkState
    /// Journal ids of the matching sends.
    public var ids: [Int64]
    public init(state: ChunkState, ids: [Int64]) { self.state = state; self.ids = ids }
}

/// A job with chunks sent but never confirmed.
public struct LedgerJob: Sendable, Equatable {
    public var jobID: String
    public var startedAt: String
    public var chunkCount: Int
    /// Chunk index → journal id.
    public var unconfirmed: [Int: Int64]
    public init(jobID: String, startedAt: String, chunkCount: Int, unconfirmed: [Int: Int64]) {
        self.jobID = jobID; self.startedAt = startedAt; self.chunkCount = chunkCount; self.unconfirmed = unconfirmed
    }
}

/// The journal's view of past chunks — by job, and by each chunk's own
/// content. LocalStore's outbox implements it.
public protocol ImportLedger: Sendable {
    func chunkStates(jobID: String) async throws -> [Int: ChunkState]
    /// For each body (by index): what became of earlier sends of exactly it.
    func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch]
    /// Jobs of this api and campaign that still have unconfirmed chunks.
    func unfinishedJobs(api: String, campaignID: String?) async throws -> [LedgerJob]
}

extension ImportLedger {
    public func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch] { [:] }
    public func unfinishedJobs(api: String, campaignID: String?) async throws -> [LedgerJob] { [] }
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
        Logger(label: "wvconsole.cli").info("command start", metadata: [
            "server": "\(config.server ?? "-")", "read_only": "\(config.readOnly)", "journal": "\(journal.store != nil ? "open" : "unavailable")"])
        return CLIContext(config: config, client: try config.makeClient(journal: journal.journal, meter: journal.meter),
                          ledger: journal.ledger)
    }
}
