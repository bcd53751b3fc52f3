import Foundation
import GRDB
import WolkvoxAPI

/// A remembered search.
public struct PastSearch: Sendable, Equatable {
    public var kind: String
    public var text: String
    public init(kind: String, text: String) {
        self.kind = kind
        self.text = text
    }
}

extension ConsoleStore: CallMeter {
    /// Counts one HTTP call against today's (local) quota for this server and token.
    public func countCall(server: String, tokenFingerprint: String) async {
        let day = dayKey(clock())
        try? await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO call_counter (server, fingerprint, day, calls) VALUES (?, ?, ?, 1)
                    ON CONFLICT(server, fingerprint, day) DO UPDATE SET calls = calls + 1
                    """, arguments: [server, tokenFingerprint, day])
        }
    }

    public func callsToday(server: String, fingerprint: String) throws -> Int {
        let day = dayKey(clock())
        return try pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT calls FROM call_counter WHERE server = ? AND fingerprint = ? AND day = ?",
                arguments: [server, fingerprint, day]) ?? 0
        }
    }

    /// The local calendar day: the meter resets at local midnight.
    func dayKey(_ date: Date) -> String { Self.dayKey(date, calendar) }

    /// The meter's day ("2026-12-02") in `calendar`'s time zone; every store keys on it.
    public static func dayKey(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}

extension ConsoleStore {
    /// Remembers a search for Up/Down recall in the search bar ("" = all campaigns).
    public func recordSearch(campaignID: String, kind: String, text: String) throws {
        let now = ConsoleStore.timestamp(clock())
        try pool.write { db in
            try db.execute(
                sql: "DELETE FROM search_history WHERE campaign_id = ? AND kind = ? AND text = ? AND operator IN ('', ?)",
                arguments: [campaignID, kind, text, operatorName])
            try db.execute(
                sql: "INSERT INTO search_history (campaign_id, kind, text, searched_at, operator) VALUES (?, ?, ?, ?, ?)",
                arguments: [campaignID, kind, text, now, operatorName])
            // Keep the table small: 200 per campaign is more than anyone scrolls through.
            try db.execute(
                sql: """
                    DELETE FROM search_history WHERE campaign_id = ? AND id NOT IN
                    (SELECT id FROM search_history WHERE campaign_id = ? ORDER BY id DESC LIMIT 200)
                    """, arguments: [campaignID, campaignID])
        }
    }

    /// Newest first.
    public func recentSearches(campaignID: String, limit: Int = 50) throws -> [PastSearch] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, text FROM search_history WHERE campaign_id = ? AND operator IN ('', ?) ORDER BY id DESC LIMIT ?",
                arguments: [campaignID, operatorName, limit]
            ).map { PastSearch(kind: $0["kind"], text: $0["text"]) }
        }
    }
}
