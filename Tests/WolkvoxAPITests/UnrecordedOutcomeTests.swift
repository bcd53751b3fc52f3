import Foundation
import Testing
@testable import WolkvoxAPI

/// A journal that takes the intent but cannot take the outcome (disk full
/// between the two writes).
actor FullDiskJournal: MutationJournal {
    struct DiskFull: Error {}
    func recordIntent(_ intent: MutationIntent) async throws -> Int64 { 1 }
    func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws { throw DiskFull() }
}

@Suite struct UnrecordedOutcomeTests {
    @Test func aConfirmedChangeWhoseOutcomeCouldNotBeJournaledSaysSo() async throws {
        let recall = RecordingTransport(status: 202, body: #"{"code":202,"error":null,"msg":"customer_id A has been updated"}"#)
        let receipt = try await makeClient(recall, journal: FullDiskJournal())
            .recall(RecallOrder(campaignID: "1", campaignType: .preview, customerID: "A", phone: "3001234567", when: Date(timeIntervalSinceNow: 3600)))
        #expect(!receipt.outcomeRecorded)
        let fine = try await makeClient(recall)
            .recall(RecallOrder(campaignID: "1", campaignType: .preview, customerID: "A", phone: "3001234567", when: Date(timeIntervalSinceNow: 3600)))
        #expect(fine.outcomeRecorded)
        let dnc = RecordingTransport(
            status: 201, body: #"{"code":201,"msg":"1 telephones were added","data":[{"total_added":"1","total_rejected":"0","total_sent":"1"}]}"#)
        let reports = try await makeClient(dnc, journal: FullDiskJournal()).addDNC([DNCEntry(telephone: "3001234567", days: 3)])
        #expect(reports.count == 1 && !reports[0].outcomeRecorded)
    }
}
