import ConsoleConfig
import Foundation
import LocalStore
import Logging
import NIOPosix
import NIOSSL
import PostgresNIO
import WolkvoxAPI

/// The team store: the same journal, audit log, resolutions, search history
/// and call meter as the local `ConsoleStore`, in a PostgreSQL database that
/// every operator of a token shares (`store = "postgresql://…"`).
///
/// Nothing is sent unless its intent is in the database: `recordIntent`
/// returns only after PostgreSQL committed the row, and throws (so the client
/// refuses the send) when the database cannot be reached within the store's
/// deadline. The token never reaches the database, only its fingerprint.
public final class PostgresStore: OperationStore, @unchecked Sendable {
    public enum Failure: StoreFailure, Sendable, CustomStringConvertible, Equatable {
        case unreachable(String)
        case newerSchema(found: Int, known: Int)
        case refused(String)

        public var description: String {
            switch self {
            case .unreachable(let why): return "the team store is unreachable: \(why)"
            case .newerSchema(let found, let known):
                return "the team store's schema is version \(found), newer than this wvconsole knows (\(known)); upgrade wvconsole"
            case .refused(let why): return "the team store refused: \(why)"
            }
        }

        /// Without "the team store is…", for lines that already name it.
        public var reason: String {
            switch self {
            case .unreachable(let why): why
            case .refused(let why): "refused: " + why
            case .newerSchema: description
            }
        }
    }

    public let location: PostgresLocation
    public let operatorName: String
    let client: PostgresClient
    let connection: PostgresConnection.Configuration
    let logger: Logger
    let clock: @Sendable () -> Date
    let calendar: Calendar
    /// How long one store operation may wait for the database.
    let deadline: Duration
    private let runner: Task<Void, Never>
    private let lock = NSLock()
    private var isVerified = false
    /// This role may write a change's intent and its outcome (asked once).
    private var mayJournal: Bool?
    private var downSince: ContinuousClock.Instant?
    private var downReason = ""

    public var summary: String { "PostgreSQL " + location.description }

    /// Connects (with a pool), checks the database answers within the
    /// location's connect timeout and brings its schema up to date. Throws
    /// `Failure` with one readable line when it cannot.
    public static func open(
        _ location: PostgresLocation, operatorName: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: @escaping @Sendable () -> Date = Date.init, timeZone: TimeZone = .current
    ) async throws -> PostgresStore {
        let store = try PostgresStore(location, operatorName: operatorName, environment: environment, clock: clock, timeZone: timeZone)
        do { try await store.verify() } catch {
            store.close()
            throw error
        }
        return store
    }

