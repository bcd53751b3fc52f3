import Foundation

/// A mutating call about to be sent: what the outbox records before the
/// transport is touched. Holds the exact request minus the token.
public struct MutationIntent: Sendable, Equatable, Codable {
    public var api: APIName
    public var server: String
    public var campaignID: String?
    public var method: HTTPMethod
    public var url: String
    public var body: String
    public var itemCount: Int
    /// Groups the chunks of one bulk job (import, DNC list) so a killed job can resume.
    public var jobID: String?
    public var chunkIndex: Int?
    public var chunkCount: Int?

    public init(
        api: APIName, server: String, campaignID: String?, method: HTTPMethod, url: String, body: String,
        itemCount: Int, jobID: String? = nil, chunkIndex: Int? = nil, chunkCount: Int? = nil
    ) {
        self.api = api
        self.server = server
        self.campaignID = campaignID
        self.method = method
        self.url = url
        self.body = body
        self.itemCount = itemCount
        self.jobID = jobID
        self.chunkIndex = chunkIndex
        self.chunkCount = chunkCount
    }
}

/// What came back for a journaled intent.
public struct MutationOutcome: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// 2xx answer with a 2xx code.
        case succeeded
        /// Applied to some of the items only (a delete that found some of
        /// its records); `totals` says which.
        case partial
        /// The service refused it before acting (token, quota, limit, maintenance).
        case rejected
        /// No trustworthy answer (timeout, reset, unreadable body): it may or may not have applied.
        case unknown
    }

    public var state: State
    public var status: Int?
    public var code: Int?
    public var message: String
    public var totals: [String: String]

    public init(state: State, status: Int?, code: Int?, message: String, totals: [String: String] = [:]) {
        self.state = state
        self.status = status
        self.code = code
        self.message = message
        self.totals = totals
    }
}

/// Durable journal of mutating calls. `recordIntent` must have reached disk
/// when it returns; if it throws, the call is not sent.
public protocol MutationJournal: Sendable {
    func recordIntent(_ intent: MutationIntent) async throws -> Int64
    func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws
}

/// Counts every HTTP call made (each costs one unit of the daily quota).
public protocol CallMeter: Sendable {
    func countCall(server: String, tokenFingerprint: String) async
}

/// Identifies a job's chunk for the journal (resume support).
public struct JobChunk: Sendable, Equatable {
    public var jobID: String
    public var index: Int
    public var count: Int
}

/// Where the day's usage stands against the quota.
public enum QuotaLevel: Sendable, Equatable {
    case ok, warning, exhausted

    /// Warning from 80 % of `licenses × 1000`; exhausted at 100 %.
    public static func of(calls: Int, quota: Int) -> QuotaLevel {
        guard quota > 0 else { return .ok }
        if calls >= quota { return .exhausted }
        if calls * 5 >= quota * 4 { return .warning }
        return .ok
    }
}
