import Foundation
import Logging
import ConsoleConfig
import NIOCore
import PostgresNIO
import WolkvoxAPI

/// The token's in-flight limit for a whole team: one PostgreSQL session
/// advisory lock per permit ("slot"), keyed by server and token fingerprint
/// (never the token), held on a dedicated connection for the length of the
/// request. PostgreSQL drops a session's locks when its connection ends, so
/// a console that crashes, is killed or loses its network frees its slot as
/// soon as the server sees the connection close.
///
/// Inside the process a `TokenGate` of the same limit keeps order and
/// cancellation, as for the machine-wide gate. Waiting for a slot another
/// operator holds polls (0.5 ms, doubling to 10 ms), is cancellable and is
/// reported through `observeOutsideWait`. Slot 0 is tried first, so consoles
/// configured for 1 and for 2 together never exceed 2.
///
/// When the database cannot be reached, requests go through `fallback` (the
/// machine-wide gate) and `observeFallback` says why; the database is tried
/// again for each request once `retryAfter` has passed.
public final class PostgresGate: PermitGate, @unchecked Sendable {
    struct Unreachable: Error { var reason: String }

    public let limit: Int
    let local: TokenGate
    let configuration: PostgresConnection.Configuration
    let location: PostgresLocation
    /// The advisory-lock key of this server and token (first of the two int4 keys).
    public let key: Int32
    let fallback: (any PermitGate)?
    let connectDeadline: Duration
    let retryAfter: Duration

    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var failedAt: ContinuousClock.Instant?
    private var fallbackReason: String?
    private var fallbackObserver: (@Sendable (String?) -> Void)?
    private let outsideWaits = OutsideWaits()
    private var holding = 0
    private var peak = 0
    private var nextID = 0

    static let firstPoll: Duration = .microseconds(500)
    /// 200 operators waiting at 10 ms asked PostgreSQL 20,000 times a second
    /// (Benchmarks/team-crowd.sh): it slowed past the 2 s query deadline, and
    /// waiters fell back to their machines' gates, which cannot hold the
    /// team's limit. A wait now polls up to every 100 ms, jittered so waiters
    /// do not ask in step.
    static let longestPoll: Duration = .milliseconds(100)

    public init(
        store: PostgresStore, server: String, tokenFingerprint: String, limit: Int, fallback: (any PermitGate)?,
        retryAfter: Duration = .seconds(5)
    ) {
        self.limit = min(max(limit, 1), TokenGate.hardLimit)
        self.local = TokenGate(limit: self.limit)
        self.configuration = store.connection
        self.location = store.location
        self.key = Self.key(server: server, tokenFingerprint: tokenFingerprint)
        self.fallback = fallback
        self.connectDeadline = .seconds(store.location.connectTimeout)
        self.retryAfter = retryAfter
    }

    deinit {
        for connection in idle { Self.drop(connection) }
    }