    /// A store that checks its schema at its first use: for a console that
    /// starts while the database is down and must pick it up once it is back
    /// (until then every operation fails with `.unreachable`).
    public static func deferred(
        _ location: PostgresLocation, operatorName: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PostgresStore {
        try PostgresStore(location, operatorName: operatorName, environment: environment, clock: Date.init, timeZone: .current)
    }

    /// Checks (once) that the schema is this binary's, migrating an older one.
    /// A database that does not answer within the connect timeout is down;
    /// one that answers gets longer for a migration (a few dozen DDL
    /// statements in one transaction), so a busy server is not "down".
    func verify() async throws {
        if lock.withLock({ isVerified }) { return }
        let (client, op, logger, location) = (self.client, operatorName, self.logger, self.location)
        do {
            try await Self.race(deadline, location, "connect") { _ = try await PostgresSchema.current(client) }
        } catch Failure.unreachable(let why) {
            // The pool retries a refused login until the deadline, so a wrong
            // password or a missing role looked like a silent server: one
            // connection of its own says what the server said (28P01, 28000).
            if let refusal = await diagnoseLogin() { throw refusal }
            throw Failure.unreachable(why)
        }
        try await Self.race(max(deadline, .seconds(15)), location, "open") { try await PostgresSchema.migrate(client, operatorName: op, logger: logger) }
        lock.withLock { isVerified = true }
    }

    func ensureJournalWritable() async throws {
        if let known = lock.withLock({ mayJournal }) {
            if known { return }
        } else {
            let client = self.client
            let allowed = try await bounded("journal privileges") {
                let rows = try await client.query("SELECT has_table_privilege('intent', 'INSERT') AND has_table_privilege('outcome', 'INSERT')")
                for try await ok in rows.decode(Bool.self) { return ok }
                return false
            }
            lock.withLock { mayJournal = allowed }
            if allowed { return }
        }
        throw Failure.refused("role \(location.user) may not write both a change's intent and its outcome (INSERT on intent and outcome); changes are refused until this is fixed (wvconsole check)")
    }

    /// The server's own refusal of a login (wrong password, unknown role, no
    /// pg_hba.conf entry), from one connection outside the pool; nil when it
    /// connects or says nothing more.
    func diagnoseLogin() async -> Failure? {
        let (configuration, location) = (connection, self.location)
        do {
            let connection = try await Self.race(deadline, location, "login", discard: { PostgresGate.drop($0) }) {
                try await PostgresConnection.connect(on: Self.eventLoops.next(), configuration: configuration, id: 0, logger: PostgresGate.quiet)
            }
            try? await connection.close()
            return nil
        } catch let failure as Failure {
            if case .refused = failure { return failure }
            return nil
        } catch {
            return nil
        }
    }

    /// The schema version in the database, and whether this role may write
    /// the journal and the meter (for `wvconsole check`).
    public func health() async throws -> (version: Int, privileges: [String: Bool]) {
        try await bounded("check") { [client] in
            let version = try await PostgresSchema.current(client)
            var privileges: [String: Bool] = [:]
            let rows = try await client.query(
                """
                SELECT has_table_privilege('intent', 'INSERT'), has_table_privilege('outcome', 'INSERT'),
                       has_table_privilege('resolution', 'INSERT'), has_table_privilege('call_counter', 'UPDATE'),
                       has_table_privilege('intent', 'UPDATE') OR has_table_privilege('intent', 'DELETE')
                """)
            for try await (i, o, r, m, change) in rows.decode((Bool, Bool, Bool, Bool, Bool).self) {
                privileges = ["journal": i && o, "resolve": r, "meter": m, "change_audit": change]
            }
            return (version, privileges)
        }
    }

    init(
        _ location: PostgresLocation, operatorName: String, environment: [String: String], clock: @escaping @Sendable () -> Date,
        timeZone: TimeZone
    ) throws {
        self.location = location
        self.operatorName = operatorName
        self.clock = clock
        self.calendar = .gregorian(timeZone)
        self.deadline = .seconds(location.connectTimeout)
        self.logger = Logger(label: "wvconsole.teamstore")
        let password = try location.password(environment: environment)
        let tls = try Self.tls(location.sslMode)
        var config = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: tls)
        config.options.connectTimeout = .seconds(location.connectTimeout)
        config.options.maximumConnections = 4
        config.options.minimumConnections = 0
        config.options.keepAliveBehavior = .init(frequency: .seconds(30))
        var connection = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: try Self.connectionTLS(location.sslMode))
        connection.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        self.connection = connection
        // The pool retries a lost database with backoff; each failed attempt
        // is not worth a line in the log file, the first warning is.
        var poolLogger = Logger(label: "wvconsole.teamstore.pool")
        poolLogger.logLevel = .warning
        let client = PostgresClient(configuration: config, eventLoopGroup: Self.eventLoops, backgroundLogger: poolLogger)
        self.client = client
        self.runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// The team store's own event loop: a large download decoding on the
    /// HTTP client's loops (or a busy in-process simulator) never delays the
    /// journal or the gate, nor the other way round.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Ends the pool's connections (the process is done with the store).
    public func close() { runner.cancel() }

