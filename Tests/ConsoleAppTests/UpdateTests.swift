import Foundation
import Messages
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

@Suite struct SearchLifecycleTests {
    @Test func enterSearchesTheSelectedCampaignWithAutoDetectedKind() {
        var s = World.state()
        World.type(&s, "300 123 4567")
        let effects = World.keys(&s, .enter)
        #expect(effects.first == .search(generation: 1, FindQuery(phone: "300 123 4567", customerID: nil, campaignID: nil)))
        #expect(s.inFlight == 1)
        var t = World.state()
        World.type(&t, "CC1001")
        #expect(t.searchKind == .id)
        _ = World.keys(&t, .ctrl("t"))
        #expect(t.searchKind == .phone, "Ctrl-T overrides the guess")
    }

    @Test func aStaleAnswerNeverReplacesANewerOne() {
        var s = World.state()
        World.type(&s, "3001234567")
        _ = World.keys(&s, .enter)
        let first = s.generation
        s.query.set("CC1001")
        _ = World.keys(&s, .enter)
        let second = s.generation
        #expect(second == first + 1)
        _ = update(
            &s, .searchFinished(generation: first, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: World.records, message: "")), seconds: 1)
        )
        #expect(s.results.isEmpty, "the first search's late answer is dropped")
        #expect(s.search?.generation == second)
        _ = update(
            &s,
            .searchFinished(
                generation: second, .success(FindAnswer(query: FindQuery(customerID: "CC1001"), records: [World.records[0]], message: "")), seconds: 1))
        #expect(s.results.records.map(\.customerID) == ["CC1001"])
    }

    @Test func escCancelsARunningSearchAndItsAnswerIsIgnored() {
        var s = World.state()
        World.type(&s, "3001234567")
        _ = World.keys(&s, .enter)
        let g = s.generation
        let effects = World.keys(&s, .escape)
        #expect(effects == [.cancelSearch(generation: g)])
        #expect(s.search == nil && s.inFlight == 0)
        _ = update(
            &s, .searchFinished(generation: g, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: World.records, message: "")), seconds: 1))
        #expect(s.results.isEmpty)
    }

    @Test func invalidInputIsRefusedBeforeAnythingIsSent() {
        var s = World.state()
        World.type(&s, "12")
        _ = World.keys(&s, .ctrl("t"))  // force phone
        if s.searchKind != .phone { _ = World.keys(&s, .ctrl("t")) }
        let effects = World.keys(&s, .enter)
        #expect(effects.isEmpty)
        #expect(s.error?.sentence(in: s.catalog).contains("too short") == true)
    }

    @Test func errorsBecomeOneSentenceWithDetailsOnDemand() {
        var s = World.state()
        World.type(&s, "3001234567")
        _ = World.keys(&s, .enter)
        _ = update(
            &s,
            .searchFinished(
                generation: s.generation, .failure(.dailyQuotaExceeded(ErrorDetail(status: 403, code: 403, serverMessage: "TOKEN LIMIT EXCEEDED"))),
                seconds: 0.1))
        #expect(s.error?.sentence(in: s.catalog) == "Today's API quota is used up; no more calls can be made until tomorrow.")
        _ = World.keys(&s, .ctrl("o"))
        #expect(s.error?.showingDetail == true)
        #expect(s.error?.detail.contains("TOKEN LIMIT EXCEEDED") == true)
    }
}

@Suite struct NavigationAndFilterTests {
    @Test func listKeysMoveTheCursorAndTabCyclesPanes() {
        var s = World.withResults()
        #expect(s.focus == .results)
        _ = World.keys(&s, .char("j"), .down)
        #expect(s.results.cursor == 2)
        _ = World.keys(&s, .char("G"))
        #expect(s.results.cursor == 3)
        _ = World.keys(&s, .char("g"), .char("k"))
        #expect(s.results.cursor == 0)
        _ = World.keys(&s, .tab)
        #expect(s.focus == .detail)
        _ = World.keys(&s, .tab)
        #expect(s.focus == .campaigns)
        _ = World.keys(&s, .char("j"), .enter)
        #expect(s.selectedCampaign?.id == "101")
        #expect(s.focus == .search)
    }

    @Test func slashFiltersAsYouTypeAndEscClears() {
        var s = World.withResults()
        _ = World.keys(&s, .char("/"))
        World.type(&s, "gonç")
        #expect(s.results.visible.count == 1)
        #expect(s.results.current?.customerID == "BR-2203")
        _ = World.keys(&s, .escape)
        #expect(s.results.count == 4)
    }

