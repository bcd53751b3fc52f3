import Foundation
import Testing
@testable import WolkvoxAPI

/// Layer 1: each endpoint is built exactly as `wolkvox-api.md` says.
@Suite struct RequestContractTests {
    let bogota = TimeZone(identifier: "America/Bogota")!

    func builder(baseURL: URL? = nil) throws -> RequestBuilder {
        RequestBuilder(endpoint: try ServiceEndpoint(server: "0025", baseURL: baseURL), token: testToken)
    }

    @Test func campaignListIsAGetOnInformationPHP() throws {
        let r = try builder().request(for: .campaigns)
        #expect(r.method == .GET)
        #expect(r.url.absoluteString == "https://wv0025.wolkvox.com/api/v2/information.php?api=campaigns")
        #expect(r.headers["wolkvox-token"] == "tok-SECRET-123456")
        #expect(r.headers["Content-Type"] == nil)
        #expect(r.body == nil)
    }

    @Test func findRecordSendsAllThreeParametersEvenWhenEmpty() throws {
        let r = try builder().request(for: .findRecord(FindQuery(phone: "3001234567", campaignID: "101")))
        #expect(r.method == .GET)
        #expect(r.path == "/api/v2/campaign.php")
        #expect(r.rawQuery == "api=find_record&campaign_id=101&customer_phone=3001234567&customer_id=")
        let all = try builder().request(for: .findRecord(FindQuery(customerID: "CC1001")))
        #expect(all.rawQuery == "api=find_record&campaign_id=&customer_phone=&customer_id=CC1001")
    }

    @Test func queryValuesCannotInjectParameters() throws {
        let r = try builder().request(for: .findRecord(FindQuery(customerID: "A&api=remove_record#x y+ñ")))
        #expect(r.rawQuery == "api=find_record&campaign_id=&customer_phone=&customer_id=A%26api%3Dremove_record%23x%20y%2B%C3%B1")
        #expect(r.queryItems.count == 4)
        #expect(r.queryItems.last?.1 == "A&api=remove_record#x y+ñ")
    }

    @Test func recallIsAPutWithLocalDateInAPIFormat() throws {
        let when = try Validate.localDateTime("2030-01-15 09:30", timeZone: bogota)
        let order = RecallOrder(campaignID: "101", campaignType: .predictive, customerID: "CC1001", phone: "3001234567", when: when)
        let r = try builder().request(for: .recall(order), timeZone: bogota)
        #expect(r.method == .PUT)
        #expect(r.rawQuery == "api=recall&type_campaign=predictive&campaign_id=101")
        #expect(r.bodyString == #"{"recall_date":"20300115093000","recall_telephone":"3001234567","customer_id":"CC1001"}"#)
        #expect(r.headers["Content-Type"] == "application/json")
    }

    @Test func removeRecordJoinsIDsAndAddsResultFilter() throws {
        let order = RemovalOrder(campaignID: "202", campaignType: .preview, customerIDs: ["a1", "b2", "c3"], onlyResult: .noAnswer)
        let r = try builder().request(for: .removeRecord(order))
        #expect(r.method == .DELETE)
        #expect(r.rawQuery == "api=remove_record&type_campaign=preview&campaign_id=202&result=no-answer")
        #expect(r.bodyString == #"{"customer_id":"a1,b2,c3"}"#)
        let plain = try builder().request(for: .removeRecord(RemovalOrder(campaignID: "202", campaignType: .predictive, customerIDs: ["x"])))
        #expect(plain.rawQuery == "api=remove_record&type_campaign=predictive&campaign_id=202")
    }

    @Test func addDNCSendsDaysAsStringsLikeTheDocumentedBody() throws {
        let r = try builder().request(for: .addDNC([DNCEntry(telephone: "93191234567", days: 15), DNCEntry(telephone: "93197654321", days: 30)]))
        #expect(r.method == .POST)
        #expect(r.rawQuery == "api=add_dnc")
        let sent = try #require(try jsonObject(r.bodyString) as? [[String: String]])
        let documented = try #require(try JSONSerialization.jsonObject(with: Fixture.data("add_dnc.request.json")) as? [[String: String]])
        #expect(sent.map { Set($0.keys) } == documented.map { Set($0.keys) })
        #expect(sent[0] == ["telephone": "93191234567", "days_block": "15"])
    }

    @Test func addRecordSendsEveryDocumentedFieldInOrder() throws {
        var rec = NewRecord()
        rec["customer_name"] = "María \"la\" José"
        rec["customer_id"] = "CC1"
        rec["tel1"] = "3001234567"
        let batch = AddRecordBatch(campaignID: "101", campaignStatus: "Started", records: [rec])
        let r = try builder().request(for: .addRecord(batch))
        #expect(r.method == .POST)
        #expect(r.rawQuery == "api=add_record&type_campaign=predictive&campaign_id=101&campaign_status=Started")
        let sent = try #require(try jsonObject(r.bodyString) as? [[String: String]])
        let documented = try #require(try JSONSerialization.jsonObject(with: Fixture.data("add_record.request.json")) as? [[String: String]])
        #expect(Set(sent[0].keys) == Set(documented[0].keys))
        #expect(sent[0]["customer_name"] == "María \"la\" José")
        // Key order follows the documentation (JSONSerialization would shuffle it).
        #expect(r.bodyString.hasPrefix(#"[{"customer_name":"#))
        #expect(r.bodyString.range(of: "\"tel10\"")!.lowerBound < r.bodyString.range(of: "\"tel_extra\"")!.lowerBound)
    }

    @Test func baseURLOverrideKeepsThePathLayout() throws {
        let r = try builder(baseURL: URL(string: "http://127.0.0.1:8080/api/v2")!).request(for: .campaigns)
        #expect(r.url.absoluteString == "http://127.0.0.1:8080/api/v2/information.php?api=campaigns")
    }

    @Test func serverNameCannotRedirectToAnotherHost() {
        for bad in ["evil.com/", "00 25", "", "a@b", String(repeating: "9", count: 33), "0025.attacker"] {
            #expect(throws: ValidationError.self) { try ServiceEndpoint(server: bad) }
        }
        #expect(throws: ValidationError.self) { try ServiceEndpoint(server: "0025", baseURL: URL(string: "file:///etc/passwd")!) }
    }

    @Test func tokenNeverAppearsInDescriptions() throws {
        let r = try builder().request(for: .addDNC([DNCEntry(telephone: "93191234567", days: 15)]))
        #expect(!r.description.contains("tok-SECRET"))
        #expect(!String(describing: testToken).contains("tok-SECRET"))
        #expect(!"\(testToken)".contains("SECRET"))
        #expect(testToken.fingerprint.count == 16)
    }
}
