import Foundation
import Testing
@testable import WolkvoxAPI

/// A 2xx answer to a change is a confirmation only when it is written as the
/// API writes it; anything else is recorded unknown.
@Suite struct StrictAnswerTests {
    @Test(arguments: [
        #"{"code":202,"error":null,"msg":"customer_id CC1001 has been deleted successfully"}"#,
        #"{"code":"201","error":null,"msg":"ok","data":[{"total_registers":"3"}]}"#,
        #"{ "code" : 202 , "msg" : "spaced \"quoted\" \u00e9" }"#,
        "{\n  \"code\": 201,\n  \"error\": null,\n  \"msg\": \"pretty\",\n  \"data\": [{\"added\": 1, \"rejected\": 0}]\n}",
        "{}",
        // A refusal in a 2xx is the interpreter's to classify (quota, limit…), not a confirmation.
        #"{"code":403,"error":"TOKEN LIMIT EXCEEDED","msg":"x"}"#,
    ])
    func documentedAnswersPass(_ body: String) {
        #expect(StrictAnswer.problem(Data(body.utf8)) == nil, "\(body)")
    }

    @Test(arguments: [
        (#"{"code":"0202","msg":"x"}"#, "code"), (#"{"code":"+202","msg":"x"}"#, "code"), (#"{"code":" 202","msg":"x"}"#, "code"),
        (#"{"code":2.02e2,"msg":"x"}"#, "code"), (#"{"code":202,"error":"","msg":"x"}"#, "error"), (#"{"code":202,"error":{},"msg":"x"}"#, "error"),
        (#"{"code":202,"code":400,"msg":"x"}"#, "twice"), ("{\"code\":202,\"msg\":\"a\u{1B}[31mb\"}", "control"),
        ("{\"code\":202,\"msg\":\"a\u{0}b\"}", "control"), (#"{"code":202,"msg":"x"} trailing"#, "goes on"), (#"{"code":202,"msg":"cut"#, "cut"),
    ])
    func anythingElseIsNotAConfirmation(_ body: String, _ says: String) {
        let problem = StrictAnswer.problem(Data(body.utf8))
        #expect(problem?.contains(says) == true, "\(body): \(problem ?? "accepted")")
    }

    @Test func invalidUTF8IsNotAConfirmation() {
        #expect(StrictAnswer.problem(Data([0x7B, 0x22, 0x6D, 0x73, 0x67, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D])) != nil)
    }
}

/// Found by `scripts/fuzz.sh` (write): escapes JSON does not have were
/// taken as written, so an answer that is not JSON could count as a
/// confirmation.
@Suite struct StrictAnswerEscapeTests {
    @Test(arguments: [#"{"code":"202","error":null,"msg":"a\ b"}"#, #"{"code":"202","error":null,"msg":"a\u12"}"#, #"{"code":"202","error":null,"msg":"a\x41"}"#, #"{"code":"202","coed":041,"error":null,"msg":""}"#, #"{"code":"202","n":+1,"error":null,"msg":""}"#, #"{"code":"202","n":1.,"error":null,"msg":""}"#])
    func anEscapeJSONDoesNotHaveIsNotAConfirmation(body: String) {
        #expect(StrictAnswer.problem(Data(body.utf8)) != nil, "\(body)")
    }

    @Test func jsonsOwnNumbersAreFine() {
        #expect(StrictAnswer.problem(Data(#"{"code":202,"a":0,"b":-1.5e+3,"c":10,"d":0.25E-2,"error":null,"msg":""}"#.utf8)) == nil)
    }

    @Test func jsonsOwnEscapesAreFine() {
        #expect(StrictAnswer.problem(Data(#"{"code":"202","error":null,"msg":"\" \\ \/ \b \f \n \r \t \u00f1 \uD83D\uDE00"}"#.utf8)) == nil)
    }
}
