import Foundation
import Messages
import Testing
@testable import ConsoleApp
import TUIKit
import WolkvoxAPI

/// Small things that each tripped a new user.
@Suite struct UXRegressionTests {
    @Test func anErrorInTheSearchFieldOffersCtrlONotALetterItWouldType() {
        var s = World.state(Size(width: 80, height: 24))
        World.type(&s, "3001234567")
        _ = World.keys(&s, .enter)
        _ = update(
            &s, .searchFinished(generation: s.generation, .failure(.maintenance(ErrorDetail(status: 403, excerpt: "<html>backup</html>"))), seconds: 0.1))
        #expect(s.focus == .search)
        let screen = screenText(s)
        #expect(screen.contains("Ctrl-O shows details") && !screen.contains("i / Ctrl-O"), "\(screen)")
        _ = World.keys(&s, .ctrl("o"))
        #expect(s.error?.showingDetail == true)
        #expect(screenText(s).contains("backup"))
    }

    /// After a failed search the screen does not say it is searching, nor
    /// pass off the previous list (or an empty one) as the answer.
    @Test(arguments: [Language.en, .es])
    func aFailedSearchSaysSoAndOwnsUpToTheOldList(language: Language) {
        let c = Catalog(language)
        var s = World.withResults(Size(width: 80, height: 24), language: language)
        s.focus = .search
        World.type(&s, "9")
        _ = World.keys(&s, .enter)
        _ = update(&s, .searchFinished(generation: s.generation, .failure(.timeout(seconds: 60)), seconds: 60))
        var screen = screenText(s)
        #expect(screen.contains(String(c["search.failed_stale"].prefix(40))), "\(screen)")
        // The reason stays after the error box is closed.
        _ = World.keys(&s, .escape)
        let flat = screenText(s).split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " │")) }.joined(separator: " ")
        #expect(s.summaryText?.hasSuffix(c.explain(.timeout(seconds: 60))) == true, "\(s.summaryText ?? "")")
        #expect(flat.contains(String(c["search.failed_stale"].prefix(20))), "\(screenText(s))")
        #expect(!screen.contains(c["search.scope_all"]), "\(screen)")

        var fresh = World.state(Size(width: 120, height: 40), language: language)
        World.type(&fresh, "3001234567")
        _ = World.keys(&fresh, .enter)
        _ = update(&fresh, .searchFinished(generation: fresh.generation, .failure(.timeout(seconds: 60)), seconds: 60))
        screen = screenText(fresh)
        #expect(screen.contains(c.text("search.failed", ["reason": ""]).trimmingCharacters(in: .whitespaces)) && screen.contains(c["results.failed"]), "\(screen)")
        #expect(!screen.contains(c["results.none"]) && !screen.contains(c["search.scope_all"]), "\(screen)")
        // The next search that succeeds clears it.
        _ = World.keys(&fresh, .enter)
        _ = update(&fresh, .searchFinished(generation: fresh.generation, .success(FindAnswer(query: FindQuery(phone: "3001234567"), records: [], message: "")), seconds: 0.1))
        #expect(screenText(fresh).contains(c["results.none"]))
    }

    /// The cap note and the country-code hint are read whole at 80 columns,
    /// not cut off at the pane's edge with no way to read the rest.
    @Test(arguments: [Language.en, .es])
    func theCapNoteAndThePlusHintAreReadWholeAt80Columns(language: Language) {
        let c = Catalog(language)
        let many = (0..<WolkvoxClient.maxRecordsPerDownload).map { CustomerRecord(customerID: "C\($0)", tel1: "6015550000") }
        var s = World.state(Size(width: 80, height: 24), language: language)
        World.type(&s, "6015550000")
        _ = World.keys(&s, .enter)
        _ = update(&s, .searchFinished(generation: s.generation, .success(FindAnswer(query: FindQuery(phone: "6015550000"), records: many, message: "")), seconds: 0.3))
        let screen = screenText(s)
        let capped = c.text("search.found_capped", ["count": c.number(many.count), "campaign": c["pane.all_campaigns"], "seconds": "0.30"])
        let shown = String(capped.prefix(while: { $0 != "·" }))
        #expect(screen.contains(shown), "the cap is the first thing the status line says: \(screen)")
        let toastWords = c.text("search.at_cap_toast", ["max": c.number(many.count)]).split(separator: " ").suffix(3).joined(separator: " ")
        let flatCap = screen.split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " │")) }.joined(separator: " ")
        #expect(flatCap.contains(toastWords), "the full sentence is on screen as a notice: \(screen)")

        var plus = World.state(Size(width: 80, height: 24), language: language)
        World.type(&plus, "+573001234567")
        _ = World.keys(&plus, .enter)
        _ = update(&plus, .searchFinished(generation: plus.generation, .success(FindAnswer(query: FindQuery(phone: "+573001234567"), records: [], message: "")), seconds: 0.1))
        let flat = screenText(plus).split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " │")) }.joined(separator: " ")
        #expect(flat.contains("country_code"), "the hint's end is on screen: \(screenText(plus))")
    }

    /// A slow search says how long it has waited and when it gives up.
    @Test func aSlowSearchShowsItsWait() {
        var s = World.state(Size(width: 120, height: 40))
        World.type(&s, "3001234567")
        _ = World.keys(&s, .enter)
        #expect(!screenText(s).contains(" s of 60"), "not in the first moment")
        _ = update(&s, .tick(s.now.addingTimeInterval(12.4)))
        #expect(screenText(s).contains("Searching… 12 s of 60  (Esc cancels)"), "\(screenText(s))")
    }

    /// Esc on a running search over an earlier list says the list is the earlier one.
    @Test func aCancelledSearchOwnsUpToTheOldList() {
        var s = World.withResults(Size(width: 120, height: 40))
        s.focus = .search
        World.type(&s, "9")
        _ = World.keys(&s, .enter)
        #expect(s.search != nil)
        _ = World.keys(&s, .escape)
        #expect(s.search == nil)
        #expect(screenText(s).contains("Search cancelled — the list still shows the previous search."), "\(screenText(s))")
    }

    /// `:lang es` after a search rewords the status line at once, decimals included.
    @Test func theStatusLineFollowsALanguageSwitch() {
        var s = World.withResults(Size(width: 120, height: 40))
        #expect(screenText(s).contains("4 records · in All campaigns · 0.21 s"), "\(screenText(s))")
        _ = World.keys(&s, .char(":"))
        World.type(&s, "lang es")
        _ = World.keys(&s, .enter)
        let screen = screenText(s)
        #expect(screen.contains("4 registros · en Todas las campañas · 0,21 s"), "\(screen)")
        #expect(!screen.contains("records"), "\(screen)")
    }

    @Test func longToastsAndErrorsWrapInsteadOfLosingTheirEnd() {
        var s = World.state(Size(width: 80, height: 24))
        let long = "The server refused: THE CUSTOMER_ID CC1001 DOES NOT EXIST IN CAMPAIGN 101 AND THIS SENTENCE ENDS WITH THE WORD ZEBRA."
        s.toasts = [Toast(text: long, level: .error, expires: Date().addingTimeInterval(60))]
        #expect(screenText(s).contains("ZEBRA."), "\(screenText(s))")
        s.toasts = []
        World.type(&s, "CC1001")
        _ = World.keys(&s, .enter)
        _ = update(&s, .searchFinished(generation: s.generation, .failure(.refused(ErrorDetail(status: 400, serverMessage: long))), seconds: 0.1))
        #expect(screenText(s).contains("ZEBRA."))
    }

    @Test func aDialogThatSucceededOffersOnlyClose() {
        var s = World.withResults()
        _ = World.keys(&s, .char("r"))
        _ = World.keys(&s, .tab, .tab, .tab, .tab)
        guard case .recall(let id, _)? = World.keys(&s, .enter).first else {
            Issue.record("not sent")
            return
        }
        _ = update(
            &s,
            .actionFinished(
                id: id,
                .recalled(
                    ActionReceipt(message: "customer_id CC1001 has been updated", code: 202, journalID: 1), RecordKey(campaignID: "101", customerID: "CC1001")))
        )
        let screen = screenText(s)
        #expect(screen.contains("[ Close ]") && !screen.contains("[ Recall ]") && !screen.contains("[ Cancel ]"), "\(screen)")
    }

    @Test func recallPresetsWorkWhereTheDialogOpens() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("r"))
        var d = try #require(s.dialog.flatMap { if case .recall(let d) = $0 { d } else { nil } })
        #expect(d.focus == .date)
        let opened = d.date.value
        _ = World.keys(&s, .down)  // preset 1: +15 min
        d = try #require(s.dialog.flatMap { if case .recall(let d) = $0 { d } else { nil } })
        #expect(d.date.value == "2026-11-24 14:20" && d.date.value != opened, "\(d.date.value)")
        _ = World.keys(&s, .down, .down)  // preset 3: tomorrow 09:00
        d = try #require(s.dialog.flatMap { if case .recall(let d) = $0 { d } else { nil } })
        #expect(d.date.value == "2026-11-25 09:00")
        _ = World.keys(&s, .up)
        d = try #require(s.dialog.flatMap { if case .recall(let d) = $0 { d } else { nil } })
        #expect(d.date.value == "2026-11-24 15:05")
    }

    @Test func theResultFilterPreviewsHowManyMatchAndDeleteNeedsTheWholeWarning() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char(" "), .char(" "), .char(" "), .char("d"))
        World.type(&s, "3")
        _ = World.keys(&s, .enter, .tab)  // to Delete, then the result filter
        _ = World.keys(&s, .right)  // no-answer
        #expect(screenText(s).contains("no-answer ▸ 1 of 3 match"), "\(screenText(s))")
        // At 40×12 the warning cannot be shown whole: Delete stays disabled even when typed.
        var small = World.withResults(Size(width: 40, height: 12))
        _ = World.keys(&small, .char("d"))
        World.type(&small, "CC1001")
        #expect(World.keys(&small, .enter, .enter).isEmpty, "nothing is sent while the warning is cut")
        #expect(screenText(small).contains("Delete (disabled)"))
        var big = World.withResults(Size(width: 80, height: 24))
        _ = World.keys(&big, .char("d"))
        World.type(&big, "CC1001")
        #expect(World.keys(&big, .enter, .enter).count == 1)
    }
}

