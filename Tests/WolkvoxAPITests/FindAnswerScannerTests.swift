import Foundation
import Testing
@testable import WolkvoxAPI

/// The fast find_record scanner must read exactly what the general lenient
/// decoder reads, and give up (nil) on anything that is not JSON.
@Suite struct FindAnswerScannerTests {
    static let bodies: [String] = [
        #"{"code":"200","error":null,"msg":"2 records were found","data":[{"customer_name":"Ana","customer_id":"1","opt3":"x"},{"customer_id":"2","tel1":3001234567}]}"#,
        #"{"code":200,"msg":"0 records were found"}"#,
        #"{"code":" 200 ","msg":"x","data":{"customer_id":"solo"}}"#,
        #"{"msg":"x","data":[7,null,"s",{"customer_id":"B","calls":4,"result":true},[1,2]]}"#,
        #"{"code":"200","msg":"esc","data":[{"customer_name":"Mar\u00eda \"la\" \\ \/ \n\t","customer_last_name":"\ud83d\ude00 \u5c71\u7530","customer_id":"e"}]}"#,
        #"  {"extra":{"nested":[1,{"a":"b"}]},"code":"200","msg":"m","data":[{"customer_id":"n","opt12":"last","opt13":"ignored","tel2":null,"date":{"x":1}}]}  "#,
        "\u{FEFF}" + #"{"code":"200","msg":"bom","data":[]}"#,
        #"{"code":"200","msg":"Peñaloza 山田 😀 \u001b[31m","data":[{"customer_name":"Zoë\u202e","customer_id":"u"}]}"#,
    ]

    @Test(arguments: bodies)
    func scannerMatchesTheGeneralDecoder(body: String) throws {
        let data = Data(body.utf8)
        let fast = try #require(FindAnswerScanner.scan(data))
        let slow = try JSONDecoder().decode(Envelope<CustomerRecord>.self, from: Data(body.replacingOccurrences(of: "\u{FEFF}", with: "").utf8))
        #expect(fast.code == slow.code)
        #expect(fast.msg == slow.msg)
        #expect(fast.error == slow.error)
        #expect(fast.rows == slow.data)
    }

    /// What `IncrementalFindScan` gives when the body arrives in `piece`-byte pieces.
    static func scannedInPieces(_ body: Data, piece: Int) -> FindAnswerScanner.Result? {
        var scan = IncrementalFindScan()
        var received = Data()
        var at = 0
        while at < body.count {
            received.append(body[(body.startIndex + at)..<(body.startIndex + min(at + piece, body.count))])
            scan.advance(received)
            at += piece
        }
        return scan.finish(received)
    }

    /// Decoding while receiving gives the whole scan's answer, whatever the
    /// pieces; a `data` object is the one well-formed shape left to the whole scan.
    @Test(arguments: bodies)
    func readingWhileArrivingGivesTheSameAnswer(body: String) throws {
        let data = Data(body.utf8)
        let whole = try #require(FindAnswerScanner.scan(data))
        for piece in [1, 2, 3, 17, 64, 4_096, data.count] {
            let early = Self.scannedInPieces(data, piece: piece)
            if body.contains(#""data":{"#) {
                #expect(early == nil, "left to the whole scan")
            } else {
                #expect(early == whole, "\(piece)-byte pieces: \(early.map { "\($0.rows.count) rows" } ?? "nil")")
            }
        }
    }

    @Test(arguments: [
        "", "{", #"{"code":"200","msg":"x","data":[{"customer_id":"a"}"#, "<html>maintenance</html>",
        #"{"code":200,}"#, #"{"msg":"a" "b"}"#, #"{"msg":"unterminated}"#, #"{"msg":"bad \x escape"}"#,
        #"{"code":200} trailing"#, "[1,2,3]", #"{"msg":"ctl \#u{01} char"}"#,
        #"{"data":[{"tel1":959039100-}]}"#, #"{"data":[{"tel1":01}]}"#, #"{"data":[{"tel1":1.}]}"#, #"{"data":[{"tel1":-}]}"#,
    ])
    func malformedBodiesAreRefused(body: String) {
        #expect(FindAnswerScanner.scan(Data(body.utf8)) == nil)
        for piece in [1, 3, 64] { #expect(Self.scannedInPieces(Data(body.utf8), piece: piece) == nil) }
    }

    /// Issue 23: 30,000 levels of `[` overflowed the stack (exit 139). Now
    /// both the scanner and the general decoder refuse it as malformed.
    @Test(arguments: [30_000, 200_000])
    func aDeeplyNestedAnswerIsMalformedNotACrash(levels: Int) throws {
        for place in ["data", "extra"] {
            let body = #"{"code":"200","msg":"x","\#(place)":"# + String(repeating: "[", count: levels) + String(repeating: "]", count: levels) + "}"
            #expect(FindAnswerScanner.scan(Data(body.utf8)) == nil)
            let response = HTTPResponse(status: 200, body: Data(body.utf8))
            #expect(throws: APIError.self) { try ResponseInterpreter.decode(response, as: CustomerRecord.self) }
            #expect(throws: APIError.self) { try ResponseInterpreter.decode(response, as: Campaign.self) }
            do { _ = try ResponseInterpreter.decode(response, as: CustomerRecord.self) } catch let e as APIError {
                #expect(e.kind == "malformed_response")
            }
            let object =
                #"{"code":"200","msg":"x","data":[{"customer_id":"a","opt1":"# + String(repeating: #"{"k":"#, count: levels) + "1"
                + String(repeating: "}", count: levels) + "}]}"
            #expect(FindAnswerScanner.scan(Data(object.utf8)) == nil)
            #expect(throws: APIError.self) { try ResponseInterpreter.decode(HTTPResponse(status: 200, body: Data(object.utf8)), as: CustomerRecord.self) }
        }
        // Past the scanner's bound (512) the scanner gives up; the general decoder decides.
        #expect(
            FindAnswerScanner.scan(Data((#"{"msg":"x","data":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}").utf8)) == nil)
        // Nesting within the bound is still read, and skipped where it is not a field.
        let fine =
            #"{"code":"200","msg":"x","extra":"# + String(repeating: "[", count: 500) + #"{"a":[1,{}]}"# + String(repeating: "]", count: 500)
            + #","data":[{"customer_id":"ok"}]}"#
        #expect(FindAnswerScanner.scan(Data(fine.utf8))?.rows.map(\.customerID) == ["ok"])
    }

    @Test func invalidUTF8IsRepairedNotFatal() throws {
        var data = Data(#"{"code":"200","msg":"ok","data":[{"customer_id":"X","customer_name":""#.utf8)
        data.append(contentsOf: [0xC3, 0x28, 0xFF])
        data.append(contentsOf: Array(#""}]}"#.utf8))
        let r = try #require(FindAnswerScanner.scan(data))
        #expect(r.rows.first?.customerID == "X")
        #expect(r.rows.first?.customerName.contains("\u{FFFD}") == true)
    }

    @Test func sixtyThousandRowsDecodeThroughTheInterpreter() throws {
        var s = #"{"code":"200","msg":"60000 records were found","data":["#
        for i in 0..<60_000 { s += (i > 0 ? "," : "") + #"{"customer_id":"ID\#(i)","tel1":"300\#(i)"}"# }
        s += "]}"
        let e = try ResponseInterpreter.decode(HTTPResponse(status: 200, body: Data(s.utf8)), as: CustomerRecord.self)
        #expect(e.data.count == 60_000)
        #expect(e.data.last?.customerID == "ID59999")
    }
}