    static func tls(_ mode: PostgresLocation.SSLMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require, .verifyFull: return .require(.makeClientConfiguration())
        }
    }

    static func connectionTLS(_ mode: PostgresLocation.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require, .verifyFull: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// Runs `body` against the database once its schema is known good, giving
    /// up after the store's deadline (a database that does not answer is
    /// unreachable, not a hang).
    ///
    /// While the database is down, calls within `retryAfter` of the last
    /// failure fail at once with the same reason instead of each waiting out
    /// the deadline again (a search would otherwise pay it for the meter).
    @discardableResult
    func bounded<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        if let reason = lock.withLock({ () -> String? in
            guard let downSince, ContinuousClock.now - downSince < Self.retryAfter else { return nil }
            return downReason
        }) {
            throw Failure.unreachable(reason)
        }
        do {
            try await verify()
            let result = try await Self.race(deadline, location, what, body)
            lock.withLock { downSince = nil }
            return result
        } catch Failure.unreachable(let why) {
            lock.withLock {
                downSince = .now
                downReason = why
            }
            throw Failure.unreachable(why)
        }
    }

    /// How long a failed database is not asked again.
    static let retryAfter: Duration = .seconds(5)

    /// `body`'s result, or `.unreachable` once `limit` has passed. The body
    /// runs in a task of its own that is cancelled, not awaited, when time is
    /// up: a pool waiting for a connection to a dead database does not always
    /// give up when cancelled, and the caller must not wait for it.
    /// `discard` gets a result that came after the race was lost (a
    /// connection that must still be closed).
    @discardableResult
    static func race<T: Sendable>(
        _ limit: Duration, _ location: PostgresLocation, _ what: String,
        discard: (@Sendable (T) -> Void)? = nil,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let once = Once<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                once.arm(continuation)
                let work = Task {
                    do {
                        let value = try await body()
                        if !once.finish(.success(value)) { discard?(value) }
                    } catch {
                        once.finish(.failure(Self.failure(error, location)))
                    }
                }
                let timer = Task {
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    _ = once.finish(.failure(Failure.unreachable("\(location) did not answer within \(limit.components.seconds) s (\(what))")))
                }
                once.onCancel {
                    work.cancel()
                    timer.cancel()
                }
            }
        } onCancel: {
            once.finish(.failure(CancellationError()))
        }
    }

    /// One line for any error the database or the pool throws; never the password.
    static func failure(_ error: any Error, _ location: PostgresLocation) -> Failure {
        if let f = error as? Failure { return f }
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] {
                let state = e.serverInfo?[.sqlState].map { " (\($0))" } ?? ""
                return .refused(TerminalText.sanitize(message, limit: 200) + state)
            }
            let why = e.underlying.map { Self.plain(String(describing: $0)) } ?? "\(e.code)"
            return .unreachable("\(location): \(why)")
        }
        if error is CancellationError { return .unreachable("cancelled") }
        let raw = String(describing: error)
        // The pool's own error names its internals (ConnectionPoolError.Base.connectionCreationCircuitBreakerTripped…).
        if raw.contains("ConnectionPoolError") {
            return .unreachable("\(location): could not connect (the connection pool stopped trying after repeated failures)")
        }
        return .unreachable("\(location): " + Self.plain(raw))
    }

    /// A network error as a person reads it ("connection refused"), not NIO's nesting of it.
    static func plain(_ raw: String) -> String {
        let known = [
            ("Connection refused", "connection refused"), ("timed out", "timed out"), ("No route to host", "no route to host"),
            ("Network is unreachable", "network unreachable"), ("Name or service not known", "unknown host"),
            ("Connection reset", "connection reset"), ("password authentication failed", "password authentication failed"),
        ]
        if let hit = known.first(where: { raw.localizedCaseInsensitiveContains($0.0) }) { return hit.1 }
        return TerminalText.sanitize(raw, limit: 160)
    }

    func now() -> String { ConsoleStore.timestamp(clock()) }

    func dayKey() -> String { ConsoleStore.dayKey(clock(), calendar) }

    // MARK: - Journal

    public func recordIntent(_ intent: MutationIntent) async throws -> Int64 {
        // A role that may write intents but not outcomes would send the
        // change and leave its row unconfirmed for good: refused before
        // anything is written or sent, as `check` says.
        try await ensureJournalWritable()
        let (now, op, user) = (now(), operatorName, OperatorName.osUser)
        let client = self.client
        return try await bounded("journal intent") {
            let rows = try await client.query(
                """
                INSERT INTO intent (created_at, operator, os_user, server, campaign_id, api, method, url, body, item_count, job_id, chunk_index, chunk_count)
                VALUES (\(now), \(op), \(user), \(intent.server), \(intent.campaignID), \(intent.api.rawValue), \(intent.method.rawValue),
                        \(intent.url), \(intent.body), \(intent.itemCount), \(intent.jobID), \(intent.chunkIndex), \(intent.chunkCount))
                RETURNING id
                """)
            for try await id in rows.decode(Int64.self) { return id }
            throw Failure.refused("no id returned for the intent")
        }
    }

    public func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws {
        let now = now()
        let totals = String(decoding: try JSONEncoder.sorted.encode(outcome.totals), as: UTF8.self)
        let client = self.client
        try await bounded("journal outcome") {
            try await client.query(
                """
                INSERT INTO outcome (intent_id, recorded_at, state, status, code, message, totals)
                VALUES (\(id), \(now), \(outcome.state.rawValue), \(outcome.status), \(outcome.code), \(outcome.message), \(totals))
                """)
        }
    }

    // MARK: - Audit

    static let auditSelect = """
        SELECT i.id, i.created_at, i.os_user, i.operator, i.server, i.campaign_id, i.api, i.method, i.url, i.body, i.item_count,
               i.job_id, i.chunk_index, i.chunk_count, o.state AS outcome, o.status, o.code, o.message, o.totals, o.recorded_at,
               r.resolved_at, r.note AS resolution_note, r.operator AS resolved_by
        FROM intent i LEFT JOIN outcome o ON o.intent_id = i.id LEFT JOIN resolution r ON r.intent_id = i.id
        """

    public func auditEntries(since: String?, limit: Int, operatorName: String?) async throws -> [AuditEntry] {
        let client = self.client
        return try await bounded("audit") {
            let rows = try await client.query(
                PostgresQuery(
                    unsafeSQL: Self.auditSelect + """
                         WHERE ($1::text IS NULL OR i.created_at >= $1) AND ($2::text IS NULL OR i.operator = $2) ORDER BY i.id DESC LIMIT $3
                        """, binds: try Self.binds(since, operatorName, limit)))
            return try await Self.entries(rows)
        }
    }

    public func unconfirmed() async throws -> [AuditEntry] {
        let client = self.client
        return try await bounded("audit") {
            try await Self.entries(
                try await client.query(
                    PostgresQuery(
                        unsafeSQL: Self.auditSelect
                            + " WHERE (o.id IS NULL OR o.state = 'unknown') AND r.id IS NULL ORDER BY i.id")))
        }
    }

    public func markResolved(id: Int64, note: String) async throws {
        let (now, op, user) = (now(), operatorName, OperatorName.osUser)
        let client = self.client
        try await bounded("resolve") {
            try await client.query(
                """
                INSERT INTO resolution (intent_id, resolved_at, operator, os_user, note) VALUES (\(id), \(now), \(op), \(user), \(note))
                """)
        }
    }

    static func binds(_ since: String?, _ op: String?, _ limit: Int) throws -> PostgresBindings {
        var b = PostgresBindings()
        b.append(since)
        b.append(op)
        b.append(limit)
        return b
    }

    static func entries(_ rows: PostgresRowSequence) async throws -> [AuditEntry] {
        var out: [AuditEntry] = []
        for try await row in rows {
            out.append(try AuditEntry(row.makeRandomAccess()))
        }
        return out
    }
}

extension PostgresRandomAccessRow: AuditRow {
    public func text(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    public func integer(_ column: String) throws -> Int64? { try self[column].decode(Int?.self).map { Int64($0) } }
}

extension PostgresStore {
    /// The newest team-store schema this binary reads and writes.
    public static var schemaVersion: Int { PostgresSchema.version }
}
