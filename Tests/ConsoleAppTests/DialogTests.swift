import Foundation
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

@Suite struct DeleteDialogTests {
    @Test func deleteIsDisabledUntilTheTypedConfirmationMatchesAndSendsOnce() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("d"))
        let d = try World.delete(s)
        #expect(d.focus == .cancel, "focus starts on Cancel")
        #expect(World.keys(&s, .tab, .enter).isEmpty, "Delete is disabled before confirmation")
        World.type(&s, "CC100")
        #expect(World.keys(&s, .tab, .tab, .tab, .enter).isEmpty, "a near-miss does not enable it")
        World.type(&s, "1")
        let typed = try World.delete(s)
        #expect(typed.confirmed)
        var sent = World.keys(&s, .enter)  // confirm field → Delete button
        sent += World.keys(&s, .enter, .enter, .enter)
        #expect(sent == [.remove(id: 1, RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["CC1001"]))])
        #expect(World.keys(&s, .escape).isEmpty)
        guard case .delete? = s.dialog else {
            Issue.record("Esc must not close while sending")
            return
        }
    }

    @Test func escCancelsAndSendsNothing() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        #expect(World.keys(&s, .escape).isEmpty)
        #expect(s.dialog == nil)
    }

    @Test func severalMarkedRecordsNeedTheirCount() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char(" "), .char(" "), .char(" "), .char("d"))
        let d = try World.delete(s)
        #expect(d.records.count == 3)
        #expect(d.expectedConfirmation == "3")
        World.type(&s, "3")
        _ = World.keys(&s, .enter, .tab)  // confirm → Delete button → result filter
        _ = World.keys(&s, .right)
        let f = try World.delete(s)
        #expect(f.onlyResult == .noAnswer)
    }

    @Test func theAnswerRemovesExactlyTheDeletedRowsWhereverTheCursorIs() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        let sent = World.keys(&s, .enter, .enter)
        guard case .remove(let id, _)? = sent.first else {
            Issue.record("not sent")
            return
        }
        s.dialog = nil  // even if the dialog were gone…
        _ = World.keys(&s, .char("G"))
        let key = RecordKey(campaignID: "101", customerID: "CC1001")
        _ = update(
            &s, .actionFinished(id: id, .removed(ActionReceipt(message: "customer_id CC1001 has been deleted successfully", code: 202, journalID: 1), [key])))
        #expect(s.results.records.map(\.customerID) == ["JP-77", "BR-2203", "X-1"])
        #expect(s.inFlight == 0)
    }

    @Test func aDeleteThatDeletedNothingFailsAndKeepsTheMarksAndRows() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char(" "), .char(" "), .char("d"))
        World.type(&s, "2")
        let sent = World.keys(&s, .enter, .enter)
        guard case .remove(let id, let order)? = sent.first else {
            Issue.record("not sent")
            return
        }
        let keys = Set(order.customerIDs.map { RecordKey(campaignID: "101", customerID: $0) })
        let answer = "customer_id CC1001,JP-77 was not found; nothing was deleted"
        _ = update(
            &s,
            .actionFinished(
                id: id,
                .removed(
                    ActionReceipt(
                        message: answer, code: 202, journalID: 1,
                        removal: RemovalAnswer.read(answer, requested: order.customerIDs)), keys)))
        #expect(s.results.records.count == 4, "nothing left the list")
        #expect(s.results.marked.count == 2, "the marks stay for a retry")
        let d = try #require(s.dialog.flatMap { if case .delete(let d) = $0 { d } else { nil } })
        guard case .failed(let text, _, _) = d.state else {
            Issue.record("shown as \(d.state)")
            return
        }
        #expect(text.hasPrefix("Nothing was deleted"))
    }

    @Test func aPartialDeleteRemovesOnlyWhatTheAnswerNames() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char(" "), .char(" "), .char("d"))
        World.type(&s, "2")
        guard case .remove(let id, let order)? = World.keys(&s, .enter, .enter).first else {
            Issue.record("not sent")
            return
        }
        let keys = Set(order.customerIDs.map { RecordKey(campaignID: "101", customerID: $0) })
        let answer = "customer_id CC1001 has been deleted successfully; not found or result did not match: JP-77"
        _ = update(&s, .actionFinished(id: id, .removed(ActionReceipt(message: answer, code: 202, journalID: 1), keys)))
        #expect(s.results.records.map(\.customerID) == ["JP-77", "BR-2203", "X-1"])
        #expect(s.results.marked.map(\.customerID) == ["JP-77"])
    }
}

