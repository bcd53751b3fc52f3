import Foundation
import Testing
@testable import WolkvoxAPI

/// Retry policy, journaling order, read-only refusal, chunking and timeouts.
@Suite struct ClientBehaviourTests {
    static let limit403 = #"{"code":403,"error":"FORBIDDEN","msg":"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"}"#
    static let found = #"{"code":"200","msg":"1 records were found","data":[{"customer_id":"A","tel1":"3001234567"}]}"#

    @Test func readsRetryOnceAfterTheSimultaneousLimit() async throws {
        let transport = RecordingTransport { _, i in
            i == 0 ? HTTPResponse(status: 403, body: Data(Self.limit403.utf8)) : HTTPResponse(status: 200, body: Data(Self.found.utf8))
        }
        let answer = try await makeClient(transport).find(FindQuery(phone: "3001234567"))
        #expect(answer.records.map(\.customerID) == ["A"])
        #expect(await transport.requests.count == 2)
    }

    @Test func readsRetryOnlyOnce() async throws {
        let transport = RecordingTransport(status: 403, body: Self.limit403)
        await #expect(throws: APIError.self) { try await makeClient(transport).find(FindQuery(phone: "3001234567")) }
        #expect(await transport.requests.count == 2)
    }

    @Test func writesNeverRetryAndJournalTheRejection() async throws {
        let transport = RecordingTransport(status: 403, body: Self.limit403)
        let journal = MemoryJournal()
        let client = try makeClient(transport, journal: journal)
        await #expect(throws: APIError.self) {
            try await client.remove(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"]))
        }
        #expect(await transport.requests.count == 1)
        let entries = await journal.entries
        #expect(entries.count == 1)
        #expect(entries[0].outcome?.state == .rejected)
    }