    @Test func filteringSixtyThousandRowsNeverRebuildsTheIndex() {
        let many = (0..<60_000).map { i in
            CustomerRecord(
                customerName: "Nombre \(i)", customerLastName: i % 7 == 0 ? "Peñaloza" : "Gómez", customerID: "ID\(i)",
                tel1: "300\(1_000_000 + i)", result: "busy", campaignID: "101")
        }
        var model = ResultsModel(records: many)
        for prefix in ["p", "pe", "peñ", "peña", "peñal"] { model.setFilter(prefix) }
        #expect(model.count == (0..<60_000).filter { $0 % 7 == 0 }.count)
        #expect(model.indexBuilds == 1, "search text is computed once per answer")
        model.cycleSort()
        #expect(model.sort == .name)
    }

    /// Typing on only rescans the rows still shown; the answer must be the
    /// one a fresh scan gives, in the same (sorted) order, and deleting a
    /// character must widen again.
    @Test func narrowingWhileTypingGivesWhatAFreshScanGives() {
        let many = (0..<5_000).map { i in
            CustomerRecord(
                customerName: ["Gómez", "Gonçalo", "Gonzalo", "Peña"][i % 4] + " \(i)", customerLastName: i % 3 == 0 ? "Ñúñez" : "Díaz",
                customerID: "ID\(i)", tel1: "300\(1_000_000 + i)", result: "busy", campaignID: String(101 + i % 5))
        }
        var typed = ResultsModel(records: many)
        typed.cycleSort()
        typed.cycleSort()  // by ID: an order a narrowing scan must keep
        let steps = ["g", "go", "gon", "gonz", "gonz 1", "gonz 12", "gonz 1", "gon", "gonç", "", "ñ", "ñú"]
        for step in steps {
            typed.moveTo(typed.count / 2)
            let before = typed.current?.key
            typed.setFilter(step)
            var fresh = ResultsModel(records: many)
            fresh.cycleSort()
            fresh.cycleSort()
            fresh.setFilter(step)
            #expect(typed.visible == fresh.visible, "after \"\(step)\"")
            if let before, typed.visible.contains(where: { many[$0].key == before }) {
                #expect(typed.current?.key == before, "the cursor stays on its row when the row is still shown")
            }
        }
        #expect(typed.indexBuilds == 1)
        var empty = ResultsModel(records: [])
        empty.setFilter("x")
        #expect(empty.visible.isEmpty, "an empty answer filters without touching its (empty) text buffer")
        var one = ResultsModel(records: [many[0], many[1]])
        one.setFilter("díaz 1")
        #expect(one.visible == [1], "the last row's text is reached and matched")
    }

    @Test func marksAndSort() {
        var s = World.withResults()
        _ = World.keys(&s, .char(" "), .char(" "))
        #expect(s.results.marked.count == 2)
        _ = World.keys(&s, .ctrl("a"))
        #expect(s.results.marked.count == 4)
        _ = World.keys(&s, .char("o"))
        #expect(s.results.sort == .name)
        _ = World.keys(&s, .char("O"))
        #expect(s.results.ascending == false)
    }

    @Test func commandLineFindAndQuit() {
        var s = World.state()
        _ = World.keys(&s, .char(":"))
        World.type(&s, "find CC1001")
        let effects = World.keys(&s, .enter)
        #expect(effects.contains(.search(generation: 1, FindQuery(phone: nil, customerID: "CC1001", campaignID: nil))))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "q")
        #expect(World.keys(&s, .enter) == [.quit])
        #expect(s.quit)
    }

