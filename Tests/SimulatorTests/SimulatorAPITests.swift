import Foundation
import Testing
@testable import Simulator
import WolkvoxAPI

/// Layer 2: the API core against the real simulator over loopback HTTP.
@Suite struct SimulatorAPITests {
    @Test func campaignsAndFindByPhoneAcrossAllCampaigns() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        let client = try h.client()
        let campaigns = try await client.campaigns()
        #expect(campaigns.count == 4)
        #expect(campaigns.contains { $0.campaignType == .preview })
        let all = try await client.find(FindQuery(phone: "300 123 4567"))
        #expect(all.records.map(\.customerID).sorted() == ["CC1001", "JP-77"])
        #expect(all.message == "2 records were found")
        let one = try await client.find(FindQuery(phone: "3001234567", campaignID: all.records[0].campaignID))
        #expect(one.records.count == 1)
        let byID = try await client.find(FindQuery(customerID: "JP-77"))
        #expect(byID.records.first?.customerName == "山田")
        let none = try await client.find(FindQuery(phone: "3999999999"))
        #expect(none.records.isEmpty)
    }

    @Test func recallChangesTheRecordInTheSimulator() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        let client = try h.client()
        let rec = try #require(try await client.find(FindQuery(customerID: "CC1001")).records.first)
        let when = Date().addingTimeInterval(86_400)
        let receipt = try await client.recall(
            RecallOrder(
                campaignID: rec.campaignID, campaignType: .predictive, customerID: "CC1001",
                phone: "3001234567", when: when))
        #expect(receipt.code == 202)
        #expect(receipt.message.contains("has been updated"))
        let after = try #require(await h.sim.record(campaignID: rec.campaignID, customerID: "CC1001"))
        #expect(after.recallDate == (try Validate.recallDate(when, now: .distantPast)))
        #expect(after.recallPhone == "3001234567")
        #expect(await h.journal.entries.first?.outcome?.state == .succeeded)
    }

    @Test func removeHonoursTheResultFilterAndReportsMissingIDs() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        let client = try h.client()
        let rec = try #require(try await client.find(FindQuery(customerID: "CC1002")).records.first)
        let other = RecordResult.allCases.first { $0.rawValue != rec.result }!
        let filtered = try await client.remove(RemovalOrder(campaignID: rec.campaignID, campaignType: .predictive, customerIDs: ["CC1002"], onlyResult: other))
        #expect(filtered.message.contains("nothing was deleted"))
        #expect(await h.sim.record(campaignID: rec.campaignID, customerID: "CC1002") != nil)
        let gone = try await client.remove(RemovalOrder(campaignID: rec.campaignID, campaignType: .predictive, customerIDs: ["CC1002", "NOPE"]))
        #expect(gone.message.hasPrefix("customer_id CC1002 has been deleted successfully"))
        #expect(gone.message.contains("NOPE"))
        #expect(await h.sim.record(campaignID: rec.campaignID, customerID: "CC1002") == nil)
        #expect(try await client.find(FindQuery(customerID: "CC1002")).records.isEmpty)
    }

    @Test func addDNCCountsInvalidNumbersAsRejected() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        // The client refuses invalid numbers itself, so send a raw batch to see the server's totals.
        let (status, body) = try await h.raw(
            "POST", "/api/v2/campaign.php?api=add_dnc",
            body: #"[{"telephone":"3001112222","days_block":"15"},{"telephone":"12","days_block":"15"},{"telephone":"3003334444","days_block":"0"}]"#)
        #expect(status == 201)
        #expect(body == #"{"code":201,"error":null,"msg":"1 telephones were added","data":[{"total_added":"1","total_rejected":"2","total_sent":"3"}]}"#)
        let reports = try await h.client().addDNC([DNCEntry(telephone: "3005556666", days: 7), DNCEntry(telephone: "3005557777", days: 7)])
        guard case .succeeded(let totals, _) = reports.first?.outcome else {
            Issue.record("not succeeded")
            return
        }
        #expect(totals == DNCTotals(added: 2, rejected: 0, sent: 2))
        #expect(await h.sim.isBlocked("3005556666"))
    }

    @Test func addedRecordsAreFoundAndChunksAreSerial() async throws {
        let h = try await SimHarness.start(records: 40)
        defer { Task { await h.stop() } }
        let client = try h.client()
        let campaign = try await client.campaigns()[0]
        let records = (0..<12_000).map { NewRecord(fields: ["customer_id": "NEW\($0)", "customer_name": "Nueva \($0)", "tel1": "31\(10_000_000 + $0)"]) }
        let reports = try await client.addRecords(records, campaignID: campaign.id, campaignStatus: campaign.status)
        #expect(reports.map(\.items) == [10_000, 2_000])
        let found = try await client.find(FindQuery(phone: "3110000042"))
        #expect(found.records.map(\.customerID) == ["NEW42"])
        let adds = await h.sim.requests().filter { $0.query.hasPrefix("api=add_record") }
        #expect(adds.count == 2)
        #expect(!adds.contains { $0.headers["wolkvox-token"] != "<redacted>" })
    }
}