@Suite struct SearchKindAndFilterTests {
    @Test func ctrlTGivesAutoBackAndAnEmptiedBarForgetsTheManualKind() {
        var s = World.state()
        World.type(&s, "12345")
        #expect(s.searchKind == .phone && s.kindOverride == nil)
        _ = World.keys(&s, .ctrl("t"))
        #expect(s.searchKind == .id && s.kindOverride == .id)
        _ = World.keys(&s, .ctrl("t"))
        #expect(s.kindOverride == nil && s.searchKind == .phone, "the second Ctrl-T is auto again")
        _ = World.keys(&s, .ctrl("t"))
        _ = World.keys(&s, .ctrl("u"))
        #expect(s.kindOverride == nil, "clearing the bar forgets the manual kind")
        World.type(&s, "3001234567")
        #expect(World.keys(&s, .enter).first == .search(generation: 1, FindQuery(phone: "3001234567", customerID: nil, campaignID: nil)))
        #expect(screenText(s).contains("(auto)"))
    }

    @Test func escClearsAFilterKeptWithEnter() {
        var s = World.withResults()
        _ = World.keys(&s, .char("/"))
        World.type(&s, "busy")
        _ = World.keys(&s, .enter)
        #expect(s.results.count == 1 && s.resultsFilter == nil)
        _ = World.keys(&s, .escape)
        #expect(s.results.count == 4 && s.results.filter.isEmpty)
    }
}

