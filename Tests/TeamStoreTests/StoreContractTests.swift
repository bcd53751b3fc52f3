import Foundation
import LocalStore
import TeamStore
import Testing
@testable import WolkvoxAPI

/// The contract every store keeps, run unchanged on the local SQLite store
/// and on the team's PostgreSQL store: the journal, the audit log and its
/// operators, resolutions, bulk-job states, the meter and token_info's
/// figure, and each operator's search history.
@Suite struct StoreContractTests {
    /// Stands for the PostgreSQL half of the contract in the report: skipped,
    /// with the reason, where there is no database (the cases above then run on SQLite only).
    @Test(.enabled(if: TestPostgres.runnable, TestPostgres.skipReason)) func theTestPostgreSQLAnswers() async throws {
        let admin = try #require(TestPostgres.available())
        let r = await TestPostgres.psql(admin, "SELECT 1")
        #expect(r.status == 0 && r.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(r.output)")
    }

    static let succeeded = MutationOutcome(state: .succeeded, status: 202, code: 202, message: "deleted", totals: ["deleted": "1"])

    @Test(arguments: Backend.testable)
    func anIntentIsUnconfirmedUntilItsOutcomeIsRecorded(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = try await f.store("ana@pc1")
            let id = try await store.recordIntent(intent())
            let pending = try await store.unconfirmed()
            #expect(pending.map(\.id) == [id])
            #expect(pending.first?.operatorName == "ana@pc1" && pending.first?.body == #"{"customer_id":"A"}"#)
            // Another process on the same store sees it: the intent was durable when recordIntent returned.
            let other = try await f.store("luis@pc2")
            #expect(try await other.unconfirmed().map(\.id) == [id])
            try await store.recordOutcome(id, Self.succeeded)
            #expect(try await other.unconfirmed().isEmpty)
            let entry = try #require(try await other.auditEntries(since: nil, limit: 10, operatorName: nil).first)
            #expect(entry.outcome == "succeeded" && entry.status == 202 && entry.code == 202 && entry.totals == ["deleted": "1"])
            #expect(entry.api == "remove_record" && entry.campaignID == "101" && entry.itemCount == 1 && entry.actor == "ana@pc1")
        }
    }

    @Test(arguments: Backend.testable)
    func theAuditLogNamesEveryOperatorAndFiltersByOne(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let ana = try await f.store("ana@pc1"), luis = try await f.store("luis@pc2")
            let a1 = try await ana.recordIntent(intent(#"{"customer_id":"A1"}"#))
            let l1 = try await luis.recordIntent(intent(#"{"customer_id":"L1"}"#))
            let a2 = try await ana.recordIntent(intent(#"{"customer_id":"A2"}"#, api: .addDNC, campaign: nil))
            let all = try await luis.auditEntries(since: nil, limit: 100, operatorName: nil)
            #expect(all.map(\.id) == [a2, l1, a1], "newest first")
            #expect(all.map(\.actor) == ["ana@pc1", "luis@pc2", "ana@pc1"])
            #expect(try await luis.auditEntries(since: nil, limit: 100, operatorName: "ana@pc1").map(\.id) == [a2, a1])
            #expect(try await ana.auditEntries(since: nil, limit: 1, operatorName: nil).map(\.id) == [a2])
            #expect(try await ana.auditEntries(since: "2999-01-01", limit: 100, operatorName: nil).isEmpty)
            #expect(try await ana.auditEntries(since: "2000-01-01", limit: 100, operatorName: nil).count == 3)
            #expect(all.first?.campaignID == nil)
        }
    }

    @Test(arguments: Backend.testable)
    func aResolutionRecordsWhoCheckedAndEndsTheUnconfirmedState(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let ana = try await f.store("ana@pc1"), sup = try await f.store("supervisora@pc9")
            let crashed = try await ana.recordIntent(intent())
            let lost = try await ana.recordIntent(intent(#"{"customer_id":"B"}"#))
            try await ana.recordOutcome(lost, MutationOutcome(state: .unknown, status: nil, code: nil, message: "timed out"))
            #expect(try await sup.unconfirmed().map(\.id) == [crashed, lost], "a crash and a lost answer both need checking, by anyone")
            try await sup.markResolved(id: crashed, note: "record is gone")
            #expect(try await ana.unconfirmed().map(\.id) == [lost])
            let entry = try #require(try await ana.auditEntries(since: nil, limit: 10, operatorName: nil).first { $0.id == crashed })
            #expect(entry.resolvedBy == "supervisora@pc9" && entry.resolutionNote == "record is gone" && entry.resolvedAt != nil)
            #expect(entry.reportedOutcome == "unconfirmed" && !entry.isUnconfirmed)
            // Resolving twice is refused by the store (one resolution per action).
            await #expect(throws: (any Error).self) { try await sup.markResolved(id: crashed, note: "again") }
        }
    }

    @Test(arguments: Backend.testable)
    func bulkJobsKnowEachChunksBestStateAndTheirUnfinishedChunks(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let store = try await f.store()
            let c0 = try await store.recordIntent(intent("[0]", api: .addRecord, job: "J1", chunk: 0, of: 3))
            try await store.recordOutcome(c0, Self.succeeded)
            let c1 = try await store.recordIntent(intent("[1]", api: .addRecord, job: "J1", chunk: 1, of: 3))
            try await store.recordOutcome(c1, MutationOutcome(state: .rejected, status: 403, code: 403, message: "quota"))
            let c1b = try await store.recordIntent(intent("[1]", api: .addRecord, job: "J1", chunk: 1, of: 3))
            let c2 = try await store.recordIntent(intent("[2]", api: .addRecord, job: "J1", chunk: 2, of: 3))
            try await store.recordOutcome(c2, MutationOutcome(state: .rejected, status: 500, code: 500, message: "boom"))
            #expect(try await store.chunkStates(forJob: "J1") == [0: .confirmed, 1: .unconfirmed, 2: .failed])
            let jobs = try await store.unfinishedJobs(api: "add_record", campaignID: "101")
            #expect(jobs.map(\.jobID) == ["J1"] && jobs.first?.unconfirmed == [1: c1b] && jobs.first?.chunkCount == 3)
            #expect(try await store.unfinishedJobs(api: "add_record", campaignID: "202").isEmpty)
            let content = try await store.contentStates(api: "add_record", campaignID: "101", bodies: ["[1]", "[0]", "[9]"])
            #expect(content[0]?.state == .unconfirmed && content[0]?.ids == [c1, c1b])
            #expect(content[1]?.state == .confirmed && content[1]?.ids == [c0])
            #expect(content[2] == nil)
            // Someone checked the unconfirmed send: it no longer blocks a resend.
            try await store.markResolved(id: c1b, note: "not applied")
            #expect(try await store.contentStates(api: "add_record", campaignID: "101", bodies: ["[1]"])[0]?.state == .failed)
            // …and the job's own view agrees: a plain --resume sends it again
            // (it used to ignore resolutions and ask for --resend-unconfirmed).
            #expect(try await store.chunkStates(forJob: "J1") == [0: .confirmed, 1: .failed, 2: .failed])
            #expect(try await store.unfinishedJobs(api: "add_record", campaignID: "101").isEmpty)
            // A read-back that found a chunk applied makes it confirmed: a resume never sends it again.
            let c3 = try await store.recordIntent(intent("[3]", api: .addRecord, job: "J1", chunk: 2, of: 3))
            try await store.markResolved(id: c3, note: Reconciler.note(.applied, evidence: "find_record …", at: Date(), by: "ana"))
            #expect(try await store.contentStates(api: "add_record", campaignID: "101", bodies: ["[3]"])[0]?.state == .confirmed)
            #expect(try await store.chunkStates(forJob: "J1")[2] == .confirmed)
            let c4 = try await store.recordIntent(intent("[4]", api: .addRecord, job: "J1", chunk: 2, of: 3))
            try await store.markResolved(id: c4, note: Reconciler.note(.notApplied, evidence: "find_record …", at: Date(), by: "ana"))
            #expect(try await store.contentStates(api: "add_record", campaignID: "101", bodies: ["[4]"])[0]?.state == .failed)
        }
    }

    @Test(arguments: Backend.testable)
    func theMeterCountsEveryProcessesCallsPerDayAndToken(_ backend: Backend) async throws {
        let now = Clock.start
        try await StoreFixture.with(backend, clock: { now.value }) { f in
            let ana = try await f.store("ana@pc1"), luis = try await f.store("luis@pc2")
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<20 { group.addTask { await (i % 2 == 0 ? ana : luis).countCall(server: "0025", tokenFingerprint: "abc123") } }
            }
            await ana.countCall(server: "0025", tokenFingerprint: "other")
            #expect(try await luis.callsToday(server: "0025", fingerprint: "abc123") == 20, "no increment lost")
            #expect(try await ana.meterReading(server: "0025", fingerprint: "abc123").localCalls == 20)
            #expect(try await ana.meterReading(server: "0025", fingerprint: "other").localCalls == 1)
            now.value = now.value.addingTimeInterval(86_400)
            #expect(try await ana.callsToday(server: "0025", fingerprint: "abc123") == 0, "a new day starts at zero")
        }
    }

    @Test(arguments: Backend.testable)
    func oneTokenInfoAskPerIntervalAcrossProcessesAndTheFigureIsShared(_ backend: Backend) async throws {
        let now = Clock.start
        try await StoreFixture.with(backend, clock: { now.value }) { f in
            let ana = try await f.store("ana@pc1"), luis = try await f.store("luis@pc2")
            let claims = await withTaskGroup(of: AskClaim?.self) { group in
                for s in [ana, luis, ana, luis] { group.addTask { try? await s.claimTokenInfoAsk(server: "0025", fingerprint: "abc", interval: 300) } }
                return await group.reduce(into: [AskClaim?]()) { $0.append($1) }
            }
            #expect(claims.compactMap { $0 }.count == 1, "exactly one of four racing processes may ask")
            let claim = try #require(claims.compactMap { $0 }.first)
            try await luis.releaseTokenInfoAsk(claim, server: "0025", fingerprint: "abc")
            let again = try #require(try await luis.claimTokenInfoAsk(server: "0025", fingerprint: "abc", interval: 300), "a released claim can be taken again")
            for _ in 0..<3 { await ana.countCall(server: "0025", tokenFingerprint: "abc") }
            let info = TokenInfo(description: "", tokenLimit: 5_000, tokenUseToday: 12, allTokenToday: 40, availableConsumption: "")
            try await luis.saveTokenFigure(info, server: "0025", fingerprint: "abc", localAtRead: 2)
            await ana.countCall(server: "0025", tokenFingerprint: "abc")
            let reading = try await ana.meterReading(server: "0025", fingerprint: "abc")
            #expect(reading.figure?.allTokenToday == 40 && reading.figure?.tokenLimit == 5_000 && reading.figure?.localAtRead == 2)
            #expect(reading.localCalls == 4 && reading.used == 42)
            #expect(reading.askedAt.map { abs($0.timeIntervalSince1970 - again.at) < 0.001 } == true)
            #expect(try await ana.claimTokenInfoAsk(server: "0025", fingerprint: "abc", interval: 300) == nil)
            now.value = now.value.addingTimeInterval(301)
            #expect(try await ana.claimTokenInfoAsk(server: "0025", fingerprint: "abc", interval: 300) != nil)
            now.value = now.value.addingTimeInterval(86_400)
            #expect(try await ana.meterReading(server: "0025", fingerprint: "abc").figure == nil, "yesterday's figure says nothing about today")
        }
    }

    @Test(arguments: Backend.testable)
    func searchHistoryIsEachOperatorsOwn(_ backend: Backend) async throws {
        try await StoreFixture.with(backend) { f in
            let ana = try await f.store("ana@pc1"), luis = try await f.store("luis@pc2")
            try await ana.recordSearch(campaignID: "101", kind: "phone", text: "3001234567")
            try await ana.recordSearch(campaignID: "101", kind: "id", text: "CC1001")
            try await ana.recordSearch(campaignID: "101", kind: "phone", text: "3001234567")
            try await luis.recordSearch(campaignID: "101", kind: "phone", text: "3119998888")
            #expect(try await ana.recentSearches(campaignID: "101", limit: 10).map(\.text) == ["3001234567", "CC1001"])
            #expect(try await luis.recentSearches(campaignID: "101", limit: 10).map(\.text) == ["3119998888"])
            #expect(try await ana.recentSearches(campaignID: "", limit: 10).isEmpty)
        }
    }
}

/// A settable clock for the day and interval rules.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Date
    init(_ now: Date) { self.now = now }
    var value: Date {
        get { lock.withLock { now } }
        set { lock.withLock { now = newValue } }
    }
    static var start: Clock { Clock(Date(timeIntervalSince1970: 1_796_000_000)) }
}
