import Foundation
import WolkvoxAPI

/// Everything wvconsole keeps about an operation's work: the journal (intent
/// before the send, outcome after), the audit log built on it, resolutions,
/// bulk-job chunk states, search history and the daily call meter with the
/// token_info figure. Two implementations keep the same contract: the local
/// SQLite `ConsoleStore` (the default, no set-up) and the team store on
/// PostgreSQL (`TeamStore.PostgresStore`), shared by every operator of a token.
///
/// Implementations never hold the token: the meter and the token_info figure
/// key on its fingerprint; intents hold the request without its headers.
public protocol OperationStore: MutationJournal, CallMeter, AnyObject {
    /// Who acts through this store (written on every intent and resolution).
    var operatorName: String { get }
    /// One line naming the store for messages ("SQLite /home/ana/…", "PostgreSQL db.local:5432/wv").
    var summary: String { get }

    /// Newest first; `since` is a date prefix ("2026-11-24"); `operatorName` keeps one operator's actions.
    func auditEntries(since: String?, limit: Int, operatorName: String?) async throws -> [AuditEntry]
    /// Actions whose effect is not known and that nobody has checked since, oldest first.
    func unconfirmed() async throws -> [AuditEntry]
    /// Records that this operator checked an unconfirmed action (appends; nothing is re-sent).
    func markResolved(id: Int64, note: String) async throws

    func chunkStates(forJob jobID: String) async throws -> [Int: ChunkState]
    func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: (state: ChunkState, ids: [Int64])]
    func unfinishedJobs(api: String, campaignID: String?) async throws -> [UnfinishedJob]

    /// Today's calls on this server and token, counted by every process that shares the store.
    func callsToday(server: String, fingerprint: String) async throws -> Int
    func meterReading(server: String, fingerprint: String) async throws -> MeterReading
    func claimTokenInfoAsk(server: String, fingerprint: String, interval: TimeInterval) async throws -> AskClaim?
    func releaseTokenInfoAsk(_ claim: AskClaim, server: String, fingerprint: String) async throws
    func saveTokenFigure(_ info: TokenInfo, server: String, fingerprint: String, localAtRead: Int?) async throws

    /// Remembers a search (per operator) for Up/Down recall ("" = all campaigns).
    func recordSearch(campaignID: String, kind: String, text: String) async throws
    /// This operator's searches, newest first.
    func recentSearches(campaignID: String, limit: Int) async throws -> [PastSearch]
}

/// A claimed token_info ask: when it was claimed and the ask before it.
public struct AskClaim: Sendable, Equatable {
    public var at: Double
    public var previous: Double
    public init(at: Double, previous: Double) {
        self.at = at
        self.previous = previous
    }
}

/// A store's failure that can say, in a few words, why it failed ("db:5432
/// did not answer within 3 s"), for lines that already say which store.
public protocol StoreFailure: Error {
    var reason: String { get }
}

/// Why a store call failed, as a status line or toast shows it.
public func storeReason(_ error: any Error) -> String {
    (error as? any StoreFailure)?.reason ?? String(describing: error)
}
