import Foundation
import Messages
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

/// The breakdown (`B`, `:stats`): exact counts, Enter narrows the rows to a
/// bar and Esc lets go, and the overlay at the sizes operators use.
@Suite struct BreakdownTests {
    static func record(_ i: Int, result: String, calls: String, date: String, campaign: String = "101") -> CustomerRecord {
        CustomerRecord(customerName: "C\(i)", customerID: "ID\(i)", tel1: "300\(1_000_000 + i)", date: date, calls: calls, result: result, campaignID: campaign)
    }

    /// 2026-11-24 14:05 UTC is World.now.
    static let seeded: [CustomerRecord] = [
        record(0, result: "answer", calls: "0", date: "2026-11-24 09:00:00"),
        record(1, result: "answer", calls: "1", date: "2026-11-24 10:00:00"),
        record(2, result: "busy", calls: "2", date: "2026-11-23 10:00:00"),
        record(3, result: "no-answer", calls: "4", date: "2026-10-25 10:00:00"),  // the first of the 31 days
        record(4, result: "no-answer", calls: "7", date: "2026-10-24 23:59:59"),  // the day before: older
        record(5, result: "NO-ANSWER", calls: "11", date: "", campaign: "202"),
        record(6, result: "", calls: "x", date: "0000-00-00 00:00:00", campaign: "202"),
        record(7, result: "congestion", calls: "12", date: "2026-11-01 10:00:00", campaign: "303"),
        record(8, result: "answer", calls: "", date: "2027-01-01 10:00:00"),  // no calls given: 0; a future date: other
    ]

    @Test func countsAreExact() {
        let b = Breakdown(Self.seeded, now: World.now, timeZone: World.utc)
        #expect(b.total == 9)
        #expect(b.results.map { "\(Catalog.shared(.en).barLabel($0.kind)) \($0.count)" } == ["answer 3", "no-answer 3", "(none) 1", "busy 1", "congestion 1"])
        #expect(b.calls.map(\.count) == [2, 1, 1, 1, 1, 2, 1], "0, 1, 2, 3–5, 6–10, >10, unreadable")
        #expect(b.days.count == 31 && b.days.first?.kind == .day("2026-10-25") && b.days.last?.kind == .day("2026-11-24"))
        #expect(b.days.last?.count == 2 && b.days.first?.count == 1 && b.days.map(\.count).reduce(0, +) == 5)
        #expect(b.never.count == 2 && b.older.count == 1 && b.otherDates.count == 1)
        #expect(b.campaigns.map { "\($0.kind) \($0.count)" } == ["campaign(\"101\") 6", "campaign(\"202\") 2", "campaign(\"303\") 1"])
        #expect(b.matches(.olderContact, Self.seeded[4]) && !b.matches(.olderContact, Self.seeded[3]) && !b.matches(.olderContact, Self.seeded[8]))
        #expect(b.matches(.otherDate, Self.seeded[8]) && !b.matches(.otherDate, Self.seeded[4]))
        // Every bar's `matches` picks exactly as many records as the bar counts.
        for bar in b.results + b.calls + b.days + [b.never, b.older, b.otherDates] + b.campaigns {
            #expect(Self.seeded.filter { b.matches(bar.kind, $0) }.count == bar.count, "\(bar.kind)")
        }
    }

