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

/// A read answered 2xx that says nothing is not "no records".
@Suite struct HollowReadTests {
    @Test(arguments: [
        "{}", #"{"msg":"ok"}"#, #"{"error":null,"msg":""}"#, #"{"data":null}"#, #"{"data":[[[]]]}"#, #"{"code":"200","data":[1,"x",[]]}"#,
        #"{"code":200,"msg":"3 records were found","data":[null,null,null]}"#,
    ])
    func aSearchAnsweredWithNothingReadableIsAnError(body: String) async throws {
        let client = try makeClient(RecordingTransport(status: 200, body: body))
        let error = await #expect(throws: APIError.self, "\(body)") { try await client.find(FindQuery(phone: "3001234567")) }
        #expect(error?.kind == "malformed_response", "\(body): \(String(describing: error))")
    }

    @Test(arguments: ["{}", #"{"msg":"fine"}"#])
    func theOtherReadsToo(body: String) async throws {
        let client = try makeClient(RecordingTransport(status: 200, body: body))
        await #expect(throws: APIError.self) { try await client.campaigns() }
        await #expect(throws: APIError.self) { try await client.tokenInfo() }
    }

    /// What the contract calls "no records", and answers with some records, still read as before.
    /// A partly readable answer also says how many elements it left out.
    @Test(arguments: [
        (#"{"code":"200","error":null,"msg":"0 records were found"}"#, 0, 0),
        (#"{"code":"200","msg":"0 records were found","data":[]}"#, 0, 0),
        (#"{"data":[]}"#, 0, 0),
        (#"{"code":200,"data":[{"customer_id":"A"},5]}"#, 1, 1),
        (#"{"code":200,"data":[null,{"customer_id":"A"},"x",[],{"customer_id":"B"}]}"#, 2, 3),
        (#"{"data":{"customer_id":"A"}}"#, 1, 0),
    ])
    func emptyAndPartlyReadableAnswersStillRead(body: String, rows: Int, unreadable: Int) async throws {
        let client = try makeClient(RecordingTransport(status: 200, body: body))
        let answer = try await client.find(FindQuery(phone: "3001234567"))
        #expect(answer.records.count == rows, "\(body)")
        #expect(answer.unreadable == unreadable, "\(body)")
    }
}