@Suite struct AddRecordExistingTests {
    /// Opens the add dialog on campaign 101 and fills customer_id and tel1.
    func filled(id: String) -> AppState {
        var s = World.withResults()
        _ = World.keys(&s, .char("a"))
        let idIndex = AddRecordDialog.fields.firstIndex(of: "customer_id")!
        let telIndex = AddRecordDialog.fields.firstIndex(of: "tel1")!
        for _ in 0..<idIndex { _ = World.keys(&s, .tab) }
        World.type(&s, id)
        for _ in idIndex..<telIndex { _ = World.keys(&s, .tab) }
        World.type(&s, "3001112233")
        return s
    }

    func dialog(_ s: AppState) throws -> AddRecordDialog {
        try #require(s.dialog.flatMap { if case .addRecord(let d) = $0 { d } else { nil } })
    }

    @Test func anExistingIDIsLookedUpAndReplacingNeedsASecondEnter() throws {
        var s = filled(id: "CC1001")
        var d = try dialog(s)
        d.focus = d.sendIndex
        s.dialog = .addRecord(d)
        let check = World.keys(&s, .enter)
        #expect(check == [.checkExisting(id: 1, customerID: "CC1001", campaignID: "101")], "look first, send nothing")
        _ = update(&s, .existingChecked(id: 1, .success([World.records[0]])))
        let screen = screenText(s)
        #expect(screen.contains("already exists") && screen.contains("REPLACES") && screen.contains("[ Replace ]"), "\(screen)")
        // Esc goes back to the form; Enter there looks again.
        _ = World.keys(&s, .escape)
        #expect(try dialog(s).existing == .unchecked && s.dialog != nil)
        d = try dialog(s)
        d.focus = d.sendIndex
        s.dialog = .addRecord(d)
        #expect(World.keys(&s, .enter).first == .checkExisting(id: 2, customerID: "CC1001", campaignID: "101"))
        _ = update(&s, .existingChecked(id: 2, .success([World.records[0]])))
        let sent = World.keys(&s, .enter)
        guard case .addRecords(_, let records, let campaign, _)? = sent.first else {
            Issue.record("the second Enter replaces: \(sent)")
            return
        }
        #expect(records.first?["customer_id"] == "CC1001" && campaign == "101")
    }

