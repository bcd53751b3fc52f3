import Foundation
import LocalStore
import PostgresNIO
import WolkvoxAPI

// The call meter, token_info's figure and the claim on its 5-minute ask:
// one counter row per (server, token fingerprint, day) that every operator
// increments atomically, so the status line shows the team's figure.
extension PostgresStore {
    public func countCall(server: String, tokenFingerprint: String) async {
        let day = dayKey()
        let client = self.client
        do {
            try await bounded("meter") {
                try await client.query(
                    """
                    INSERT INTO call_counter (server, fingerprint, day, calls) VALUES (\(server), \(tokenFingerprint), \(day), 1)
                    ON CONFLICT (server, fingerprint, day) DO UPDATE SET calls = call_counter.calls + 1
                    """)
            }
        } catch {
            logger.warning("team meter not counted", metadata: ["error": "\(error)"])
        }
    }

    public func callsToday(server: String, fingerprint: String) async throws -> Int {
        let day = dayKey()
        let client = self.client
        return try await bounded("meter") { try await Self.calls(client, server, fingerprint, day) }
    }

    static func calls(_ client: PostgresClient, _ server: String, _ fingerprint: String, _ day: String) async throws -> Int {
        let rows = try await client.query("SELECT calls FROM call_counter WHERE server = \(server) AND fingerprint = \(fingerprint) AND day = \(day)")
        for try await c in rows.decode(Int.self) { return c }
        return 0
    }

    public func meterReading(server: String, fingerprint: String) async throws -> MeterReading {
        let day = dayKey()
        let client = self.client
        return try await bounded("meter") {
            let rows = try await client.query(
                """
                SELECT coalesce((SELECT calls FROM call_counter WHERE server = \(server) AND fingerprint = \(fingerprint) AND day = \(day)), 0),
                       f.asked_at, f.read_at, f.day, f.all_token_today, f.token_limit, f.token_use_today, f.local_at_read
                FROM (SELECT 1) AS one LEFT JOIN token_figure f ON f.server = \(server) AND f.fingerprint = \(fingerprint)
                """)
            var reading = MeterReading(localCalls: 0)
            for try await (local, asked, readAt, figureDay, all, limit, use, atRead) in rows.decode(
                (Int, Double?, Double?, String?, Int?, Int?, Int?, Int?).self)
            {
                reading.localCalls = local
                if let asked, asked > 0 { reading.askedAt = Date(timeIntervalSince1970: asked) }
                // Yesterday's figure says nothing about today.
                if let readAt, let all, figureDay == day {
                    reading.figure = QuotaFigure(
                        readAt: Date(timeIntervalSince1970: readAt), allTokenToday: all, tokenLimit: limit,
                        tokenUseToday: use, localAtRead: atRead ?? 0)
                }
            }
            return reading
        }
    }

    public func claimTokenInfoAsk(server: String, fingerprint: String, interval: TimeInterval) async throws -> AskClaim? {
        let now = clock().timeIntervalSince1970
        let (client, logger) = (self.client, self.logger)
        return try await bounded("token_info claim") {
            try await client.withTransaction(logger: logger) { conn -> AskClaim? in
                try await conn.query(
                    """
                    INSERT INTO token_figure (server, fingerprint, asked_at) VALUES (\(server), \(fingerprint), 0) ON CONFLICT DO NOTHING
                    """, logger: logger)
                var asked = 0.0
                for try await a in try await conn.query(
                    "SELECT asked_at FROM token_figure WHERE server = \(server) AND fingerprint = \(fingerprint) FOR UPDATE", logger: logger
                ).decode(Double.self) { asked = a }
                // A clock set back is no reason to wait for hours.
                if asked > 0, now - asked < interval, now >= asked { return nil }
                try await conn.query(
                    "UPDATE token_figure SET asked_at = \(now) WHERE server = \(server) AND fingerprint = \(fingerprint)",
                    logger: logger)
                return AskClaim(at: now, previous: asked)
            }
        }
    }

    public func releaseTokenInfoAsk(_ claim: AskClaim, server: String, fingerprint: String) async throws {
        let client = self.client
        try await bounded("token_info claim") {
            try await client.query(
                """
                UPDATE token_figure SET asked_at = \(claim.previous) WHERE server = \(server) AND fingerprint = \(fingerprint) AND asked_at = \(claim.at)
                """)
        }
    }

    public func saveTokenFigure(_ info: TokenInfo, server: String, fingerprint: String, localAtRead: Int?) async throws {
        guard let all = info.allTokenToday else { return }
        let now = clock().timeIntervalSince1970
        let day = dayKey()
        let client = self.client
        try await bounded("token_info figure") {
            let current = try await Self.calls(client, server, fingerprint, day)
            let local = min(localAtRead ?? current, current)
            try await client.query(
                """
                INSERT INTO token_figure (server, fingerprint, asked_at, read_at, day, all_token_today, token_limit, token_use_today, local_at_read)
                VALUES (\(server), \(fingerprint), \(now), \(now), \(day), \(all), \(info.tokenLimit), \(info.tokenUseToday), \(local))
                ON CONFLICT (server, fingerprint) DO UPDATE SET read_at = excluded.read_at, day = excluded.day,
                    all_token_today = excluded.all_token_today, token_limit = excluded.token_limit,
                    token_use_today = excluded.token_use_today, local_at_read = excluded.local_at_read
                """)
        }
    }

