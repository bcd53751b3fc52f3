import Foundation
import Testing
@testable import WolkvoxAPI

@Suite struct ValidationTests {
    let bogota = TimeZone(identifier: "America/Bogota")!

    @Test(arguments: [("300 123 4567", "3001234567"), ("(601) 444-55.66", "6014445566"), ("+57 300 1234567", "+573001234567"), ("12345", "12345")])
    func phonesAreNormalised(raw: String, expected: String) throws {
        #expect(try Validate.phone(raw) == expected)
    }

    @Test(arguments: ["1234", "1234567890123456", "300-ABC-4567", "30+01234567", "", "３００１２３４５６７"])
    func badPhonesAreRefused(raw: String) {
        #expect(throws: ValidationError.self) { try Validate.phone(raw) }
    }

    @Test func customerIDsAreTrimmedAndRefuseCommasAndControls() throws {
        #expect(try Validate.customerID("  CC1001 ") == "CC1001")
        for bad in ["", "   ", "a,b", "a\u{1B}b", String(repeating: "x", count: 129)] {
            #expect(throws: ValidationError.self) { try Validate.customerID(bad) }
        }
    }

    @Test func recallDateMustBeRealAndFuture() throws {
        let now = try Validate.localDateTime("2026-11-24 14:00", timeZone: bogota)
        let later = try Validate.localDateTime("2026-11-24 14:15", timeZone: bogota)
        #expect(try Validate.recallDate(later, now: now, timeZone: bogota) == "20261124141500")
        #expect(throws: ValidationError.self) { try Validate.recallDate(now, now: now, timeZone: bogota) }
        for bad in ["2026-02-30 10:00", "2026-11-24 25:00", "2026-11-24", "24/11/2026 10:00", "2026-11-24 10:60", "tomorrow"] {
            #expect(throws: ValidationError.self) { try Validate.localDateTime(bad, timeZone: bogota) }
        }
    }

    @Test func daysTypesAndResults() throws {
        #expect(try Validate.daysBlock(" 15 ") == 15)
        for bad in ["0", "-3", "1.5", "", "abc", "99999"] {
            #expect(throws: ValidationError.self) { try Validate.daysBlock(bad) }
        }
        #expect(try Validate.campaignType("Predictive") == .predictive)
        #expect(throws: ValidationError.self) { try Validate.campaignType("progressive") }
        #expect(RecordResult.allCases.count == 10)
        for r in RecordResult.allCases { #expect(try Validate.result(r.rawValue) == r) }
        #expect(throws: ValidationError.self) { try Validate.result("answered") }
    }

    @Test func invalidInputSendsNothing() async throws {
        let transport = RecordingTransport(body: "{}")
        let client = try makeClient(transport)
        await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "12")) }
        await #expect(throws: APIError.self) { try await client.find(FindQuery()) }
        await #expect(throws: APIError.self) {
            try await client.recall(
                RecallOrder(
                    campaignID: "1", campaignType: .preview, customerID: "A", phone: "3001234567",
                    when: Date(timeIntervalSinceNow: -60)))
        }
        await #expect(throws: APIError.self) {
            try await client.remove(RemovalOrder(campaignID: "1", campaignType: .preview, customerIDs: ["a,b"]))
        }
        await #expect(throws: APIError.self) {
            try await client.addDNC([DNCEntry(telephone: "3001234567", days: 5), DNCEntry(telephone: "12", days: 5)])
        }
        #expect(await transport.requests.isEmpty)
    }
}