@Suite struct RecallAndDNCTests {
    @Test func recallNeedsARealFutureTimeAndSendsOnce() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("r"))
        let d = try World.recall(s)
        #expect(d.date.value == "2026-11-24 15:05")
        _ = World.keys(&s, .ctrl("u"))
        World.type(&s, "2026-11-24 13:00")
        _ = World.keys(&s, .tab, .tab, .tab, .tab)
        #expect(World.keys(&s, .enter).isEmpty, "a past time is refused")
        let past = try World.recall(s)
        #expect(past.error?.contains("not in the future") == true)
        _ = World.keys(&s, .tab)  // → date
        _ = World.keys(&s, .ctrl("u"))
        World.type(&s, "2026-02-30 10:00")
        _ = World.keys(&s, .backTab)
        #expect(World.keys(&s, .enter).isEmpty, "an impossible date is refused")
        _ = World.keys(&s, .tab, .tab, .tab)  // type → cancel… focus on type
        _ = World.keys(&s, .char("3"))  // preset: tomorrow 09:00
        let p = try World.recall(s)
        #expect(p.date.value == "2026-11-25 09:00")
        _ = World.keys(&s, .tab, .tab)
        let sent = World.keys(&s, .enter, .enter)
        #expect(sent.count == 1)
        guard case .recall(_, let order)? = sent.first else {
            Issue.record("not a recall")
            return
        }
        #expect(order.phone == "3001234567" && order.customerID == "CC1001")
    }

    @Test func dncPrefillsOnlyTheMatchedPhoneNamesEveryInvalidItemAndWarnsOfSharedNumbers() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("b"))
        var d = try #require(s.dialog.flatMap { if case .dnc(let d) = $0 { d } else { nil } })
        // The search was by 3001234567: only that number, not the record's other phones.
        #expect(d.parsed.valid == ["3001234567"])
        #expect(d.sharedCounts["3001234567"] == 2, "two loaded records carry the searched number")
        // Spaces, dashes, dots and parentheses are formatting; separators are , ; newline tab.
        World.type(&s, "; (601) 444-5566, 3001234567 12 3209998877, 12")
        d = try #require(s.dialog.flatMap { if case .dnc(let d) = $0 { d } else { nil } })
        #expect(d.parsed.valid == ["3001234567", "6014445566"])
        #expect(d.parsed.invalid == ["3001234567 12 3209998877", "12"], "every invalid item, as typed")
        let screen = screenText(s)
        #expect(screen.contains("Will block: 3001234567, 6014445566"), "\(screen)")
        #expect(screen.contains("3001234567 is on 2 records in these results."))
        _ = World.keys(&s, .tab, .tab, .tab)
        #expect(World.keys(&s, .enter).isEmpty, "refused while any item is invalid")
        d = try #require(s.dialog.flatMap { if case .dnc(let d) = $0 { d } else { nil } })
        #expect(d.error?.contains("3001234567 12 3209998877, 12") == true, "\(d.error ?? "")")
        _ = World.keys(&s, .tab)  // numbers
        for _ in 0..<30 { _ = World.keys(&s, .backspace) }
        _ = World.keys(&s, .tab, .tab, .tab)
        let sent = World.keys(&s, .enter)
        #expect(sent == [.addDNC(id: 1, [DNCEntry(telephone: "3001234567", days: 30), DNCEntry(telephone: "6014445566", days: 30)])])
        _ = update(
            &s,
            .actionFinished(
                id: 1,
                .blocked([
                    ChunkReport(
                        index: 0, count: 1, items: 2, outcome: .succeeded(DNCTotals(added: 2, rejected: 0, sent: 2), message: "2 telephones were added"))
                ])))
        let done = try #require(s.dialog.flatMap { if case .dnc(let d) = $0 { d } else { nil } })
        #expect(done.state == .done("2 added · 0 rejected · 2 sent"))
    }

    @Test func aCountryCodeIsStrippedAndAnIDSearchPrefillsNothing() throws {
        var s = World.withResults()
        s.countryCode = "57"
        s.resultsPhone = nil
        _ = World.keys(&s, .char("b"))
        let d = try #require(s.dialog.flatMap { if case .dnc(let d) = $0 { d } else { nil } })
        #expect(d.numbers.value.isEmpty)
        #expect(screenText(s).contains("Phones on this record:"))
        World.type(&s, "+57 300 123 4567")
        let typed = try #require(s.dialog.flatMap { if case .dnc(let d) = $0 { d } else { nil } })
        #expect(typed.parsed.valid == ["3001234567"])
    }
}

@Suite struct QuotaGateDialogTests {
    @Test func aDeleteAtTheQuotaNeedsASecondEnter() throws {
        var s = World.withResults()
        s.callsToday = 5000
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        #expect(World.keys(&s, .enter, .enter).isEmpty, "first Enter moves to Delete, second is held by the quota question")
        #expect(World.keys(&s, .enter).count == 1)
    }
}

@Suite struct RecallOutcomeTests {
    /// After a recall is scheduled, the dialog shows the outcome whole and no
    /// half-covered preview (it used to end "… at" with the phone hidden).
    @Test func theOutcomeReplacesThePreviewInsteadOfCoveringHalfOfIt() throws {
        var s = World.withResults(Size(width: 80, height: 24))
        _ = World.keys(&s, .char("r"), .tab, .tab, .tab, .tab)
        guard case .recall(let id, _)? = World.keys(&s, .enter).first else { Issue.record("not sent"); return }
        let receipt = ActionReceipt(message: "The recall was scheduled successfully for the customer", code: 200, journalID: 1)
        _ = update(&s, .actionFinished(id: id, .recalled(receipt, RecordKey(campaignID: "101", customerID: "CC1001"))))
        let text = screenText(s)
        #expect(text.contains("Recall scheduled"), "\(text)")
        #expect(!text.contains("Will call"), "no half preview under the outcome: \(text)")
    }
}

@Suite struct RecallRetryTests {
    /// A failed recall can be sent again: the preview of who, when and which
    /// phone stays on screen beside the failure.
    @Test func afterAFailureThePreviewStays() throws {
        var s = World.withResults(Size(width: 120, height: 40))
        _ = World.keys(&s, .char("r"), .tab, .tab, .tab, .tab)
        guard case .recall(let id, _)? = World.keys(&s, .enter).first else {
            Issue.record("not sent")
            return
        }
        _ = update(&s, .actionFinished(id: id, .failed(.maintenance(ErrorDetail(status: 503)))))
        #expect(screenText(s).contains("maintenance"), "\(screenText(s))")
        #expect(screenText(s).contains("e edits to send again"), "a retry is a new decision, by a key of its own: \(screenText(s))")
        #expect(!screenText(s).contains("[ Recall ]"), "no send button after a failure: \(screenText(s))")
    }
}
