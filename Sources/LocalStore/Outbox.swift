import Foundation
import GRDB
import WolkvoxAPI

/// One journaled action with what became of it.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var createdAt: String
    public var osUser: String
    /// Who acted (config `operator`); nil on rows written before operators were recorded.
    public var operatorName: String?
    public var server: String
    public var campaignID: String?
    public var api: String
    public var method: String
    public var url: String
    public var body: String
    public var itemCount: Int
    public var jobID: String?
    public var chunkIndex: Int?
    public var chunkCount: Int?
    /// succeeded / rejected / unknown, or nil while unconfirmed.
    public var outcome: String?
    public var status: Int?
    public var code: Int?
    public var message: String?
    public var totals: [String: String]?
    public var recordedAt: String?
    public var resolvedAt: String?
    public var resolutionNote: String?
    /// Who marked it checked (`audit --resolve`).
    public var resolvedBy: String?

    /// Reads one row of the audit query, by the column names the audit
    /// export uses (`CodingKeys`), the same way on every store.
    public init(_ row: some AuditRow) throws {
        func text(_ key: CodingKeys) throws -> String? { try row.text(key.rawValue) }
        func int(_ key: CodingKeys) throws -> Int? { try row.integer(key.rawValue).map { Int($0) } }
        func required<T>(_ key: CodingKeys, _ read: (CodingKeys) throws -> T?) throws -> T {
            guard let value = try read(key) else { throw AuditRowError(column: key.rawValue) }
            return value
        }
        id = try required(.id) { try row.integer($0.rawValue) }
        createdAt = try required(.createdAt, text)
        osUser = try required(.osUser, text)
        operatorName = try text(.operatorName)
        server = try required(.server, text)
        campaignID = try text(.campaignID)
        api = try required(.api, text)
        method = try required(.method, text)
        url = try required(.url, text)
        body = try required(.body, text)
        itemCount = try required(.itemCount, int)
        jobID = try text(.jobID)
        chunkIndex = try int(.chunkIndex)
        chunkCount = try int(.chunkCount)
        outcome = try text(.outcome)
        status = try int(.status)
        code = try int(.code)
        message = try text(.message)
        totals = try text(.totals).flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        recordedAt = try text(.recordedAt)
        resolvedAt = try text(.resolvedAt)
        resolutionNote = try text(.resolutionNote)
        resolvedBy = try text(.resolvedBy)
    }

    enum CodingKeys: String, CodingKey {
        case id, createdAt = "created_at", osUser = "os_user", operatorName = "operator", server, campaignID = "campaign_id", api, method, url, body
        case itemCount = "item_count", jobID = "job_id", chunkIndex = "chunk_index", chunkCount = "chunk_count", outcome, status, code
        case message, totals, recordedAt = "recorded_at", resolvedAt = "resolved_at", resolutionNote = "resolution_note"
        case resolvedBy = "resolved_by"
    }

    /// The outcome as exported: `unconfirmed` when no answer was ever recorded
    /// (whether or not someone has checked it since; see `resolved_at`).
    public var reportedOutcome: String { outcome ?? "unconfirmed" }

    /// The operator, or the OS user for rows from before operators were recorded.
    public var actor: String { operatorName ?? osUser }

    /// Its effect is unknown (no answer, or a lost one) and nobody has checked it since.
    public var isUnconfirmed: Bool { (outcome == nil || outcome == "unknown") && resolvedAt == nil }
}

/// Per-chunk state of a bulk job, for `--resume`: the one enum the stores
/// answer with and the CLI decides on.
public enum ChunkState: String, Sendable, Codable {
    /// Sent and confirmed: never send again.
    case confirmed
    /// Intent journaled but no outcome (crash, kill, lost answer): it may have
    /// applied. Resending could duplicate records, so the operator decides.
    case unconfirmed
    /// Refused or failed with a known outcome: safe to send again.
    case failed

    /// From a journaled outcome's state (nil: none recorded).
    public static func of(outcome state: String?) -> ChunkState {
        state == "succeeded" || state == "partial" ? .confirmed : (state == nil || state == "unknown" ? .unconfirmed : .failed)
    }