    @Test func aNewIDIsAddedRightAfterTheLookUpAndLabelsAreTranslated() throws {
        var s = filled(id: "NEW-1")
        var d = try dialog(s)
        d.focus = d.sendIndex
        s.dialog = .addRecord(d)
        _ = World.keys(&s, .enter)
        let sent = update(&s, .existingChecked(id: 1, .success([])))
        #expect(sent.count == 1, "nothing there: the add goes at once")
        var es = World.withResults(language: .es)
        _ = World.keys(&es, .char("a"))
        let screen = screenText(es)
        #expect(screen.contains("Nombre · customer_name") && screen.contains("Teléfono 1 · tel1"), "\(screen)")
        // No phone: one clear sentence, not `Phone ""`.
        var e = try dialog(es)
        e.focus = e.sendIndex
        es.dialog = .addRecord(e)
        #expect(World.keys(&es, .enter).isEmpty)
        #expect(try dialog(es).error == "El teléfono 1 (tel1) es obligatorio.")
    }
}

@Suite struct CapTests {
    @Test func aFullAnswerSaysItMayBeCut() {
        var s = World.state()
        World.type(&s, "6015550000")
        _ = World.keys(&s, .enter)
        let many = (0..<60_000).map { i in CustomerRecord(customerID: "C\(i)", tel1: "6015550000", campaignID: "101") }
        _ = update(
            &s, .searchFinished(generation: s.generation, .success(FindAnswer(query: FindQuery(phone: "6015550000"), records: many, message: "")), seconds: 1))
        #expect(s.summaryText?.hasPrefix("first 60,000 records only") == true, "\(s.summaryText ?? "")")
        var t = World.withResults()
        #expect(t.summaryText?.contains("first") == false)
        _ = World.keys(&t, .escape)
    }
}

/// An answer with elements that are not records: the status line says how
/// many are not shown, first, in the current language.
@Suite struct UnreadableElementsTests {
    @Test func theStatusLineSaysHowManyElementsAreNotShown() {
        var s = World.state()
        World.type(&s, "3001234567")
        _ = World.keys(&s, .enter)
        let two = [CustomerRecord(customerID: "A", tel1: "3001234567"), CustomerRecord(customerID: "B", tel1: "3001234567")]
        var answer = FindAnswer(query: FindQuery(phone: "3001234567"), records: two, message: "")
        answer.unreadable = 3
        _ = update(&s, .searchFinished(generation: s.generation, .success(answer), seconds: 0.5))
        #expect(s.summaryText?.hasPrefix("3 unreadable elements not shown · 2 records") == true, "\(s.summaryText ?? "")")
        _ = World.keys(&s, .char(":"))
        World.type(&s, "lang es")
        _ = World.keys(&s, .enter)
        #expect(s.summaryText?.hasPrefix("3 elementos ilegibles no mostrados · 2 registros") == true, "\(s.summaryText ?? "")")
        let clean = World.withResults()
        #expect(clean.summaryText?.contains("unreadable") == false)
    }
}