    @Test func aRemapMovesTheCommandAndTheHelpAndTheBottomLineFollow() throws {
        let (map, problems) = Keymap.default.remapped(["delete": "X", "command": "ctrl-x"])
        #expect(problems.isEmpty, "\(problems)")
        var s = World.withResults()
        s.keymap = map
        #expect(World.keys(&s, .char("d")).isEmpty && s.dialog == nil, "d no longer deletes")
        _ = World.keys(&s, .char("X"))
        guard case .delete = try #require(s.dialog) else {
            Issue.record("X opens the delete dialog")
            return
        }
        s.dialog = nil
        _ = World.keys(&s, .ctrl("x"))
        #expect(s.commandLine != nil, "the command line moved to Ctrl-X")
        s.commandLine = nil
        _ = World.keys(&s, .char("?"))
        var b = Buffer(size: s.size)
        render(s, into: &b)
        #expect(b.text.contains("Ctrl-X") && b.text.contains(":find X"), "help lists the moved key and the : table")
        s.help = nil
        b = Buffer(size: s.size)
        render(s, into: &b)
        #expect(b.text.contains("Ctrl-X command"), "the bottom line names the moved command-line key")
    }

    @Test func aRemapToAnUnknownCommandOrATakenKeyIsAProblemNamingBoth() {
        let unknown = Keymap.default.remapped(["delet": "X"]).1
        #expect(unknown.count == 1 && unknown[0].contains("\"delet\"") && unknown[0].contains("delete"), "\(unknown)")
        let taken = Keymap.default.remapped(["delete": "r"]).1
        #expect(taken == ["[keys] gives r to both delete and recall"] || taken == ["[keys] gives r to both recall and delete"], "\(taken)")
        // Swapping two keys is not a collision.
        #expect(Keymap.default.remapped(["delete": "r", "recall": "d"]).1.isEmpty)
        #expect(Keymap.default.remapped(["quit": "nope"]).1 == ["cannot read key \"nope\" for quit in [keys]"])
        // Every problem is named, not only the first.
        #expect(Keymap.default.remapped(["delete": "r", "delet": "X"]).1.count == 2)
    }

    @Test func aLetterGivenToTheCommandLineStaysTextInTheSearchField() {
        var s = World.withResults(Size(width: 80, height: 24))
        s.keymap = Keymap.default.remapped(["command": "x"]).0
        s.focus = .search
        s.query.set("")
        World.type(&s, "x")
        #expect(s.commandLine == nil && s.query.value == "x", "typed into the search bar")
        s.focus = .results
        _ = World.keys(&s, .char("x"))
        #expect(s.commandLine != nil, "outside a field, x opens the command line")
    }

    @Test func theUnknownCommandHintListsEveryCommandInTheTable() {
        var s = World.state(Size(width: 120, height: 40))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "hist")
        _ = World.keys(&s, .enter)
        let hint = s.toasts.last?.text ?? ""
        for line in LineCommand.all { #expect(hint.contains(":" + line.words[0]), "\(line.words[0]) in \(hint)") }
    }

    @Test func helpIsGeneratedFromTheKeymapAndHidesActionsInReadOnly() throws {
        var s = World.withResults(readOnly: true)
        #expect(!s.keymap.visible(readOnly: true).contains { $0.command == .delete })
        #expect(World.keys(&s, .char("d")).isEmpty)
        #expect(s.dialog == nil, "read-only: the delete key does nothing")
        _ = World.keys(&s, .char("?"))
        var b = Buffer(size: s.size)
        render(s, into: &b)
        #expect(b.text.contains("move down"))
        #expect(!b.text.contains("delete (irreversible)"))
    }

    @Test func copyUsesOSC52WithTheFieldBase64Encoded() {
        var s = World.withResults()
        let effects = World.keys(&s, .char("y"))
        #expect(effects == [.copy("CC1001")])
        #expect(Clipboard.osc52("CC1001") == "\u{1B}]52;c;Q0MxMDAx\u{07}")
    }
}

@Suite struct QuotaAndHistoryTests {
    @Test func atTheDailyQuotaASearchNeedsASecondEnter() {
        var s = World.state()
        s.callsToday = 5000
        World.type(&s, "3001234567")
        #expect(World.keys(&s, .enter).isEmpty)
        #expect(s.error?.sentence(in: s.catalog).contains("quota is used up") == true)
        #expect(World.keys(&s, .enter).contains(.search(generation: 1, FindQuery(phone: "3001234567", customerID: nil, campaignID: nil))))
    }

    @Test func historyCommandLoadsTheAuditAndEscCloses() throws {
        var s = World.state(Size(width: 80, height: 24))
        _ = World.keys(&s, .char(":"))
        World.type(&s, "history")
        #expect(World.keys(&s, .enter) == [.loadHistoryLog])
        _ = update(
            &s,
            .historyLog(
                .success([
                    HistoryLine(
                        time: "2026-11-24 14:05:09Z", api: "remove_record", campaign: "101", items: 1,
                        outcome: nil, resolved: false, message: "")
                ])))
        try assertSnapshot(s, "history")
        _ = World.keys(&s, .escape)
        #expect(s.historyLog == nil)
        // A store that does not answer is said, not shown as "no actions yet".
        _ = update(&s, .historyLog(.failure(HistoryFailure("connection refused"))))
        #expect(screenText(s).contains("History unavailable") && screenText(s).contains("connection refused"))
        #expect(!screenText(s).contains("No actions yet"))
    }
}