    /// An unconfirmed send someone resolved: a read-back that found it
    /// applied (`Reconciler`) makes it confirmed (never send it again);
    /// any other resolution makes it safe to send again.
    public static func resolved(note: String?) -> ChunkState {
        (note ?? "").hasPrefix(Reconciler.appliedPrefix) ? .confirmed : .failed
    }

    /// A chunk sent several times counts its best outcome: confirmed over
    /// unconfirmed over failed (an unconfirmed send may have applied).
    public static func best(_ a: ChunkState?, _ b: ChunkState) -> ChunkState {
        guard let a else { return b }
        let rank: [ChunkState: Int] = [.failed: 0, .unconfirmed: 1, .confirmed: 2]
        return rank[a, default: 0] >= rank[b, default: 0] ? a : b
    }
}

extension ConsoleStore: MutationJournal {
    public func recordIntent(_ intent: MutationIntent) async throws -> Int64 {
        let now = ConsoleStore.timestamp(clock())
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO intent (created_at, os_user, operator, server, campaign_id, api, method, url, body, item_count, job_id, chunk_index, chunk_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    now, ConsoleStore.osUser, operatorName, intent.server, intent.campaignID, intent.api.rawValue, intent.method.rawValue,
                    intent.url, intent.body, intent.itemCount, intent.jobID, intent.chunkIndex, intent.chunkCount,
                ])
            return db.lastInsertedRowID
        }
    }

    public func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws {
        let now = ConsoleStore.timestamp(clock())
        let totals = String(decoding: try JSONEncoder.sorted.encode(outcome.totals), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outcome (intent_id, recorded_at, state, status, code, message, totals) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, now, outcome.state.rawValue, outcome.status, outcome.code, outcome.message, totals])
        }
    }
}

extension ConsoleStore {
    static let auditSelect = """
        SELECT i.*, o.state AS outcome, o.status, o.code, o.message, o.totals, o.recorded_at,
               r.resolved_at, r.note AS resolution_note, coalesce(r.operator, r.os_user) AS resolved_by
        FROM intent i LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id
        """

