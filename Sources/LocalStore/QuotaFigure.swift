import Foundation
import GRDB
import WolkvoxAPI

/// What `token_info` said: the operation's calls today, as the vendor counts
/// them (every process, every machine on the token), and the local call count
/// at that moment.
public struct QuotaFigure: Sendable, Equatable {
    public var readAt: Date
    public var allTokenToday: Int
    public var tokenLimit: Int?
    public var tokenUseToday: Int?
    public var localAtRead: Int

    public init(readAt: Date, allTokenToday: Int, tokenLimit: Int?, tokenUseToday: Int?, localAtRead: Int) {
        self.readAt = readAt
        self.allTokenToday = allTokenToday
        self.tokenLimit = tokenLimit
        self.tokenUseToday = tokenUseToday
        self.localAtRead = localAtRead
    }
}

/// The meter as the status line and `wvconsole quota` show it: today's
/// figure from token_info (if one was read today) plus the calls this machine
/// made since, else this machine's own count.
public struct MeterReading: Sendable, Equatable {
    /// Calls this machine made today on this server and token (all processes).
    public var localCalls: Int
    /// Today's token_info figure, if any.
    public var figure: QuotaFigure?
    /// When token_info was last asked (by any process), answered or not.
    public var askedAt: Date?

    public init(localCalls: Int, figure: QuotaFigure? = nil, askedAt: Date? = nil) {
        self.localCalls = localCalls
        self.figure = figure
        self.askedAt = askedAt
    }

    /// Calls made here since the figure was read.
    public var callsSinceFigure: Int? { figure.map { max(0, localCalls - $0.localAtRead) } }

    /// The day's calls: the operation's figure plus ours since, never below
    /// this machine's own count (a figure can lag or count another way), else ours.
    public var used: Int { max(figureUsed ?? 0, localCalls) }

    /// The operation's figure plus this machine's calls since it was read.
    public var figureUsed: Int? { figure.map { $0.allTokenToday + (callsSinceFigure ?? 0) } }

    /// The figure (plus calls since) is below this machine's own count today.
    public var figureBelowLocal: Bool { (figureUsed ?? localCalls) < localCalls }

    /// The day's quota: the vendor's `token_limit` when known, else `configured` (licenses × 1000).
    public func limit(or configured: Int) -> Int {
        if let l = figure?.tokenLimit, l > 0 { return l }
        return configured
    }

    /// The earliest moment token_info may be asked again.
    public var nextAskAt: Date? { askedAt?.addingTimeInterval(QuotaRefresher.interval) }
}

