import Foundation
import Testing
@testable import WolkvoxAPI

/// Tolerant decoding of the documented answers and their hostile variants.
@Suite struct DecodingTests {
    func response(_ status: Int, _ text: String) -> HTTPResponse { HTTPResponse(status: status, body: Data(text.utf8)) }

    @Test func documentedFindAnswerWithStringCodeDecodes() throws {
        let e = try ResponseInterpreter.decode(HTTPResponse(status: 200, body: Fixture.data("find_record.200.json")), as: CustomerRecord.self)
        #expect(e.code == 200)
        #expect(e.data.count == 1)
        #expect(e.data[0].opts.count == 12)
    }

    @Test func numericAndStringCodesBothDecode() throws {
        let recall = try ResponseInterpreter.decode(HTTPResponse(status: 202, body: Fixture.data("recall.202.json")), as: NoRow.self)
        #expect(recall.code == 202)
        #expect(recall.msg.hasPrefix("customer_id"))
        let add = try ResponseInterpreter.decode(HTTPResponse(status: 201, body: Fixture.data("add_record.201.json")), as: RegisterTotals.self)
        #expect(add.code == 201)
        #expect(add.data.first?.total == nil, "a blank \" \" count is unknown, not zero")
    }

    @Test func blankDNCTotalsAreUnknownNotZero() throws {
        let e = try ResponseInterpreter.decode(HTTPResponse(status: 201, body: Fixture.data("add_dnc.201.json")), as: DNCTotals.self)
        #expect(e.data.first == DNCTotals(added: nil, rejected: nil, sent: nil))
        let filled = try ResponseInterpreter.decode(
            response(201, #"{"code":"201","msg":"2 telephones were added","data":[{"total_added":"2","total_rejected":1,"total_sent":" 3 "}]}"#),
            as: DNCTotals.self)
        #expect(filled.data.first == DNCTotals(added: 2, rejected: 1, sent: 3))
    }

    @Test func missingExtraAndWronglyTypedFieldsAreTolerated() throws {
        let text = #"{"code":200,"msg":"1 records were found","extra":{"x":1},"data":[{"customer_id":12345,"calls":3,"tel1":3001234567,"unknown":"?"}]}"#
        let e = try ResponseInterpreter.decode(response(200, text), as: CustomerRecord.self)
        #expect(e.data[0].customerID == "12345")
        #expect(e.data[0].calls == "3")
        #expect(e.data[0].tel1 == "3001234567")
        #expect(e.data[0].customerName == "")
    }

    @Test func absentOrObjectDataIsTolerated() throws {
        #expect(try ResponseInterpreter.decode(response(200, #"{"code":"200","msg":"0 records were found"}"#), as: CustomerRecord.self).data.isEmpty)
        let single = try ResponseInterpreter.decode(response(200, #"{"code":"200","msg":"1","data":{"customer_id":"A"}}"#), as: CustomerRecord.self)
        #expect(single.data.map(\.customerID) == ["A"])
        let mixed = try ResponseInterpreter.decode(
            response(200, #"{"code":"200","msg":"2","data":[{"customer_id":"A"},7,null,{"customer_id":"B"}]}"#), as: CustomerRecord.self)
        #expect(mixed.data.map(\.customerID) == ["A", "B"])
    }

    @Test func htmlMaintenancePageWith403IsMaintenance() throws {
        let html = try Fixture.data("maintenance.403.html")
        #expect {
            try ResponseInterpreter.decode(HTTPResponse(status: 403, body: html), as: CustomerRecord.self)
        } throws: { error in
            guard case .maintenance(let d)? = error as? APIError else { return false }
            return d.status == 403 && !d.excerpt.isEmpty && d.excerpt.count <= 200 && !d.excerpt.contains("\n")
        }
    }

    @Test func emptyAndTruncatedBodiesAreMalformedNotCrashes() throws {
        let truncated = try Fixture.data("truncated.json")
        for body in [Data(), truncated, Data("<html>ok</html>".utf8), Data([0xFF, 0xFE, 0x00, 0x1B])] {
            #expect {
                try ResponseInterpreter.decode(HTTPResponse(status: 200, body: body), as: CustomerRecord.self)
            } throws: { error in
                if case .malformedResponse? = error as? APIError { return true }
                return false
            }
        }
    }

    @Test(arguments: [
        ("error.400.api.json", 400, "unknown_api"),
        ("error.400.params.json", 400, "missing_parameters"),
        ("error.401.json", 401, "missing_token"),
        ("error.403.token.json", 403, "invalid_token"),
        ("error.403.quota.json", 403, "daily_quota"),
        ("error.403.concurrency.json", 403, "simultaneous_limit"),
    ])
    func everyDocumentedErrorMapsToItsKind(file: String, status: Int, kind: String) throws {
        let body = try Fixture.data(file)
        do {
            _ = try ResponseInterpreter.decode(HTTPResponse(status: status, body: body), as: NoRow.self)
            Issue.record("expected an error")
        } catch let error as APIError {
            #expect(error.kind == kind)
            #expect(error.detail?.status == status)
            #expect(!error.detail!.serverMessage.isEmpty)
            #expect(error.explanation.hasSuffix("."))
            #expect(!error.explanation.contains("\n"))
        }
    }

    @Test func errorCodeInsideA200IsStillAnError() throws {
        #expect(throws: APIError.self) {
            try ResponseInterpreter.decode(response(200, #"{"code":"403","msg":"TOKEN LIMIT EXCEEDED"}"#), as: NoRow.self)
        }
    }

    @Test func serverTextIsSanitizedBeforeItCanReachATerminal() throws {
        let evil = #"{"code":403,"msg":"PLEASE VALIDATE TOKEN \u001b]0;pwned\u0007 \u001b[2J \u202e"}"#
        do {
            _ = try ResponseInterpreter.decode(response(403, evil), as: NoRow.self)
        } catch let error as APIError {
            let d = try #require(error.detail)
            for text in [d.serverMessage, d.excerpt, error.description] {
                #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
            }
        }
    }

    @Test func sanitizeRemovesEscapesBidiAndControls() {
        let s = TerminalText.sanitize("a\u{1B}[31mred\u{1B}[0m\u{9B}1m\u{202E}b\u{0}c\td", limit: nil)
        #expect(!s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(s.contains("red"))
        #expect(TerminalText.sanitize(String(repeating: "x", count: 50), limit: 10).count == 10)
    }

    /// Latin names pass untouched; a soft hyphen, a C1 control or a bidi
    /// mark among them still goes, and the limit still counts characters.
    @Test func latinTextPassesWholeAndItsHazardsStillGo() {
        for name in ["Peñaloza Ñúñez", "Conceição Gonçalves", "Łukasz Żółć", "Ærø ß ÿ", "¡Hola! ¿Qué?"] {
            #expect(TerminalText.sanitize(name, limit: 200) == name)
        }
        #expect(TerminalText.sanitize("Pe\u{AD}ña", limit: nil) == "Peña")
        #expect(TerminalText.sanitize("Pe\u{85}ña", limit: nil) == "Pe\u{FFFD}ña")
        #expect(TerminalText.sanitize("Pe\u{200F}ña", limit: nil) == "Peña")
        #expect(TerminalText.sanitize("Peña\u{301}", limit: nil) == "Peña\u{301}")
        #expect(TerminalText.sanitize("ñññññ", limit: 3) == "ññ…")
        #expect(TerminalText.sanitize("ñññ", limit: 3) == "ñññ")
    }
}