    /// Newest first; `since` is an ISO date or timestamp prefix ("2026-11-24").
    public func auditEntries(since: String? = nil, limit: Int = 10_000, operatorName: String? = nil) throws -> [AuditEntry] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: Self.auditSelect + """
                     WHERE (? IS NULL OR i.created_at >= ?) AND (? IS NULL OR coalesce(i.operator, i.os_user) = ?) ORDER BY i.id DESC LIMIT ?
                    """, arguments: [since, since, operatorName, operatorName, limit])
            return try rows.map(AuditEntry.init)
        }
    }

    /// Actions whose effect is not known: no outcome (the process died between
    /// sending and hearing back) or an `unknown` one (timeout, connection lost).
    /// Both need the operator to verify and resolve them.
    public func unconfirmed() throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: Self.auditSelect + " WHERE (o.id IS NULL OR o.state = 'unknown') AND r.id IS NULL ORDER BY i.id").map(AuditEntry.init)
        }
    }

    /// Records that the operator checked an unconfirmed action (appends; nothing is re-sent).
    public func markResolved(id: Int64, note: String) throws {
        let now = ConsoleStore.timestamp(clock())
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO resolution (intent_id, resolved_at, os_user, operator, note) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, now, ConsoleStore.osUser, operatorName, note])
        }
    }

    /// Chunk states of a bulk job; a chunk sent several times counts its best outcome.
    public func chunkStates(forJob jobID: String) throws -> [Int: ChunkState] {
        try pool.read { db in
            var out: [Int: ChunkState] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT i.chunk_index, o.state, r.id AS resolved, r.note FROM intent i
                    LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id WHERE i.job_id = ?
                    """, arguments: [jobID])
            for row in rows {
                guard let index: Int = row["chunk_index"] else { continue }
                // A resolved unknown send counts as its resolution (read back
                // as applied: confirmed; as not applied: safe to send again).
                var s = ChunkState.of(outcome: row["state"])
                if s == .unconfirmed, (row["resolved"] as Int64?) != nil { s = ChunkState.resolved(note: row["note"]) }
                out[index] = ChunkState.best(out[index], s)
            }
            return out
        }
    }

}

/// A row of the audit query as a store reads it: each store adapts its own
/// row type, and `AuditEntry.init(_:)` names the columns.
public protocol AuditRow {
    func text(_ column: String) throws -> String?
    func integer(_ column: String) throws -> Int64?
}

/// A required audit column was NULL or missing (a damaged or foreign database).
public struct AuditRowError: Error, CustomStringConvertible {
    public var column: String
    public var description: String { "the audit row has no \(column)" }
}

extension Row: AuditRow {
    public func text(_ column: String) -> String? { self[column] }
    public func integer(_ column: String) -> Int64? { self[column] }
}

extension JSONEncoder {
    public static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

/// A bulk job with chunks that were sent but never confirmed (and not
/// checked by hand since).
public struct UnfinishedJob: Sendable, Equatable {
    public var jobID: String
    public var startedAt: String
    public var chunkCount: Int
    /// Chunk index → journal id, for the chunks whose outcome is not known.
    public var unconfirmed: [Int: Int64]
    public init(jobID: String, startedAt: String, chunkCount: Int, unconfirmed: [Int: Int64]) {
        self.jobID = jobID
        self.startedAt = startedAt
        self.chunkCount = chunkCount
        self.unconfirmed = unconfirmed
    }
}

extension ConsoleStore {
    /// Chunks identified by their own content: for each request body, the best
    /// state among earlier sends of exactly that body (same api and campaign,
    /// whatever job they belonged to), with the journal ids that matched. An
    /// unconfirmed send that someone checked by hand (`audit --resolve`) no
    /// longer counts as unconfirmed.
    public func contentStates(api: String, campaignID: String?, bodies: [String]) throws -> [Int: (state: ChunkState, ids: [Int64])] {
        try pool.read { db in
            var out: [Int: (state: ChunkState, ids: [Int64])] = [:]
            for (index, body) in bodies.enumerated() {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT i.id, o.state, r.id AS resolved, r.note FROM intent i
                        LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id
                        WHERE i.api = ? AND i.campaign_id IS ? AND length(i.body) = ? AND i.body = ?
                        """, arguments: [api, campaignID, body.utf8.count, body])
                for row in rows {
                    let id: Int64 = row["id"]
                    var s = ChunkState.of(outcome: row["state"])
                    if s == .unconfirmed, (row["resolved"] as Int64?) != nil { s = ChunkState.resolved(note: row["note"]) }
                    var entry = out[index] ?? (s, [])
                    entry.ids.append(id)
                    entry.state = ChunkState.best(entry.state, s)
                    out[index] = entry
                }
            }
            return out
        }
    }

    /// Jobs of this api and campaign that still have unconfirmed chunks.
    public func unfinishedJobs(api: String, campaignID: String?) throws -> [UnfinishedJob] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT i.id, i.job_id, i.chunk_index, i.chunk_count, i.created_at FROM intent i
                    LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id
                    WHERE i.api = ? AND i.campaign_id IS ? AND i.job_id IS NOT NULL
                      AND (o.id IS NULL OR o.state = 'unknown') AND r.id IS NULL
                    ORDER BY i.id
                    """, arguments: [api, campaignID])
            var jobs: [String: UnfinishedJob] = [:]
            var order: [String] = []
            for row in rows {
                let job: String = row["job_id"]
                if jobs[job] == nil {
                    jobs[job] = UnfinishedJob(jobID: job, startedAt: row["created_at"], chunkCount: row["chunk_count"] ?? 0, unconfirmed: [:])
                    order.append(job)
                }
                if let index: Int = row["chunk_index"] { jobs[job]?.unconfirmed[index] = row["id"] }
            }
            return order.compactMap { jobs[$0] }
        }
    }
}