    /// FNV-1a of the server and the fingerprint: every process computes the same key.
    public static func key(server: String, tokenFingerprint: String) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in "wvconsole-gate|\(server)|\(tokenFingerprint)".utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int32(bitPattern: hash)
    }

    /// The machine's slot first, then the team's: a process on a team store
    /// and one on the local store (a rollout, an operator without `store`)
    /// that use the same token on one machine share its limit too. Always in
    /// that order, so two processes never wait on each other crosswise.
    public func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await local.withPermit {
            guard let machine = self.fallback else { return try await self.withTeamSlot(body) }
            return try await machine.withPermit { try await self.withTeamSlot(body) }
        }
    }

    /// `body` holding a team slot; while the database cannot be reached, with
    /// the machine's slot alone (the caller already holds it).
    private func withTeamSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if fallback != nil, inFallback() { return try await body() }
        let held: (connection: PostgresConnection, slot: Int)
        do { held = try await takeSlot() } catch let unreachable as Unreachable {
            enterFallback(unreachable.reason)
            guard fallback != nil else { throw APIError.network("the team gate is unreachable: \(unreachable.reason)") }
            return try await body()
        }
        leaveFallback()
        do {
            let result = try await body()
            await release(held)
            return result
        } catch {
            await release(held)
            throw error
        }
    }

    public func observeOutsideWait(_ observer: (@Sendable (Bool) -> Void)?) {
        outsideWaits.observe(observer)
    }

    public func observeFallback(_ observer: (@Sendable (String?) -> Void)?) {
        let reason: String? = lock.withLock {
            fallbackObserver = observer
            return fallbackReason
        }
        if let reason { observer?(reason) }
    }

    /// Slots this process holds now, and the most it ever held at once (tests).
    public var holdingNow: Int { lock.withLock { holding } }
    public var peakHeld: Int { lock.withLock { peak } }
    /// Why requests go through the machine-wide gate now, or nil.
    public var fallingBackBecause: String? { lock.withLock { fallbackReason } }

    // MARK: - Slots

    private func takeSlot() async throws -> (connection: PostgresConnection, slot: Int) {
        var connection = try await connection()
        // A slow answer is not a dead database: under load (200 operators,
        // Benchmarks/team-crowd.sh) single asks passed the 2 s deadline and
        // their operators fell back to their machines' gates, which cannot
        // hold the team's limit. Only a failed connection, or three slow asks
        // in a row, count as unreachable.
        var slowAsks = 0
        let sql = "SELECT CASE " + (0..<limit).map { "WHEN pg_try_advisory_lock($1, \($0)) THEN \($0) " }.joined() + "ELSE -1 END"
        var delay = Self.firstPoll
        var announced = false
        let started = ContinuousClock.now
        defer { if announced { outsideWaits.end() } }
        while true {
            var slot = -1
            do {
                let (key, asking) = (self.key, connection)
                slot = try await PostgresStore.race(Self.queryDeadline, location, "request slot") {
                    var binds = PostgresBindings()
                    binds.append(key)
                    var taken = -1
                    for try await s in try await asking.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.quiet).decode(Int.self) {
                        taken = s
                    }
                    return taken
                }
            } catch is CancellationError {
                // Cancelled while asking: the answer may still be on its way, so
                // this connection may hold a slot now; dropping it frees that.
                Self.drop(connection)
                throw CancellationError()
            } catch {
                Self.drop(connection)
                let why = PostgresStore.plain(String(describing: error))
                if why.contains("did not answer within"), slowAsks < 2 {
                    slowAsks += 1
                    connection = try await self.connection()
                    continue
                }
                throw Unreachable(reason: "\(location): " + why)
            }
            slowAsks = 0
            if slot >= 0 {
                lock.withLock {
                    holding += 1
                    peak = max(peak, holding)
                }
                if announced {
                    Logger(label: "wvconsole.gate").info(
                        "team slot free after waiting for another operator",
                        metadata: [
                            "slot": "\(slot)", "waited_ms": "\(Int((ContinuousClock.now - started).seconds * 1000))",
                        ])
                }
                return (connection, slot)
            }
            do { try Task.checkCancellation() } catch {
                giveBack(connection)
                throw error
            }
            if !announced {
                announced = true
                outsideWaits.begin()
                Logger(label: "wvconsole.gate").info("waiting for a team slot held by another operator", metadata: ["limit": "\(limit)"])
            }
            do { try await Task.sleep(for: delay * Double.random(in: 0.5...1.0)) } catch {
                giveBack(connection)
                throw error
            }
            delay = min(delay * 2, Self.longestPoll)
        }
    }

    /// Unlocks on the connection that holds the lock, outside the caller's
    /// task so a cancelled request still gives its slot back; a connection
    /// that fails here is closed, which frees the lock too.
    private func release(_ held: (connection: PostgresConnection, slot: Int)) async {
        lock.withLock { holding -= 1 }
        let (connection, key) = (held.connection, self.key)
        // A connection that is gone has lost its lock with it. A query on a
        // closed connection never answers, so it is not asked at all, and
        // an answer that does not come in time drops the connection.
        guard !connection.isClosed else { return }
        let location = self.location
        let ok = await Task {
            do {
                try await PostgresStore.race(Self.queryDeadline, location, "slot release") {
                    for try await _ in try await connection.query("SELECT pg_advisory_unlock(\(key), \(Int32(held.slot)))", logger: Self.quiet) {}
                }
                return true
            } catch {
                Logger(label: "wvconsole.gate").warning("team slot release failed; dropping its connection", metadata: ["error": "\(error)"])
                Self.drop(connection)
                return false
            }
        }.value
        if ok { giveBack(connection) }
    }

    /// Closes without waiting (closing a dead connection may never finish).
    static func drop(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        // Held until closed: postgres-nio asserts a connection is closed before it goes.
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// How long one lock or unlock may take before the database counts as gone.
    static let queryDeadline: Duration = .seconds(2)

    private func giveBack(_ connection: PostgresConnection) {
        lock.withLock { idle.append(connection) }
    }

    /// An idle connection of this gate, or a new one within the connect deadline.
    private func connection() async throws -> PostgresConnection {
        let reused: PostgresConnection? = lock.withLock {
            while let c = idle.popLast() {
                if !c.isClosed { return c }
            }
            return nil
        }
        if let reused { return reused }
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        let (configuration, deadline, location) = (self.configuration, connectDeadline, self.location)
        do {
            return try await PostgresStore.race(deadline, location, "request slot", discard: { Self.drop($0) }) {
                let connection = try await PostgresConnection.connect(
                    on: PostgresStore.eventLoops.next(), configuration: configuration, id: id,
                    logger: Self.quiet)
                do { try await Self.keepAlive(connection) } catch {
                    Self.drop(connection)
                    throw error
                }
                return connection
            }
        } catch PostgresStore.Failure.unreachable(let why) {
            throw Unreachable(reason: why)
        } catch let failure as PostgresStore.Failure {
            throw Unreachable(reason: failure.description)
        }
    }

    /// A machine that vanishes without closing its connection (power,
    /// network) frees its slot once the server's keepalives give up: about
    /// 25 s, not the OS's 2 hours.
    static func keepAlive(_ connection: PostgresConnection) async throws {
        try await connection.query("SET tcp_keepalives_idle = 10", logger: quiet)
        try await connection.query("SET tcp_keepalives_interval = 5", logger: quiet)
        try await connection.query("SET tcp_keepalives_count = 3", logger: quiet)
    }

    static let quiet: Logger = {
        var logger = Logger(label: "wvconsole.teamgate")
        logger.logLevel = .warning
        return logger
    }()

    // MARK: - Fallback and waits

    private func inFallback() -> Bool {
        lock.withLock {
            guard let failedAt else { return false }
            return ContinuousClock.now - failedAt < retryAfter
        }
    }

    private func enterFallback(_ reason: String) {
        let notify: (@Sendable (String?) -> Void)? = lock.withLock {
            failedAt = .now
            let first = fallbackReason == nil
            fallbackReason = reason
            return first ? fallbackObserver : nil
        }
        Logger(label: "wvconsole.gate").warning("team gate unreachable; using the machine-wide gate", metadata: ["reason": "\(reason)"])
        notify?(reason)
    }

    private func leaveFallback() {
        let notify: (@Sendable (String?) -> Void)? = lock.withLock {
            guard fallbackReason != nil else { return nil }
            failedAt = nil
            fallbackReason = nil
            return fallbackObserver
        }
        if let notify {
            Logger(label: "wvconsole.gate").info("team gate reachable again")
            notify(nil)
        }
    }
}
