import ConsoleConfig
import Foundation
import LocalStore
import TeamStore
import Testing
import WolkvoxAPI

/// What only the team store does: the team-wide gate on advisory locks, its
/// fallback, the schema's version rule and the append-only triggers.
@Suite(.serialized, .enabled(if: TestPostgres.runnable, TestPostgres.skipReason)) struct PostgresTeamTests {
    /// A fresh database and a store on it, or nil (recorded) without PostgreSQL.
    static func database() async throws -> (store: PostgresStore, url: String, admin: String)? {
        guard let admin = TestPostgres.available() else { return nil }
        let (location, url) = try await TestPostgres.freshDatabase(admin)
        return (try await PostgresStore.open(location, operatorName: "ana@pc1", environment: [:]), url, admin)
    }

    static func done(_ db: (store: PostgresStore, url: String, admin: String)) async {
        db.store.close()
        await TestPostgres.drop(db.admin, db.store.location)
    }

    /// Counts bodies running at once across every gate.
    final class Concurrency: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 0
        private(set) var peak = 0
        func enter() {
            lock.withLock {
                now += 1
                peak = max(peak, now)
            }
        }
        func leave() { lock.withLock { now -= 1 } }
    }

    @Test(arguments: [1, 2])
    func threeOperatorsOnOneTokenNeverExceedTheLimit(limit: Int) async throws {
        guard let db = try await Self.database() else { return }
        // Three "machines": gates with their own connections and no fallback.
        let gates = (0..<3).map { _ in PostgresGate(store: db.store, server: "0025", tokenFingerprint: "f00d", limit: limit, fallback: nil) }
        let running = Concurrency()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<30 {
                group.addTask {
                    try await gates[i % 3].withPermit {
                        running.enter()
                        try await Task.sleep(for: .milliseconds(4))
                        running.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(running.peak == limit, "peak \(running.peak) with limit \(limit)")
        #expect(gates.allSatisfy { $0.holdingNow == 0 })
        // Every slot was unlocked on its connection, not merely dropped with it:
        // the gates' connections are still open and hold no lock.
        let held = await TestPostgres.psql(
            db.url, "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()"
        ).output
        #expect(held.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "advisory locks still held: \(held)")
        let open = await TestPostgres.psql(db.url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            .output
        #expect((Int(open.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 3, "the gates keep their connections: \(open)")
        withExtendedLifetime(gates) {}
        await Self.done(db)
    }

    @Test func aSlotHeldByAKilledProcessIsFreeWithinTwoSeconds() async throws {
        guard let db = try await Self.database() else { return }
        let key = PostgresGate.key(server: "0025", tokenFingerprint: "f00d")
        // Another operator's process takes slot 0 and then sits on it, idle
        // (as a console does while its request is out), until it is killed.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["psql", db.url, "-qAt"]
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        input.fileHandleForWriting.write(Data("SELECT pg_advisory_lock(\(key), 0);\n".utf8))
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        var held = false
        for _ in 0..<200 where !held {
            held = await TestPostgres.psql(
                db.url,
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()"
            ).output.hasPrefix("1")
            if !held { try await Task.sleep(for: .milliseconds(20)) }
        }
        try #require(held, "the holder took the slot")
        let gate = PostgresGate(store: db.store, server: "0025", tokenFingerprint: "f00d", limit: 1, fallback: nil)
        let waits = Flag()
        gate.observeOutsideWait { if $0 { waits.set() } }
        let request = Task { try await gate.withPermit { ContinuousClock.now } }
        for _ in 0..<200 where !waits.isSet { try await Task.sleep(for: .milliseconds(10)) }
        #expect(waits.isSet, "the waiter says it waits for another holder")
        let killed = ContinuousClock.now
        kill(holder.processIdentifier, SIGKILL)
        let ran = try await request.value
        let handoff = ran - killed
        print("kill -9 of the team-slot holder → the waiter runs: \(handoff)")
        #expect(handoff < .seconds(2), "the slot was free \(handoff) after the kill")
        await Self.done(db)
    }

    @Test func waitingForATeamSlotIsCancellableAndSendsNothing() async throws {
        guard let db = try await Self.database() else { return }
        let a = PostgresGate(store: db.store, server: "0025", tokenFingerprint: "f00d", limit: 1, fallback: nil)
        let b = PostgresGate(store: db.store, server: "0025", tokenFingerprint: "f00d", limit: 1, fallback: nil)
        let release = Flag(), holding = Flag(), ranB = Flag()
        let holder = Task {
            try await a.withPermit {
                holding.set()
                while !release.isSet { try? await Task.sleep(for: .milliseconds(5)) }
            }
        }
        while !holding.isSet { try await Task.sleep(for: .milliseconds(5)) }
        let waiter = Task { try await b.withPermit { ranB.set() } }
        try await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!ranB.isSet)
        release.set()
        try await holder.value
        // The slot is free again for the cancelled gate too.
        try await b.withPermit { ranB.set() }
        #expect(ranB.isSet && a.holdingNow == 0 && b.holdingNow == 0)
        await Self.done(db)
    }

    @Test func anUnreachableDatabaseFallsBackToTheMachineGateAndSaysSo() async throws {
        guard TestPostgres.available() != nil else { return }
        var nowhere = PostgresLocation(host: "127.0.0.1", port: 1, user: "nobody", database: "none")
        nowhere.sslMode = .disable
        nowhere.connectTimeout = 1
        let store = try PostgresStore.deferred(nowhere, operatorName: "ana@pc1", environment: [:])
        defer { store.close() }
        let fallback = TokenGate(limit: 1)
        let gate = PostgresGate(store: store, server: "0025", tokenFingerprint: "f00d", limit: 1, fallback: fallback)
        let said = Box<String?>(nil)
        gate.observeFallback { said.value = $0 }
        let answer = try await gate.withPermit { 42 }
        #expect(answer == 42, "reads go on")
        #expect(said.value?.contains("127.0.0.1:1") == true, "\(said.value ?? "nothing said")")
        #expect(gate.fallingBackBecause != nil)
        // Writes are refused: the journal cannot take the intent.
        await #expect(throws: PostgresStore.Failure.self) { _ = try await store.recordIntent(intent()) }
        let noFallback = PostgresGate(store: store, server: "0025", tokenFingerprint: "f00d", limit: 1, fallback: nil)
        await #expect(throws: APIError.self) { try await noFallback.withPermit { 1 } }
    }

    @Test func aSchemaNewerThanTheBinaryIsRefused() async throws {
        guard let db = try await Self.database() else { return }
        #expect(await TestPostgres.psql(db.url, "INSERT INTO schema_version (version, applied_by) VALUES (99, 'future')").status == 0)
        await #expect(throws: PostgresStore.Failure.newerSchema(found: 99, known: PostgresStore.schemaVersion)) {
            _ = try await PostgresStore.open(db.store.location, operatorName: "luis@pc2", environment: [:])
        }
        await Self.done(db)
    }

    @Test func consolesStartingTogetherOnANewDatabaseAllMigrateIt() async throws {
        guard let admin = TestPostgres.available() else { return }
        let (location, url) = try await TestPostgres.freshDatabase(admin)
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for i in 0..<4 { group.addTask { try await PostgresStore.open(location, operatorName: "op\(i)", environment: [:]) } }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        #expect(stores.count == 4)
        #expect(await TestPostgres.psql(url, "SELECT count(*) FROM schema_version").output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        stores.forEach { $0.close() }
        await TestPostgres.drop(admin, location)
    }

    @Test func theAuditTablesRefuseUpdateDeleteAndTruncate() async throws {
        guard let db = try await Self.database() else { return }
        let id = try await db.store.recordIntent(intent())
        try await db.store.recordOutcome(id, MutationOutcome(state: .succeeded, status: 202, code: 202, message: "ok"))
        try await db.store.markResolved(id: id, note: "checked")
        for sql in [
            "UPDATE intent SET body = 'x'", "DELETE FROM intent", "UPDATE outcome SET state = 'rejected'", "DELETE FROM outcome",
            "UPDATE resolution SET note = 'x'", "DELETE FROM resolution", "TRUNCATE intent CASCADE", "TRUNCATE outcome",
        ] {
            let r = await TestPostgres.psql(db.url, sql)
            #expect(r.status != 0 && r.output.contains("append-only"), "\(sql): \(r.output)")
        }
        let entries = try await db.store.auditEntries(since: nil, limit: 10, operatorName: nil)
        #expect(entries.count == 1 && entries[0].body == #"{"customer_id":"A"}"# && entries[0].outcome == "succeeded")
        await Self.done(db)
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// The team store's credentials and roles (issue 36).
extension PostgresTeamTests {
    /// A role that may write intents but not outcomes: the change is refused
    /// before its intent is written (so nothing is sent and no row is left
    /// unconfirmed for good), saying which privilege is missing.
    @Test func aRoleThatCannotWriteOutcomesIsRefusedBeforeAnythingIsWritten() async throws {
        guard let db = try await Self.database() else { return }
        let role = "wvlimited_" + UUID().uuidString.prefix(8).lowercased()
        for sql in [
            "CREATE ROLE \(role) LOGIN", "GRANT CONNECT ON DATABASE \(db.store.location.database) TO \(role)",
            "GRANT USAGE ON SCHEMA public TO \(role)", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role)",
            "GRANT INSERT ON intent TO \(role)", "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(role)",
        ] {
            let r = await TestPostgres.psql(db.url, sql)
            try #require(r.status == 0, "\(sql): \(r.output)")
        }
        var location = db.store.location
        location.user = role
        let limited = try await PostgresStore.open(location, operatorName: "ana@pc1", environment: [:])
        let refused = await #expect(throws: PostgresStore.Failure.self) { _ = try await limited.recordIntent(intent()) }
        #expect(refused.map { String(describing: $0).contains("INSERT on intent and outcome") } == true, "\(String(describing: refused))")
        #expect(await TestPostgres.psql(db.url, "SELECT count(*) FROM intent").output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        limited.close()
        _ = await TestPostgres.psql(db.url, "DROP OWNED BY \(role); DROP ROLE \(role)")
        await Self.done(db)
    }

    /// A login the server refuses (here: a role that does not exist, 28000)
    /// is said in the server's words, not as "did not answer within 3 s".
    @Test func aRefusedLoginSaysWhyNotThatTheServerIsSilent() async throws {
        guard let db = try await Self.database() else { return }
        var location = db.store.location
        location.user = "nosuchrole_" + UUID().uuidString.prefix(6).lowercased()
        location.connectTimeout = 3
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresStore.Failure.self) { _ = try await PostgresStore.open(location, operatorName: "x", environment: [:]) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("does not exist") && text.contains("28000"), "\(text)")
        #expect(!text.contains("did not answer"), "\(text)")
        #expect(ContinuousClock.now - started < .seconds(10))
        await Self.done(db)
    }
}
