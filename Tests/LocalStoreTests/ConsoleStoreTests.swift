import Foundation
import Testing
@testable import LocalStore
import WolkvoxAPI

func tempStorePath() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("wvstore-\(UUID().uuidString)/wvconsole.sqlite")
}

/// A transport that answers from a closure; used to look at the journal mid-call.
struct ClosureTransport: HTTPTransport {
    let answer: @Sendable (HTTPRequest) async throws -> HTTPResponse
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse { try await answer(request) }
}

let secret = "tok-TOPSECRET-9f8e7d6c"

func client(_ store: ConsoleStore, _ answer: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) throws -> WolkvoxClient {
    WolkvoxClient(
        endpoint: try ServiceEndpoint(server: "0025"), token: APIToken(secret)!, transport: ClosureTransport(answer: answer),
        gate: TokenGate(), journal: store, meter: store)
}

let deleted = HTTPResponse(status: 202, body: Data(#"{"code":202,"error":null,"msg":"customer_id A has been deleted successfully"}"#.utf8))
let removal = RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"])

@Suite struct ConsoleStoreTests {
    @Test func intentIsOnDiskBeforeTheTransportIsCalled() async throws {
        let path = tempStorePath()
        let store = try ConsoleStore(path: path)
        let c = try client(store) { _ in
            // A second connection (as after a crash and restart) already sees the intent.
            let other = try ConsoleStore(path: path)
            let pending = try other.unconfirmed()
            #expect(pending.count == 1)
            #expect(pending.first?.body == #"{"customer_id":"A"}"#)
            return deleted
        }
        _ = try await c.remove(removal)
        let entries = try store.auditEntries()
        #expect(entries.count == 1 && entries[0].outcome == "succeeded" && entries[0].code == 202)
        #expect(try store.unconfirmed().isEmpty)
    }

    @Test func aTransportThatThrowsStillLeavesTheIntentAndAnUnknownOutcome() async throws {
        let store = try ConsoleStore(path: tempStorePath())
        struct Boom: Error {}
        let c = try client(store) { _ in throw Boom() }
        await #expect(throws: APIError.self) { try await c.remove(removal) }
        let e = try #require(try store.auditEntries().first)
        #expect(e.outcome == "unknown")
        #expect(e.api == "remove_record")
        #expect(try store.unconfirmed().map(\.id) == [e.id], "a lost answer needs checking as much as a crash")
    }

    @Test func aCrashBetweenSendAndOutcomeYieldsOneUnconfirmedEntryAfterReopening() async throws {
        let path = tempStorePath()
        do {
            let store = try ConsoleStore(path: path)
            let intent = MutationIntent(
                api: .removeRecord, server: "0025", campaignID: "101", method: .DELETE,
                url: "https://wv0025.wolkvox.com/api/v2/campaign.php?api=remove_record", body: #"{"customer_id":"A"}"#,
                itemCount: 1)
            _ = try await store.recordIntent(intent)
            // …the process dies here: no outcome is ever written.
        }
        let reopened = try ConsoleStore(path: path)
        let pending = try reopened.unconfirmed()
        #expect(pending.count == 1)
        try reopened.markResolved(id: pending[0].id, note: "checked with find_record: record is gone")
        #expect(try reopened.unconfirmed().isEmpty)
        #expect(try reopened.auditEntries().first?.resolutionNote == "checked with find_record: record is gone")
    }

    @Test func concurrentWritersLoseNothing() async throws {
        let path = tempStorePath()
        let ui = try ConsoleStore(path: path)
        let job = try ConsoleStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in [ui, job] {
                group.addTask {
                    for i in 0..<300 {
                        let id = try await store.recordIntent(
                            MutationIntent(
                                api: .addDNC, server: "0025", campaignID: nil, method: .POST,
                                url: "u", body: "[\(i)]", itemCount: 1))
                        try await store.recordOutcome(id, MutationOutcome(state: .succeeded, status: 201, code: 201, message: "ok"))
                        await store.countCall(server: "0025", tokenFingerprint: "fp")
                    }
                }
            }
            try await group.waitForAll()
        }
        let entries = try ui.auditEntries()
        #expect(entries.count == 600)
        #expect(entries.allSatisfy { $0.outcome == "succeeded" })
        #expect(try ui.callsToday(server: "0025", fingerprint: "fp") == 600)
    }

    @Test func theAuditLogCannotBeRewritten() async throws {
        let store = try ConsoleStore(path: tempStorePath())
        let id = try await store.recordIntent(MutationIntent(api: .recall, server: "0025", campaignID: "1", method: .PUT, url: "u", body: "{}", itemCount: 1))
        try await store.recordOutcome(id, MutationOutcome(state: .succeeded, status: 202, code: 202, message: "ok"))
        #expect(throws: (any Error).self) { try store.pool.write { try $0.execute(sql: "UPDATE intent SET body = 'x'") } }
        #expect(throws: (any Error).self) { try store.pool.write { try $0.execute(sql: "DELETE FROM outcome") } }
        #expect(try store.auditEntries().first?.body == "{}")
    }

    @Test func theTokenIsInNoByteOfTheDatabaseFiles() async throws {
        let path = tempStorePath()
        let store = try ConsoleStore(path: path)
        let c = try client(store) { _ in deleted }
        _ = try await c.remove(removal)
        _ = try await c.addDNC([DNCEntry(telephone: "3001234567", days: 3)])
        try store.recordSearch(campaignID: "101", kind: "phone", text: "3001234567")
        for suffix in ["", "-wal", "-shm"] {
            guard let bytes = FileManager.default.contents(atPath: path.path + suffix) else { continue }
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "token found in \(suffix)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func chunkStatesDriveResume() async throws {
        let store = try ConsoleStore(path: tempStorePath())
        func intent(_ i: Int) -> MutationIntent {
            MutationIntent(
                api: .addRecord, server: "0025", campaignID: "1", method: .POST, url: "u", body: "[]", itemCount: 10_000,
                jobID: "job", chunkIndex: i, chunkCount: 4)
        }
        let a = try await store.recordIntent(intent(0))
        try await store.recordOutcome(a, MutationOutcome(state: .succeeded, status: 201, code: 201, message: "ok"))
        _ = try await store.recordIntent(intent(1))
        let c = try await store.recordIntent(intent(2))
        try await store.recordOutcome(c, MutationOutcome(state: .rejected, status: 403, code: 403, message: "quota"))
        #expect(try store.chunkStates(forJob: "job") == [0: .confirmed, 1: .unconfirmed, 2: .failed])
        #expect(try store.chunkStates(forJob: "other").isEmpty)
    }
}

@Suite struct HistoryQuotaExportTests {
    @Test func searchHistoryIsNewestFirstAndDeduplicated() throws {
        let store = try ConsoleStore(path: tempStorePath())
        for t in ["300", "301", "300", "302"] { try store.recordSearch(campaignID: "101", kind: "phone", text: t) }
        try store.recordSearch(campaignID: "202", kind: "id", text: "X")
        #expect(try store.recentSearches(campaignID: "101").map(\.text) == ["302", "300", "301"])
        #expect(try store.recentSearches(campaignID: "202").map(\.kind) == ["id"])
    }

    @Test func theMeterResetsAtLocalMidnight() async throws {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 1_795_579_200) }  // 2026-11-24 23:00 Bogotá
        let clock = Clock()
        let store = try ConsoleStore(path: tempStorePath(), clock: { clock.now }, timeZone: TimeZone(identifier: "America/Bogota")!)
        for _ in 0..<3 { await store.countCall(server: "0025", tokenFingerprint: "fp") }
        #expect(try store.callsToday(server: "0025", fingerprint: "fp") == 3)
        clock.now = clock.now.addingTimeInterval(59 * 60)  // 23:59
        #expect(try store.callsToday(server: "0025", fingerprint: "fp") == 3)
        clock.now = clock.now.addingTimeInterval(120)  // 00:01 the next day
        #expect(try store.callsToday(server: "0025", fingerprint: "fp") == 0)
        #expect(try store.callsToday(server: "0025", fingerprint: "other") == 0)
    }

    @Test func quotaLevels() {
        #expect(QuotaLevel.of(calls: 3999, quota: 5000) == .ok)
        #expect(QuotaLevel.of(calls: 4000, quota: 5000) == .warning)
        #expect(QuotaLevel.of(calls: 5000, quota: 5000) == .exhausted)
    }

    @Test func exportsRoundTrip() async throws {
        let store = try ConsoleStore(path: tempStorePath())
        let id = try await store.recordIntent(
            MutationIntent(
                api: .addDNC, server: "0025", campaignID: nil, method: .POST, url: "u?a=1&b=2",
                body: #"[{"telephone":"=cmd|' /C calc'!A0","days_block":"15"}]"#, itemCount: 1))
        try await store.recordOutcome(
            id,
            MutationOutcome(
                state: .succeeded, status: 201, code: 201, message: "1 telephones were added,\n\"ok\"",
                totals: ["total_added": "1"]))
        _ = try await store.recordIntent(MutationIntent(api: .recall, server: "0025", campaignID: "101", method: .PUT, url: "u", body: "-5", itemCount: 1))
        let entries = try store.auditEntries()
        let rows = AuditExport.parseCSV(AuditExport.csv(entries))
        #expect(rows[0] == AuditExport.csvColumns)
        #expect(rows.count == 3)
        #expect(rows[2][AuditExport.csvColumns.firstIndex(of: "message")!] == "1 telephones were added,\n\"ok\"")
        #expect(rows[2][AuditExport.csvColumns.firstIndex(of: "body")!] == entries[1].body)
        #expect(rows[1][AuditExport.csvColumns.firstIndex(of: "body")!] == "-5")
        #expect(rows[1][AuditExport.csvColumns.firstIndex(of: "outcome")!] == "unconfirmed")
        #expect(!AuditExport.csv(entries).contains(",=cmd"), "formula cells are neutralised")
        let decoder = JSONDecoder()
        // JSON carries every field; an entry with no recorded answer says "unconfirmed" explicitly.
        let explicit = entries.map { e -> AuditEntry in
            var x = e
            x.outcome = e.outcome ?? "unconfirmed"
            return x
        }
        #expect(entries.contains { $0.outcome == nil })
        #expect(try decoder.decode([AuditEntry].self, from: Data(try AuditExport.json(entries).utf8)) == explicit)
    }
}

/// Issue 23: the journal cannot be planted.
@Suite struct StoreTrustTests {
    @Test func aSymlinkedDatabaseOrAnOpenFolderIsRefused() throws {
        let path = tempStorePath()
        let dir = path.deletingLastPathComponent()
        _ = try ConsoleStore(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)

        let planted = tempStorePath()
        try FileManager.default.createDirectory(
            at: planted.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try FileManager.default.createSymbolicLink(atPath: planted.path, withDestinationPath: path.path)
        #expect(throws: FileTrust.Refusal.self) { try ConsoleStore(path: planted) }
        try FileManager.default.removeItem(at: planted)
        try FileManager.default.createSymbolicLink(atPath: planted.path + "-wal", withDestinationPath: path.path + "-x")
        #expect(throws: FileTrust.Refusal.self) { try ConsoleStore(path: planted) }

        chmod(dir.path, 0o777)
        #expect(throws: FileTrust.Refusal.self) { try ConsoleStore(path: path) }
        chmod(dir.path, 0o700)
        _ = try ConsoleStore(path: path)
    }
}