    static func withSeeded(_ size: Size, language: Language = .en) -> AppState {
        var s = World.state(size, language: language)
        World.type(&s, "3001234567")
        _ = update(&s, .key(.enter))
        _ = update(&s, .searchFinished(generation: s.generation, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: seeded, message: "")), seconds: 0.1))
        return s
    }

    @Test func enterNarrowsTheRowsToABarAndEscLetsGo() throws {
        var s = Self.withSeeded(Size(width: 120, height: 40))
        _ = World.keys(&s, .char("B"))
        #expect(s.breakdown != nil)
        _ = World.keys(&s, .down, .enter)  // the second bar: no-answer, 3 records
        #expect(s.breakdown == nil && s.results.count == 3)
        #expect((0..<s.results.count).allSatisfy { s.results.row($0).result.lowercased() == "no-answer" })
        #expect(s.toasts.last?.text.contains("Showing 3 rows: no-answer") == true)
        // A second bar narrows further: what the overlay counted is what shows.
        _ = World.keys(&s, .char("B"))
        let campaign202 = try #require(s.breakdown.map(\.data.campaigns)?.first { $0.kind == .campaign("202") })
        let bars = selectableBars(try #require(s.breakdown?.data))
        let at = try #require(bars.firstIndex { $0.kind == .campaign("202") })
        s.breakdown?.cursor = at
        _ = World.keys(&s, .enter)
        #expect(s.results.count == campaign202.count && s.results.count == 1, "no-answer and 202")
        #expect(s.results.pins == [.result("no-answer"), .campaign("202")])
        #expect(screenText(s).contains("only no-answer + campaign 202"), "the title names each bar with its section")
        #expect(s.toasts.last?.text == "Showing 1 row: campaign 202. Esc shows all again.")
        _ = World.keys(&s, .escape)
        #expect(s.results.count == 9 && s.results.pins.isEmpty)
        _ = World.keys(&s, .char("B"), .down, .enter)
        #expect(s.results.count == 3)
        // The text filter works inside the pin, and Esc lets go of one, then the other.
        _ = World.keys(&s, .char("/"))
        World.type(&s, "id5")
        _ = World.keys(&s, .enter)
        #expect(s.results.count == 1)
        _ = World.keys(&s, .escape)
        #expect(s.results.count == 1 && s.results.pin == nil, "Esc lets go of the pin first; the text filter stays")
        _ = World.keys(&s, .escape)
        #expect(s.results.count == 9 && s.results.filter.isEmpty)
    }

    @Test func statsOpensFromTheCommandLineAndNothingShownSaysSo() {
        var s = World.state(Size(width: 80, height: 24))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "stats")
        _ = World.keys(&s, .enter)
        #expect(s.breakdown == nil && s.toasts.last?.text.contains("search first") == true)
        s = Self.withSeeded(Size(width: 80, height: 24))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "stats")
        _ = World.keys(&s, .enter)
        #expect(s.breakdown != nil)
    }

    @Test(arguments: [Size(width: 120, height: 40), Size(width: 80, height: 24), Size(width: 60, height: 20)], [Language.en, .es])
    func breakdownSnapshots(size: Size, language: Language) throws {
        var s = Self.withSeeded(size, language: language)
        _ = World.keys(&s, .char("B"), .down)
        try assertSnapshot(s, "breakdown" + (language == .en ? "" : "-\(language.rawValue)"))
        #expect(screenText(s).contains(language == .en ? "Breakdown — 9 records" : "Resumen — 9 registros"))
    }

    @Test func withoutAUTF8LocaleTheBarsAreASCII() {
        var s = Self.withSeeded(Size(width: 120, height: 40))
        s.asciiOnly = true
        _ = World.keys(&s, .char("B"))
        #expect(screenText(s).contains("###") && !screenText(s).contains("█"))
    }
}

/// `[labels]` and `[columns]` from config: a campaign's own names for its opt
/// fields in the results header and the detail view.
@Suite struct CampaignColumnsTests {
    @Test func aSelectedCampaignShowsItsColumnsAndOptLabels() throws {
        var s = World.withResults(Size(width: 120, height: 40))
        s.labels = ["101": ["opt1": "Saldo"]]
        s.columns = ["101": ["name", "customer_id", "opt1", "result"]]
        var r = s.results.records
        r[0].opts[0] = "1.500.000"
        _ = update(&s, .searchFinished(generation: s.generation + 1, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: r, message: "")), seconds: 0.1))
        func header(_ s: AppState) -> String { screenText(s).split(separator: "\n").map(String.init).first { $0.contains("Customer ID") && !$0.contains("tel1") } ?? "" }
        // Not selected: the default columns.
        #expect(header(s).contains("Phones") && !header(s).contains("Saldo"), "\(header(s))")
        s.selectedCampaign = World.campaigns[0]
        s.generation += 1
        s.search = RunningSearch(generation: s.generation, query: FindQuery(phone: "3001234567"), started: s.now)
        _ = update(&s, .searchFinished(generation: s.generation, .success(FindAnswer(query: FindQuery(phone: "3001234567", campaignID: "101"), records: r, message: "")), seconds: 0.1))
        #expect(header(s).contains("Saldo") && !header(s).contains("Phones"), "only the configured columns: \(header(s))")
        #expect(screenText(s).contains("1.500.000"))
        _ = World.keys(&s, .enter)
        #expect(screenText(s).contains("Saldo") && screenText(s).contains("opt2"), "the detail view names opt1 and leaves the rest")
    }
}