@Suite struct CampaignListTests {
    /// A list that failed at start (maintenance, network blip) says so in
    /// whole words in the narrow pane, and `:reload` fetches it again with
    /// exactly one call instead of a restart.
    @Test(arguments: [Language.en, .es, .pt]) func aFailedListExplainsItselfAndReloadFetchesItAgain(language: Language) {
        var s = AppState(
            size: Size(width: 120, height: 36), theme: .dark, catalog: Catalog(language), server: "0025", demo: false,
            readOnly: false, quota: 5000, now: World.now)
        _ = update(&s, .campaignsLoaded(.failure(.network("connection refused"))))
        #expect(s.campaigns.isEmpty && s.campaignsNote != nil)
        var b = Buffer(size: s.size)
        render(s, into: &b)
        let pane = b.text.split(separator: "\n").map { line in String(line.prefix(while: { $0 != "┐" && $0 != "┘" })) }
        let shown = pane.joined(separator: " ").replacingOccurrences(of: "│", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(shown.contains(":reload"), "the way out is on screen: \(shown)")
        for word in s.campaignsNote!.split(separator: " ") {
            #expect(shown.contains(word), "\(word) is shown whole")
        }
        _ = World.keys(&s, .char(":"))
        let effects = World.type(&s, "reload") + World.keys(&s, .enter)
        #expect(effects == [.loadCampaigns])
        #expect(s.campaignsLoading && s.campaignsNote == nil)
        _ = update(&s, .campaignsLoaded(.success(World.campaigns)))
        #expect(s.campaigns.count == 3 && s.campaignsNote == nil)
    }

    /// Issue 23: a field carrying ESC/CR/BEL/bidi controls must not reach the
    /// clipboard (a paste into a shell would run what it hides): `y` copies
    /// what the screen shows.
    @Test func copyGivesTheSanitizedValue() {
        var s = World.state(Size(width: 120, height: 40))
        _ = World.type(&s, "3001234567")
        _ = update(&s, .key(.enter))
        var hostile = CustomerRecord(customerID: "ID\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}\r; rm -rf ~\u{202E}1")
        hostile.tel1 = "3001234567"
        _ = update(
            &s,
            .searchFinished(
                generation: s.generation, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: [hostile], message: "1")), seconds: 0.1))
        let effects = World.keys(&s, .char("y"))
        guard case .copy(let value)? = effects.first else {
            Issue.record("\(effects)")
            return
        }
        #expect(value == TerminalText.sanitize(hostile.customerID))
        #expect(!value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || TerminalText.isBidiControl($0.value) })
        // And the clipboard sequence itself never carries raw controls from its argument.
        let decoded = Clipboard.osc52("a\u{1B}b\u{07}c").dropFirst(7).dropLast()
        #expect(String(decoding: Data(base64Encoded: String(decoded)) ?? Data(), as: UTF8.self) == TerminalText.sanitize("a\u{1B}b\u{07}c"))
    }
}

@Suite struct ScrollTests {
    /// The results keep their window: moving up from the last row moves the
    /// cursor inside the window, and the last row stays on screen until the
    /// cursor reaches the window's top.
    @Test func theWindowStaysPutWhileTheCursorMovesInsideIt() throws {
        var s = World.state(Size(width: 80, height: 24))
        let many = (0..<100).map {
            CustomerRecord(customerName: "Cliente \($0)", customerID: String(format: "ROW%03d", $0), tel1: "3001234567", campaignID: "101")
        }
        World.type(&s, "3001234567")
        _ = update(&s, .key(.enter))
        _ = update(
            &s, .searchFinished(generation: s.generation, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: many, message: "")), seconds: 0.1)
        )
        _ = World.keys(&s, .end)
        #expect(screenText(s).contains("ROW099"))
        let rows = Layout.resultRows(s.size)
        for _ in 0..<(rows - 1) { _ = World.keys(&s, .up) }
        #expect(screenText(s).contains("ROW099"), "the window stays put while the cursor moves inside it")
        #expect(s.results.scroll == 100 - rows)
        _ = World.keys(&s, .up)
        #expect(!screenText(s).contains("ROW099") && s.results.scroll == 100 - rows - 1, "past the top, the window follows")
    }
}

@Suite struct HelpOverlayTests {
    /// Help pages like a list: End shows the last full page (the last : command
    /// on screen), PgUp and Home go back, and nothing scrolls past the end.
    @Test func helpPagesAndStopsAtItsLastFullPage() {
        var s = World.withResults(Size(width: 80, height: 24))
        _ = World.keys(&s, .char("?"))
        #expect(!screenText(s).contains(":q "), "the last row starts off screen")
        _ = World.keys(&s, .end)
        #expect(screenText(s).contains(":q "), "End shows the last row")
        let last = s.help?.scroll ?? -1
        _ = World.keys(&s, .down, .pageDown)
        #expect(s.help?.scroll == last, "nothing past the end")
        _ = World.keys(&s, .pageUp)
        #expect(s.help?.scroll == max(0, last - helpPage(s)))
        _ = World.keys(&s, .home)
        #expect(s.help?.scroll == 0 && screenText(s).contains("help (searchable)"))
    }
}
