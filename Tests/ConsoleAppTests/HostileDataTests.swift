import Foundation
import Testing
import TUIKit
import WolkvoxAPI
@testable import ConsoleApp

/// Data the server should never send, drawn anyway: nothing executable
/// reaches the buffer and the layout holds, in every pane.
@Suite struct HostileDataTests {
    static let huge: CustomerRecord = {
        let invalidUTF8 = String(decoding: [0x41, 0xC3, 0x28, 0xFF, 0x42], as: UTF8.self)  // repaired on decode
        let payload = "\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2J\u{9B}31m\u{202E}\u{2066}\u{0}\u{7F}" + invalidUTF8 + "e\u{301}山"
        return CustomerRecord(
            customerName: String(repeating: payload + "x", count: 10_000 / (payload.count + 1) + 1),
            customerLastName: String(repeating: "W", count: 10_000), customerID: "H-\u{1B}[31m1",
            opts: [String(repeating: "\u{1B}", count: 10_000)] + Array(repeating: "", count: 11),
            tel1: "3001234567", date: "2026-11-18 08:00:00\u{1B}[5m", calls: "1", connID: payload, result: payload, campaignID: "101")
    }()

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 300, height: 100), Size(width: 40, height: 10)])
    func tenThousandCharacterFieldsWithEscapesNeverReachTheBufferAndKeepTheLayout(size: Size) {
        var s = World.state(size)
        _ = World.type(&s, "3001234567")
        _ = update(&s, .key(.enter))
        _ = update(
            &s,
            .searchFinished(
                generation: s.generation,
                .success(
                    FindAnswer(
                        query: FindQuery(phone: "3001234567"),
                        records: [Self.huge] + World.records, message: "")), seconds: 0.1))
        for keys in [[Key](), [.enter], [.enter, .down, .down]] {
            var state = s
            for k in keys { _ = World.keys(&state, k) }
            var b = Buffer(size: size)
            render(state, into: &b)
            for cell in b.cells {
                #expect(
                    !cell.grapheme.unicodeScalars.contains {
                        $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
                    },
                    "control or bidi scalar in the buffer")
            }
            // Every row is exactly the terminal's width: no field pushed the frame out or wrapped.
            for y in 0..<size.height {
                let width = (0..<size.width).reduce(0) { $0 + Int(b[$1, y].width) }
                #expect(width <= size.width, "row \(y) is \(width) columns")
            }
            if size.width >= 80 {
                #expect(b.text.split(separator: "\n").first?.hasPrefix(" wvconsole") == true)
            }
        }
    }

    @Test func filteringThroughAHugeRecordStaysCorrect() {
        var model = ResultsModel(records: [Self.huge] + World.records)
        model.setFilter("peñaloza")
        #expect(model.count == 1 && model.row(0).customerID == "CC1001")
        model.setFilter("wwwwwwwwww")
        #expect(model.count == 1 && model.row(0).customerID.hasPrefix("H-"))
    }
}
