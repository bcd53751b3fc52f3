import Foundation
import Testing
@testable import WolkvoxAPI

/// Issue 23: a write answered 2xx without a confirmation is not a success.
@Suite struct HollowAnswerTests {
    @Test(arguments: [
        "{}", #"{"msg":"ok"}"#, #"{"code":"banana","msg":"ok"}"#, #"{"code":202,"error":"SOMETHING","msg":"hm"}"#,
        #"{"code":null,"error":null,"msg":"customer_id A has been deleted successfully"}"#,
    ])
    func aWriteAnswered2xxWithoutAConfirmationIsUnknown(body: String) async throws {
        let journal = MemoryJournal()
        let client = try makeClient(RecordingTransport(status: 202, body: body), journal: journal)
        let error = await #expect(throws: APIError.self) {
            try await client.remove(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"]))
        }
        #expect(error?.kind == "unconfirmed_answer")
        #expect(error?.requestWasRejected == false)
        let entry = try #require(await journal.entries.first)
        #expect(entry.outcome?.state == .unknown, "\(body): \(String(describing: entry.outcome))")
    }

    @Test func aProperConfirmationStillSucceeds() async throws {
        let journal = MemoryJournal()
        let client = try makeClient(
            RecordingTransport(status: 202, body: #"{"code":"202","error":null,"msg":"customer_id A has been deleted successfully"}"#), journal: journal)
        _ = try await client.remove(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["A"]))
        #expect(await journal.entries.first?.outcome?.state == .succeeded)
    }
}
