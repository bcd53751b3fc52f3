import Foundation
import Testing

@testable import WolkvoxAPI

/// Invalid JSON — a raw control byte inside a string, which no JSON writer
/// (PHP's json_encode included) produces — is never read as a record with
/// its fields blanked (issue 36).
@Suite struct RawControlBytesTests {
    @Test(arguments: ["\u{01}", "\u{1B}[2J", "\u{00}"])
    func aRawControlByteInARecordIsNotABlankedRecord(byte: String) async throws {
        let body = #"{"code":"200","error":null,"msg":"2 records","data":[{"customer_id":"CC1","customer_name":"A"},{"customer_id":"CC2\#(byte)x","customer_name":"B\#(byte)"}]}"#
        let client = try makeClient(RecordingTransport(status: 200, body: body))
        do {
            let answer = try await client.find(FindQuery(customerID: "CC1"))
            #expect(!answer.records.contains { $0.customerID.isEmpty }, "no record with its ID blanked: \(answer.records.map(\.customerID))")
            #expect(answer.unreadable >= 1 || answer.records.count == 1, "the damaged record is counted unreadable: \(answer.records.count) read, \(answer.unreadable) unreadable")
        } catch let e as APIError {
            #expect(e.kind == "malformed_response", "\(e)")
        }
    }
}