/// The bottom line names the record's actions first and always says where
/// help is, in every language, at 80 columns too.
@Suite struct FooterTests {
    @Test(arguments: [(Language.en, ["r recall", "d delete", "b block", "? help"]), (.es, ["r rellamar", "d eliminar", "b bloquear", "? ayuda"]),
        (.pt, ["r rechamar", "d excluir", "b bloquear", "? ajuda"])])
    func theRecordsActionsAndHelpAlwaysFit(language: Language, wanted: [String]) {
        for width in [80, 120] {
            let s = World.withResults(Size(width: width, height: 24), language: language)
            var b = Buffer(size: s.size)
            render(s, into: &b)
            let footer = b.text.split(separator: "\n", omittingEmptySubsequences: false).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
            for hint in wanted { #expect(footer.contains(hint), "\(language) at \(width): \(footer)") }
        }
    }
}

@Suite struct TrialFixTests {
    @Test func bothArrowsWorkOnSelectorsAndLeftNoLongerLeaksIntoOtherFields() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("d"))
        var d = try #require(s.dialog.flatMap { if case .delete(let d) = $0 { d } else { nil } })
        d.focus = .result
        s.dialog = .delete(d)
        _ = World.keys(&s, .right, .right)
        d = try #require(s.dialog.flatMap { if case .delete(let d) = $0 { d } else { nil } })
        #expect(d.onlyResult == RecordResult.allCases[1], "→ moves the filter")
        _ = World.keys(&s, .left)
        d = try #require(s.dialog.flatMap { if case .delete(let d) = $0 { d } else { nil } })
        #expect(d.onlyResult == RecordResult.allCases[0])
        _ = World.keys(&s, .left)
        #expect(try World.delete(s).onlyResult == nil, "any result")
        _ = World.keys(&s, .left)
        #expect(try World.delete(s).onlyResult == RecordResult.allCases.last, "← wraps")
        // In the recall date field ← moves the text cursor, not the phone choice.
        var r = World.withResults()
        _ = World.keys(&r, .char("r"))
        let before = try #require(r.dialog.flatMap { if case .recall(let d) = $0 { d } else { nil } })
        _ = World.keys(&r, .left, .up)
        let after = try #require(r.dialog.flatMap { if case .recall(let d) = $0 { d } else { nil } })
        #expect(after.phoneIndex == before.phoneIndex, "← in the date field left the phone alone")
    }

    @Test func aFilterMatchingNoneOfTheRecordsLeavesDeleteDisabled() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        var d = try #require(s.dialog.flatMap { if case .delete(let d) = $0 { d } else { nil } })
        d.onlyResult = .busy  // CC1001 is no-answer
        d.focus = .delete
        s.dialog = .delete(d)
        #expect(World.keys(&s, .enter).isEmpty)
        #expect(screenText(s).contains("0 of 1 match") && screenText(s).contains("Delete (disabled)"))
    }

    @Test func aFailedActionSaysWhyInFullAndCtrlOShowsTheServersAnswer() throws {
        var s = World.withResults(Size(width: 80, height: 24))
        _ = World.keys(&s, .char("r"), .tab, .tab, .tab, .tab)
        guard case .recall(let id, _)? = World.keys(&s, .enter).first else {
            Issue.record("not sent")
            return
        }
        _ = update(&s, .actionFinished(id: id, .failed(.maintenance(ErrorDetail(status: 403, excerpt: "<html>nightly backup window</html>")))))
        let screen = screenText(s)
        #expect(screen.contains("try again later.") && screen.contains("changed."), "the whole sentence: \(screen)")
        #expect(screen.contains("Ctrl-O"))
        _ = World.keys(&s, .ctrl("o"))
        #expect(screenText(s).contains("nightly backup window"))
    }

    @Test func aPlusNumberWithoutCountryCodeIsWarnedAbout() {
        var s = World.withResults()
        s.resultsPhone = nil
        _ = World.keys(&s, .char("b"))
        World.type(&s, "+57 300 111 2233")
        #expect(screenText(s).contains("Numbers with + are blocked as typed"))
    }
}