    @Test func intentIsJournaledBeforeTheRequestIsSent() async throws {
        let journal = MemoryJournal()
        let transport = RecordingTransport { _, _ in
            let entries = await journal.entries
            #expect(entries.count == 1, "intent must exist while the request is in flight")
            #expect(entries.first?.outcome == nil)
            return HTTPResponse(status: 202, body: Data(#"{"code":202,"error":null,"msg":"customer_id A has been deleted successfully"}"#.utf8))
        }
        let receipt = try await makeClient(transport, journal: journal)
            .remove(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"]))
        #expect(receipt.code == 202)
        let entry = try #require(await journal.entries.first)
        #expect(entry.outcome?.state == .succeeded)
        #expect(entry.outcome?.status == 202, "the real HTTP status, not an assumed 200")
        #expect(entry.intent.body == #"{"customer_id":"A"}"#)
        #expect(!testToken.occurs(in: "\(entry)"))
    }

    /// A 2xx written otherwise than the API writes it is not a confirmation:
    /// the change is recorded unknown and the caller told it may be applied.
    @Test(arguments: [#"{"code":202,"code":400,"msg":"customer_id A has been deleted successfully"}"#, #"{"code":"0202","msg":"deleted"}"#])
    func aWriteAnsweredLooselyIsUnknownNotDone(_ body: String) async throws {
        let journal = MemoryJournal()
        let transport = RecordingTransport { _, _ in HTTPResponse(status: 202, body: Data(body.utf8)) }
        let error = await #expect(throws: APIError.self) {
            try await makeClient(transport, journal: journal).remove(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"]))
        }
        #expect(error?.kind == "unconfirmed_answer" && error?.outcomeUnknown == true, "\(String(describing: error))")
        #expect(await journal.entries.first?.outcome?.state == .unknown)
    }

    @Test func aWriteCancelledWhileWaitingForASlotIsJournaledAsNotSent() async throws {
        let journal = MemoryJournal()
        let transport = RecordingTransport { _, i in
            if i == 0 { try await Task.sleep(for: .seconds(2)) }  // holds the only slot
            return HTTPResponse(status: 200, body: Data(#"{"code":200,"msg":"customer_id A has been deleted successfully"}"#.utf8))
        }
        let client = try makeClient(transport, journal: journal, limit: 1)
        let order = RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"])
        let first = Task { try await client.remove(order) }
        while await transport.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let waiting = Task { try await client.remove(order) }
        while await journal.entries.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        waiting.cancel()
        await #expect(throws: APIError.notSent(.cancelled)) { try await waiting.value }
        _ = try await first.value
        let entries = await journal.entries
        #expect(entries.count == 2)
        #expect(await transport.requests.count == 1, "the cancelled write never reached the transport")
        let cancelled = try #require(entries.first { $0.outcome?.state != .succeeded })
        #expect(cancelled.outcome?.state == .rejected, "known not applied, so a resume may resend it")
        #expect(cancelled.outcome?.message.hasPrefix("not sent") == true)
    }

    /// The durable journals (GRDB, the PostgreSQL store) refuse work in a
    /// cancelled task. A change cancelled in flight (Ctrl-C) must still get
    /// its outcome written: unknown, not left without one.
    @Test func aWriteCancelledInFlightStillGetsItsOutcomeJournaled() async throws {
        actor StrictJournal: MutationJournal {
            let inner = MemoryJournal()
            func recordIntent(_ intent: MutationIntent) async throws -> Int64 {
                try Task.checkCancellation()
                return try await inner.recordIntent(intent)
            }
            func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws {
                try Task.checkCancellation()
                try await inner.recordOutcome(id, outcome)
            }
        }
        let journal = StrictJournal()
        let transport = RecordingTransport { _, _ in
            try await Task.sleep(for: .seconds(30))
            return HTTPResponse(status: 200, body: Data(#"{"code":200,"msg":"ok"}"#.utf8))
        }
        let client = try makeClient(transport, journal: journal)
        let sending = Task { try await client.addDNC([DNCEntry(telephone: "3001112222", days: 3)]) }
        while await transport.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        sending.cancel()
        _ = await sending.result
        let entry = try #require(await journal.inner.entries.first)
        #expect(entry.outcome?.state == .unknown, "sent and cancelled: maybe applied; \(String(describing: entry.outcome))")
    }

    @Test func aJournalThatCannotWriteStopsTheCall() async throws {
        struct BrokenJournal: MutationJournal {
            struct DiskFull: Error {}
            func recordIntent(_ intent: MutationIntent) async throws -> Int64 { throw DiskFull() }
            func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws {}
        }
        let transport = RecordingTransport(body: "{}")
        let client = try makeClient(transport, journal: BrokenJournal())
        await #expect {
            try await client.remove(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"]))
        } throws: { error in
            if case .journalUnavailable? = error as? APIError { return true }
            return false
        }
        let reports = try await client.addDNC((0..<15_000).map { DNCEntry(telephone: "30\(10_000_000 + $0)", days: 3) })
        #expect(reports.map(\.outcome.kind) == ["failed:journal_unavailable", "notSent"], "the job stops at the first chunk")
        #expect(await transport.requests.isEmpty)
    }

    @Test func readOnlyIsRefusedByTheCoreItself() async throws {
        let transport = RecordingTransport(body: "{}")
        let client = try makeClient(transport, readOnly: true)
        await #expect(throws: APIError.readOnly) {
            try await client.remove(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"]))
        }
        await #expect(throws: APIError.readOnly) { try await client.addDNC([DNCEntry(telephone: "3001234567", days: 3)]) }
        await #expect(throws: APIError.readOnly) {
            try await client.recall(
                RecallOrder(campaignID: "1", campaignType: .preview, customerID: "A", phone: "3001234567", when: Date(timeIntervalSinceNow: 3600)))
        }
        #expect(await transport.requests.isEmpty)
    }

    @Test func twentyFiveThousandRecordsAreExactlyThreeCalls() async throws {
        let transport = RecordingTransport { request, _ in
            let n = (try? JSONSerialization.jsonObject(with: request.body ?? Data()) as? [Any])?.count ?? -1
            return HTTPResponse(
                status: 201, body: Data(#"{"code":"201","msg":"All records has been added successfully","data":[{"total_registers":"\#(n)"}]}"#.utf8))
        }
        let records = (0..<25_000).map { NewRecord(fields: ["customer_id": "ID\($0)", "tel1": "300\(1_000_000 + $0)"]) }
        let reports = try await makeClient(transport).addRecords(records, campaignID: "101", campaignStatus: "Started")
        #expect(await transport.requests.count == 3)
        #expect(reports.map(\.items) == [10_000, 10_000, 5_000])
        #expect(
            reports.map(\.outcome) == [
                .succeeded(10_000, message: "All records has been added successfully"),
                .succeeded(10_000, message: "All records has been added successfully"),
                .succeeded(5_000, message: "All records has been added successfully"),
            ])
    }

    @Test func aQuotaErrorStopsTheRestOfABatch() async throws {
        let transport = RecordingTransport { _, i in
            i == 0
                ? HTTPResponse(
                    status: 201, body: Data(#"{"code":201,"msg":"ok","data":[{"total_added":"10000","total_rejected":"0","total_sent":"10000"}]}"#.utf8))
                : HTTPResponse(status: 403, body: Data(#"{"code":403,"msg":"TOKEN LIMIT EXCEEDED"}"#.utf8))
        }
        let entries = (0..<30_000).map { DNCEntry(telephone: "30\(10_000_000 + $0)", days: 7) }
        let reports = try await makeClient(transport).addDNC(entries)
        #expect(await transport.requests.count == 2)
        #expect(reports.count == 3)
        #expect(reports[2].outcome == .notSent)
        guard case .failed(let e) = reports[1].outcome else {
            Issue.record("chunk 2 should fail")
            return
        }
        #expect(e.kind == "daily_quota")
    }

    @Test func resumeSkipsChunksAlreadyConfirmed() async throws {
        let transport = RecordingTransport(status: 201, body: #"{"code":"201","msg":"ok","data":[{"total_registers":"1"}]}"#)
        let records = (0..<25_000).map { NewRecord(fields: ["customer_id": "ID\($0)"]) }
        let reports = try await makeClient(transport).addRecords(records, campaignID: "101", campaignStatus: "Started", jobID: "job-1", skipping: [0])
        #expect(await transport.requests.count == 2)
        #expect(reports[0].outcome == .notSent)
    }

    @Test func aStalledServerIsReportedAsATimeout() async throws {
        let transport = RecordingTransport { _, _ in
            // A server that would answer after 10 minutes: the client must
            // give up long before, however starved a loaded test run leaves
            // its timers (the full suite has delayed this 0.2 s deadline by
            // 24-28 s).
            try await Task.sleep(for: .seconds(600))
            return HTTPResponse(status: 200, body: Data())
        }
        let started = ContinuousClock.now
        // Sub-second deadlines still read "1 seconds", never "0 seconds".
        await #expect(throws: APIError.timeout(seconds: 1)) {
            try await makeClient(transport, timeout: .milliseconds(200)).find(FindQuery(phone: "3001234567"))
        }
        #expect(ContinuousClock.now - started < .seconds(120), "gave up long before the 600 s server")
    }

    @Test func everyCallIsMetered() async throws {
        actor Meter: CallMeter {
            var calls = 0
            func countCall(server: String, tokenFingerprint: String) async {
                calls += 1
                #expect(!tokenFingerprint.contains("SECRET"))
            }
        }
        let meter = Meter()
        let transport = RecordingTransport { _, i in
            i == 0 ? HTTPResponse(status: 403, body: Data(Self.limit403.utf8)) : HTTPResponse(status: 200, body: Data(Self.found.utf8))
        }
        _ = try await makeClient(transport, meter: meter).find(FindQuery(phone: "3001234567"))
        #expect(await meter.calls == 2, "a retried read costs two quota units")
    }
}

extension ChunkReport.Outcome {
    var kind: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed(let e): "failed:\(e.kind)"
        case .notSent: "notSent"
        }
    }
}