    // MARK: - Search history (each operator's own)

    public func recordSearch(campaignID: String, kind: String, text: String) async throws {
        let (now, op) = (now(), operatorName)
        let (client, logger) = (self.client, self.logger)
        try await bounded("search history") {
            try await client.withTransaction(logger: logger) { conn in
                try await conn.query(
                    """
                    DELETE FROM search_history WHERE operator = \(op) AND campaign_id = \(campaignID) AND kind = \(kind) AND text = \(text)
                    """, logger: logger)
                try await conn.query(
                    """
                    INSERT INTO search_history (operator, campaign_id, kind, text, searched_at) VALUES (\(op), \(campaignID), \(kind), \(text), \(now))
                    """, logger: logger)
                // 200 per operator and campaign is more than anyone scrolls through.
                try await conn.query(
                    """
                    DELETE FROM search_history WHERE operator = \(op) AND campaign_id = \(campaignID) AND id NOT IN
                    (SELECT id FROM search_history WHERE operator = \(op) AND campaign_id = \(campaignID) ORDER BY id DESC LIMIT 200)
                    """, logger: logger)
            }
        }
    }

    public func recentSearches(campaignID: String, limit: Int) async throws -> [PastSearch] {
        let op = operatorName
        let client = self.client
        return try await bounded("search history") {
            var out: [PastSearch] = []
            let rows = try await client.query(
                """
                SELECT kind, text FROM search_history WHERE operator = \(op) AND campaign_id = \(campaignID) ORDER BY id DESC LIMIT \(limit)
                """)
            for try await (kind, text) in rows.decode((String, String).self) { out.append(PastSearch(kind: kind, text: text)) }
            return out
        }
    }

    // MARK: - Bulk jobs

    public func chunkStates(forJob jobID: String) async throws -> [Int: ChunkState] {
        let client = self.client
        return try await bounded("job states") {
            var out: [Int: ChunkState] = [:]
            let rows = try await client.query(
                """
                SELECT i.chunk_index, o.state, r.id, r.note FROM intent i
                LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id WHERE i.job_id = \(jobID)
                """)
            for try await (index, state, resolved, note) in rows.decode((Int?, String?, Int64?, String?).self) {
                guard let index else { continue }
                var s = ChunkState.of(outcome: state)
                if s == .unconfirmed, resolved != nil { s = ChunkState.resolved(note: note) }
                out[index] = ChunkState.best(out[index], s)
            }
            return out
        }
    }

    public func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: (state: ChunkState, ids: [Int64])] {
        let client = self.client
        return try await bounded("job states") {
            var out: [Int: (state: ChunkState, ids: [Int64])] = [:]
            for (index, body) in bodies.enumerated() {
                let rows = try await client.query(
                    """
                    SELECT i.id, o.state, r.id IS NOT NULL, r.note FROM intent i
                    LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id
                    WHERE i.api = \(api) AND i.campaign_id IS NOT DISTINCT FROM \(campaignID) AND md5(i.body) = md5(\(body)) AND i.body = \(body)
                    """)
                for try await (id, state, resolved, note) in rows.decode((Int64, String?, Bool, String?).self) {
                    var s = ChunkState.of(outcome: state)
                    if s == .unconfirmed, resolved { s = ChunkState.resolved(note: note) }
                    var entry = out[index] ?? (s, [])
                    entry.ids.append(id)
                    entry.state = ChunkState.best(entry.state, s)
                    out[index] = entry
                }
            }
            return out
        }
    }

    public func unfinishedJobs(api: String, campaignID: String?) async throws -> [UnfinishedJob] {
        let client = self.client
        return try await bounded("job states") {
            let rows = try await client.query(
                """
                SELECT i.id, i.job_id, i.chunk_index, i.chunk_count, i.created_at FROM intent i
                LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id
                WHERE i.api = \(api) AND i.campaign_id IS NOT DISTINCT FROM \(campaignID) AND i.job_id IS NOT NULL
                  AND (o.id IS NULL OR o.state = 'unknown') AND r.id IS NULL
                ORDER BY i.id
                """)
            var jobs: [String: UnfinishedJob] = [:]
            var order: [String] = []
            for try await (id, job, index, count, created) in rows.decode((Int64, String, Int?, Int?, String).self) {
                if jobs[job] == nil {
                    jobs[job] = UnfinishedJob(jobID: job, startedAt: created, chunkCount: count ?? 0, unconfirmed: [:])
                    order.append(job)
                }
                if let index { jobs[job]?.unconfirmed[index] = id }
            }
            return order.compactMap { jobs[$0] }
        }
    }
}
