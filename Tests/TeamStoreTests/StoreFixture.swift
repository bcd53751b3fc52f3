import ConsoleConfig
import Foundation
import LocalStore
import TeamStore
import Testing
import WolkvoxAPI

/// The two stores the contract runs on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// The stores there is a database for: PostgreSQL only with
    /// WVCONSOLE_TEST_PG, or in CI (where its absence fails the run).
    static var testable: [Backend] { TestPostgres.runnable ? allCases : [.sqlite] }
}

/// The PostgreSQL the tests use: `WVCONSOLE_TEST_PG` names a role that may
/// create databases (`.ci/run` starts a throwaway cluster and sets it). Each
/// test gets a database of its own, dropped afterwards. Unset: the
/// PostgreSQL cases fail in CI (CI=true) and are skipped locally, saying so.
enum TestPostgres {
    static var adminURL: String? {
        let v = ProcessInfo.processInfo.environment["WVCONSOLE_TEST_PG"]
        return v?.isEmpty == false ? v : nil
    }

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false }

    /// Whether the PostgreSQL tests run: with a database, or in CI, where
    /// its absence is a failure. Elsewhere they are reported skipped.
    static var runnable: Bool { adminURL != nil || inCI }

    static let skipReason: Comment = "needs PostgreSQL: run scripts/test-postgres.sh start DIR and export WVCONSOLE_TEST_PG (CI does)"

    /// The admin URL, or nil after recording why (an issue in CI, a note locally).
    static func available(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let adminURL { return adminURL }
        if ProcessInfo.processInfo.environment["CI"].map({ !$0.isEmpty && $0 != "false" }) ?? false {
            Issue.record("WVCONSOLE_TEST_PG is not set: CI must start PostgreSQL (.ci/run) for the team-store tests", sourceLocation: sourceLocation)
        } else {
            print("note: WVCONSOLE_TEST_PG is unset; skipping the PostgreSQL case (run scripts/test-postgres.sh start DIR and export the URL it prints)")
        }
        return nil
    }

    /// Runs psql on a thread of its own: the cooperative pool (two threads on
    /// two cores) is libdispatch's global queue on Linux, so a blocking wait
    /// on either starves every other test in the process.
    static func psql(_ url: String, _ sql: String) async -> (status: Int32, output: String) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: psqlBlocking(url, sql)) }.start()
        }
    }

    static func psqlBlocking(_ url: String, _ sql: String) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (127, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A new, empty database; its location (for stores) and URL (for psql).
    static func freshDatabase(_ admin: String) async throws -> (location: PostgresLocation, url: String) {
        let name = "wvt_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let made = await psql(admin, "CREATE DATABASE \(name)")
        try #require(made.status == 0, "CREATE DATABASE: \(made.output)")
        guard case .postgres(var location) = try StoreLocation.parse(admin, from: "WVCONSOLE_TEST_PG") else {
            throw ConfigError("WVCONSOLE_TEST_PG is not a postgresql:// URL")
        }
        location.database = name
        location.sslMode = .disable
        // The whole suite runs in parallel on two cores: a slow answer is not a dead database here.
        location.connectTimeout = 60
        var c = URLComponents(string: admin)!
        c.path = "/" + name
        return (location, c.string!)
    }

    static func drop(_ admin: String, _ location: PostgresLocation) async {
        _ = await psql(admin, "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
    }
}

/// A store of either backend, and a second one on the same data (another
/// operator, another process), cleaned up by `close()`.
final class StoreFixture: @unchecked Sendable {
    let backend: Backend
    private(set) var stores: [any OperationStore] = []
    private var cleanup: [@Sendable () async -> Void] = []
    private var open: (String) async throws -> any OperationStore = { _ in fatalError() }
    var pgURL: String?

    init(_ backend: Backend, clock: @escaping @Sendable () -> Date = Date.init) async throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("wvteam-\(UUID().uuidString)/wvconsole.sqlite")
            open = { name in try ConsoleStore(path: path, operatorName: name, clock: clock) }
            cleanup.append { try? FileManager.default.removeItem(at: path.deletingLastPathComponent()) }
        case .postgres:
            guard let admin = TestPostgres.adminURL else { throw Skip() }
            let (location, url) = try await TestPostgres.freshDatabase(admin)
            pgURL = url
            open = { name in try await PostgresStore.open(location, operatorName: name, environment: [:], clock: clock) }
            cleanup.append { await TestPostgres.drop(admin, location) }
        }
    }

    struct Skip: Error {}

    /// A store on this fixture's data acting as `operatorName`.
    func store(_ operatorName: String = "ana@pc1") async throws -> any OperationStore {
        let s = try await open(operatorName)
        stores.append(s)
        return s
    }

    func close() async {
        for s in stores { (s as? PostgresStore)?.close() }
        stores = []
        for step in cleanup { await step() }
    }

    /// Runs `body` with a fixture, or records why the PostgreSQL case cannot run.
    static func with(
        _ backend: Backend, clock: @escaping @Sendable () -> Date = Date.init,
        _ body: (StoreFixture) async throws -> Void
    ) async throws {
        if backend == .postgres, TestPostgres.available() == nil { return }
        let fixture = try await StoreFixture(backend, clock: clock)
        do { try await body(fixture) } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }
}

func intent(
    _ body: String = #"{"customer_id":"A"}"#, api: APIName = .removeRecord, campaign: String? = "101", job: String? = nil,
    chunk: Int? = nil, of count: Int? = nil
) -> MutationIntent {
    MutationIntent(
        api: api, server: "0025", campaignID: campaign, method: .DELETE,
        url: "https://wv0025.wolkvox.com/api/v2/campaign.php?api=\(api.rawValue)", body: body, itemCount: 1,
        jobID: job, chunkIndex: chunk, chunkCount: count)
}