extension ConsoleStore {
    /// The meter for this server and token: one cheap read, no API call.
    public func meterReading(server: String, fingerprint: String) throws -> MeterReading {
        let day = dayKey(clock())
        return try pool.read { db in
            let local =
                try Int.fetchOne(
                    db, sql: "SELECT calls FROM call_counter WHERE server = ? AND fingerprint = ? AND day = ?",
                    arguments: [server, fingerprint, day]) ?? 0
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM token_figure WHERE server = ? AND fingerprint = ?",
                    arguments: [server, fingerprint])
            else {
                return MeterReading(localCalls: local)
            }
            let asked: Double = row["asked_at"]
            var reading = MeterReading(localCalls: local, askedAt: asked > 0 ? Date(timeIntervalSince1970: asked) : nil)
            // Yesterday's figure says nothing about today.
            if let readAt: Double = row["read_at"], let all: Int = row["all_token_today"], (row["day"] as String?) == day {
                reading.figure = QuotaFigure(
                    readAt: Date(timeIntervalSince1970: readAt), allTokenToday: all,
                    tokenLimit: row["token_limit"], tokenUseToday: row["token_use_today"],
                    localAtRead: row["local_at_read"] ?? 0)
            }
            return reading
        }
    }

    /// Claims the next token_info ask for this server and token: a claim for
    /// one caller per `interval` across every process on the machine (an
    /// immediate transaction, so two processes cannot both see it free); nil
    /// while the last ask is younger than `interval`.
    public func claimTokenInfoAsk(server: String, fingerprint: String, interval: TimeInterval) throws -> AskClaim? {
        let now = clock().timeIntervalSince1970
        return try pool.writeWithoutTransaction { db in
            var claim: AskClaim?
            try db.inTransaction(.immediate) {
                let asked = try Double.fetchOne(
                    db, sql: "SELECT asked_at FROM token_figure WHERE server = ? AND fingerprint = ?",
                    arguments: [server, fingerprint])
                // A clock set back is no reason to wait for hours.
                if let asked, now - asked < interval, now >= asked { return .commit }
                try db.execute(
                    sql: """
                        INSERT INTO token_figure (server, fingerprint, asked_at) VALUES (?, ?, ?)
                        ON CONFLICT(server, fingerprint) DO UPDATE SET asked_at = excluded.asked_at
                        """, arguments: [server, fingerprint, now])
                claim = AskClaim(at: now, previous: asked ?? 0)
                return .commit
            }
            return claim
        }
    }

    /// Gives a claim back after an ask that brought no figure, so the next
    /// `:quota` may try again at once; automatic asks happen only at start.
    public func releaseTokenInfoAsk(_ claim: AskClaim, server: String, fingerprint: String) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE token_figure SET asked_at = ? WHERE server = ? AND fingerprint = ? AND asked_at = ?",
                arguments: [claim.previous, server, fingerprint, claim.at])
        }
    }

    /// Stores token_info's answer with the local count it corresponds to:
    /// `localAtRead` (the count before the ask plus the ask itself), or the
    /// count now if that is lower. Calls other processes made during the ask
    /// then count as made after it: the meter errs high, never low.
    public func saveTokenFigure(_ info: TokenInfo, server: String, fingerprint: String, localAtRead: Int? = nil) throws {
        guard let all = info.allTokenToday else { return }
        let now = clock()
        let day = dayKey(now)
        try pool.write { db in
            let current =
                try Int.fetchOne(
                    db, sql: "SELECT calls FROM call_counter WHERE server = ? AND fingerprint = ? AND day = ?",
                    arguments: [server, fingerprint, day]) ?? 0
            let local = min(localAtRead ?? current, current)
            try db.execute(
                sql: """
                    INSERT INTO token_figure (server, fingerprint, asked_at, read_at, day, all_token_today, token_limit, token_use_today, local_at_read)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(server, fingerprint) DO UPDATE SET read_at = excluded.read_at, day = excluded.day,
                        all_token_today = excluded.all_token_today, token_limit = excluded.token_limit,
                        token_use_today = excluded.token_use_today, local_at_read = excluded.local_at_read
                    """,
                arguments: [
                    server, fingerprint, now.timeIntervalSince1970, now.timeIntervalSince1970, day, all,
                    info.tokenLimit, info.tokenUseToday, local,
                ])
        }
    }
}

/// Asks token_info for the console and `wvconsole quota`, never more often
/// than every 5 minutes across every process on the machine (the vendor's
/// rule: the call itself costs one use). A failure never blocks work: the
/// caller says so once and the local count stands. An ask that brought no
/// figure does not start the 5 minutes, so `:quota` can try again; nothing
/// retries on its own.
public struct QuotaRefresher: Sendable {
    public static let interval: TimeInterval = 300

    public enum Outcome: Sendable, Equatable {
        /// Asked just now; the reading holds the new figure.
        case read(MeterReading)
        /// Asked less than 5 minutes ago (here or by another process): not asked again.
        case cached(MeterReading)
        /// Asked, and it failed; the reading is the local count.
        case failed(APIError, MeterReading)

        public var reading: MeterReading {
            switch self {
            case .read(let r), .cached(let r), .failed(_, let r): return r
            }
        }
    }

    let client: WolkvoxClient
    let store: any OperationStore

    public init(client: WolkvoxClient, store: any OperationStore) {
        self.client = client
        self.store = store
    }

    var server: String { client.endpoint.server }
    var fingerprint: String { client.tokenFingerprint }

    public func reading() async -> MeterReading {
        (try? await store.meterReading(server: server, fingerprint: fingerprint)) ?? MeterReading(localCalls: 0)
    }

    /// Asks token_info unless it was asked less than 5 minutes ago.
    public func refresh() async -> Outcome {
        let claim: AskClaim?
        do { claim = try await store.claimTokenInfoAsk(server: server, fingerprint: fingerprint, interval: Self.interval) } catch {
            return .failed(.storeUnavailable(String(describing: error)), await reading())
        }
        guard let claim else { return .cached(await reading()) }
        let before = await reading().localCalls
        let failure: APIError
        do {
            if let info = try await client.tokenInfo(), info.allTokenToday != nil {
                try await store.saveTokenFigure(info, server: server, fingerprint: fingerprint, localAtRead: before + 1)
                return .read(await reading())
            }
            failure = .malformedResponse(ErrorDetail(status: 200, code: 200, serverMessage: "token_info gave no all_token_today"))
        } catch let error as APIError {
            failure = error
        } catch {
            failure = .network(String(describing: error))
        }
        try? await store.releaseTokenInfoAsk(claim, server: server, fingerprint: fingerprint)
        return .failed(failure, await reading())
    }
}
