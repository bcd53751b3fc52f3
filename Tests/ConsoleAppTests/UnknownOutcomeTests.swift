import Foundation
import LocalStore
import TUIKit
import Testing
@testable import ConsoleApp
import WolkvoxAPI

/// After a failed or unknown outcome no key of the dialog sends the change
/// again: Enter closes, `c` reads an unknown outcome back (find_record only),
/// `e` goes back to editing with every safeguard of a first send re-armed.
@Suite struct UnknownOutcomeTests {
    /// Every key a hurried operator might press after the outcome.
    static let reflexKeys: [Key] = [.enter, .tab, .char(" "), .enter, .backTab, .enter, .right, .enter, .left, .enter, .down, .enter]

    static func sends(_ effects: [Effect]) -> [Effect] {
        effects.filter {
            switch $0 {
            case .remove, .addRecords, .recall, .addDNC, .checkExisting: true
            default: false
            }
        }
    }

    /// A delete of CC1001 sent and answered with `result`.
    static func deleteSent(_ result: ActionResult) throws -> AppState {
        var s = World.withResults()
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        let sent = World.keys(&s, .enter, .enter)
        guard case .remove(let id, _)? = sent.first else { throw Failure("the delete was not sent: \(sent)") }
        _ = update(&s, .actionFinished(id: id, result))
        return s
    }

    /// The dialog's text as one line: what is between its ┃ borders, rows joined by spaces.
    static func dialogText(_ s: AppState) -> String {
        screenText(s).split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: "┃", omittingEmptySubsequences: false)
            return parts.count >= 3 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        }.joined(separator: " ")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    @Test(arguments: [
        ActionResult.failed(.connectionLost("reset")),
        .failed(.malformedResponse(ErrorDetail(status: 200, excerpt: "{\"code\":20"))),
        .failed(.timeout(seconds: 60)),
        .failed(.cancelled),
    ])
    func noKeyAfterAnUnknownDeleteSendsItAgain(_ result: ActionResult) throws {
        var s = try Self.deleteSent(result)
        let d = try World.delete(s)
        guard case .failed(_, let unknown, .none) = d.state else {
            Issue.record("shown as \(d.state)")
            return
        }
        #expect(unknown, "a lost answer may have been applied")
        var seen: [Effect] = []
        // Every reflex key but the closing Enter: keep the dialog open by re-opening the state.
        for key in Self.reflexKeys where key != .enter {
            seen += World.keys(&s, key)
        }
        #expect(Self.sends(seen).isEmpty, "\(seen)")
        #expect(s.dialog != nil)
        let close = World.keys(&s, .enter)
        #expect(Self.sends(close).isEmpty)
        #expect(s.dialog == nil, "Enter closes a failed dialog")
    }

    @Test func theScreenOffersCloseCheckAndEditNotTheDeleteButton() throws {
        let s = try Self.deleteSent(.failed(.connectionLost("reset")))
        let screen = Self.dialogText(s)
        #expect(screen.contains("[ Close ]"), "\(screen)")
        #expect(!screen.contains("[ Delete ]"), "\(screen)")
        #expect(screen.contains("c checks the server"), "\(screen)")
        #expect(screen.contains("may have been applied"), "\(screen)")
    }

    @Test func editingAgainClearsTheTypedConfirmationSoEnterCannotDelete() throws {
        var s = try Self.deleteSent(.failed(.connectionLost("reset")))
        #expect(World.keys(&s, .char("e")).isEmpty)
        let d = try World.delete(s)
        #expect(d.state == .editing)
        #expect(d.confirm.value.isEmpty, "the ID must be typed again")
        #expect(d.focus == .cancel)
        var seen: [Effect] = []
        for key in [Key.tab, .enter, .tab, .tab, .enter] { seen += World.keys(&s, key) }
        #expect(Self.sends(seen).isEmpty, "\(seen)")
        // A real second decision still works: type the ID again. The first
        // delete may have been applied, so Delete asks the server first.
        s.dialog = .delete(d)
        World.type(&s, "CC1001")
        let look = World.keys(&s, .enter, .enter)
        guard case .checkOutcome(let id, .removeRecord)? = look.first, Self.sends(look).isEmpty else {
            throw Failure("a resend after an unknown outcome looks first: \(look)")
        }
        #expect(Self.dialogText(s).contains("Checking on the server"), "\(Self.dialogText(s))")
        _ = update(
            &s, .outcomeChecked(
                id: id, .success(Reconciliation(id: 1, api: "remove_record", campaignId: "101", items: 1, verdict: .notApplied, evidence: "", calls: 1, resolved: true))))
        #expect(Self.dialogText(s).contains("Still there"), "\(Self.dialogText(s))")
        let again = World.keys(&s, .enter)
        #expect(Self.sends(again).count == 1, "\(again)")
    }

    @Test func aPlainNothingDeletedFailureIsLockedToo() throws {
        let answer = "customer_id CC1001 was not found; nothing was deleted"
        let key = RecordKey(campaignID: "101", customerID: "CC1001")
        var s = try Self.deleteSent(
            .removed(ActionReceipt(message: answer, code: 202, journalID: 1, removal: RemovalAnswer.read(answer, requested: ["CC1001"])), [key]))
        guard case .failed(_, let unknown, _) = try World.delete(s).state else {
            Issue.record("not failed")
            return
        }
        #expect(!unknown, "the answer says nothing was deleted: nothing to check")
        let seen = World.keys(&s, .char("c"), .tab, .char(" "))
        #expect(seen.isEmpty, "\(seen)")
    }

    @Test func checkReadsBackAndShowsTheVerdict() throws {
        var s = try Self.deleteSent(.failed(.connectionLost("reset")))
        let check = World.keys(&s, .char("c"))
        guard case .checkOutcome(let id, let call)? = check.first, check.count == 1 else {
            Issue.record("c must ask for a read-back: \(check)")
            return
        }
        #expect(call == .removeRecord(RemovalOrder(campaignID: "101", campaignType: .predictive, customerIDs: ["CC1001"])))
        #expect(World.keys(&s, .char("c")).isEmpty, "one read-back at a time")
        let verdict = Reconciliation(
            id: 7, api: "remove_record", campaignId: "101", items: 1, verdict: .applied,
            evidence: "find_record by customer_id in campaign 101: CC1001: not found", calls: 1, resolved: true)
        _ = update(&s, .outcomeChecked(id: id, .success(verdict)))
        let screen = Self.dialogText(s)
        #expect(screen.contains("Checked on the server: applied"), "\(screen)")
        #expect(!s.results.records.contains { $0.customerID == "CC1001" }, "a record the server no longer has leaves the list")
        #expect(s.inFlight == 0)
    }

    @Test func anUnknownAddIsLookedUpAgainBeforeASecondAdd() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char("a"))
        let fields = AddRecordDialog.fields
        for _ in 0..<fields.firstIndex(of: "customer_id")! { _ = World.keys(&s, .tab) }
        World.type(&s, "NEW-9")
        for _ in fields.firstIndex(of: "customer_id")!..<fields.firstIndex(of: "tel1")! { _ = World.keys(&s, .tab) }
        World.type(&s, "3001112233")
        guard case .addRecord(var d)? = s.dialog else { throw Failure("no add dialog") }
        d.focus = d.sendIndex
        s.dialog = .addRecord(d)
        let look = World.keys(&s, .enter)
        guard case .checkExisting(let lookID, _, _)? = look.first else { throw Failure("no look-up: \(look)") }
        let add = update(&s, .existingChecked(id: lookID, .success([])))
        guard case .addRecords(let addID, _, _, _)? = add.first else { throw Failure("no add: \(add)") }
        // The server applied it, then the answer was cut.
        let report = ChunkReport<Int>(index: 0, count: 1, items: 1, outcome: .failed(.malformedResponse(ErrorDetail(status: 200))))
        _ = update(&s, .actionFinished(id: addID, .added([report])))
        var seen: [Effect] = []
        for key in Self.reflexKeys where key != .enter { seen += World.keys(&s, key) }
        #expect(Self.sends(seen).isEmpty, "\(seen)")
        _ = World.keys(&s, .char("e"))
        guard case .addRecord(var again)? = s.dialog else { throw Failure("closed") }
        #expect(again.existing == .unchecked && again.state == .editing)
        again.focus = again.sendIndex
        s.dialog = .addRecord(again)
        let second = World.keys(&s, .enter)
        guard case .checkExisting? = second.first else {
            Issue.record("a second add must ask whether the ID exists now: \(second)")
            return
        }
    }

    @Test func spanishNamesTheKeys() throws {
        var s = World.withResults(Size(width: 80, height: 24), language: .es)
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        let sent = World.keys(&s, .enter, .enter)
        guard case .remove(let id, _)? = sent.first else { throw Failure("not sent") }
        _ = update(&s, .actionFinished(id: id, .failed(.connectionLost("reset"))))
        let screen = Self.dialogText(s)
        #expect(screen.contains("c comprueba en el servidor"), "\(screen)")
        #expect(screen.contains("[ Cerrar ]"), "\(screen)")
    }
}

/// `:history` puts unconfirmed actions first; Enter opens one in full and
/// `c` reads it back by its journal ID (find_record only, never a write).
@Suite struct HistoryReconcileTests {
    static let lines = [
        HistoryLine(time: "2026-11-24 14:05:09Z", api: "remove_record", campaign: "101", items: 1, outcome: nil, resolved: false, message: "", id: 41),
        HistoryLine(
            time: "2026-11-24 14:00:00Z", api: "recall", campaign: "101", items: 1, outcome: "succeeded", resolved: false, message: "ok", id: 40),
    ]

    @Test func cReadsBackTheHighlightedUnconfirmedEntryAndNothingElse() throws {
        var s = World.state(Size(width: 80, height: 24))
        _ = update(&s, .historyLog(.success(Self.lines)))
        #expect(screenText(s).contains("c checks an UNCONFIRMED one"), "\(screenText(s))")
        #expect(World.keys(&s, .char("c")) == [.reconcileEntry(41)])
        #expect(World.keys(&s, .char("c")).isEmpty, "one read-back of an entry at a time")
        _ = World.keys(&s, .down)
        #expect(World.keys(&s, .char("c")).isEmpty, "a confirmed entry has nothing to check")
        let verdict = Reconciliation(
            id: 41, api: "remove_record", campaignId: "101", items: 1, verdict: .notApplied, evidence: "CC1001: found", calls: 1, resolved: true)
        let reload = update(&s, .entryReconciled(41, .success(verdict)))
        #expect(reload == [.loadHistoryLog], "the list shows the resolution at once")
        #expect(screenText(s).contains("Checked on the server: not applied"), "\(screenText(s))")
        #expect(s.inFlight == 0 && s.reconciling.isEmpty)
    }

    @Test func enterOpensAnEntryEscClosesItThenTheOverlay() throws {
        var s = World.state(Size(width: 80, height: 24), language: .es)
        var open = Self.lines
        open[1].resolution = "reconciled: applied — find_record by customer_id in campaign 101: CC1002: not found"
        _ = update(&s, .historyLog(.success(open)))
        _ = World.keys(&s, .down, .enter)
        let text = screenText(s)
        #expect(text.contains("#40") && text.contains("Comprobado: reconciled: applied"), "\(text)")
        _ = World.keys(&s, .escape)
        #expect(s.historyLog != nil && !s.historyOpen)
        _ = World.keys(&s, .escape)
        #expect(s.historyLog == nil)
    }

    @Test func theStartUpNoticeOpensTheHistoryWithH() throws {
        var s = World.state()
        s.dialog = .unconfirmed(2)
        #expect(screenText(s).contains("h opens them"), "\(screenText(s))")
        #expect(World.keys(&s, .char("h")) == [.loadHistoryLog])
        #expect(s.dialog == nil)
    }
}

/// Nothing acts on a selection the operator cannot see.
@Suite struct HiddenSelectionTests {
    @Test func aMarkTheFilterHidesIsLeftOutAndSaidSo() throws {
        var s = World.withResults()
        // Mark CC1001 and JP-77, then narrow the table to JP-77 only.
        _ = World.keys(&s, .char(" "), .char(" "))
        #expect(s.results.marked.count == 2)
        s.results.setFilter("jp-77")
        _ = World.keys(&s, .char("d"))
        let d = try World.delete(s)
        #expect(d.records.map(\.customerID) == ["JP-77"], "only the visible mark")
        #expect(d.hiddenMarked == 1)
        #expect(UnknownOutcomeTests.dialogText(s).contains("1 marked record hidden by the filter is NOT included"), "\(UnknownOutcomeTests.dialogText(s))")
    }

    @Test func withEveryMarkHiddenTheHighlightedRowIsTheTarget() throws {
        var s = World.withResults()
        _ = World.keys(&s, .char(" "))  // marks CC1001, cursor moves on
        s.results.setFilter("x-1")
        #expect(s.results.current?.customerID == "X-1")
        _ = World.keys(&s, .char("d"))
        let d = try World.delete(s)
        #expect(d.records.map(\.customerID) == ["X-1"], "the row on screen, not the hidden mark: \(d.records.map(\.customerID))")
        #expect(d.hiddenMarked == 1)
    }
}

/// An unknown outcome stays in sight after its dialog is closed: the row
/// carries `?`, the header counts it, a new delete of it names it, and a
/// read-back that settles it clears all three (and the old error banner).
@Suite struct PendingChangeTests {
    @Test func anUnknownDeleteStaysInSightUntilSettled() throws {
        var s = try UnknownOutcomeTests.deleteSent(.failed(.connectionLost("reset")))
        _ = World.keys(&s, .enter)  // closes the dialog
        #expect(s.dialog == nil)
        let key = RecordKey(campaignID: "101", customerID: "CC1001")
        #expect(s.pendingChanges[key] == 1 && s.pendingActions == 1)
        let screen = screenText(s)
        #expect(screen.contains("? 1 unknown"), "header: \(screen)")
        #expect(screen.contains("▸?") || screen.contains("●?") || screen.contains(" ?"), "row mark: \(screen)")
        _ = World.keys(&s, .char("d"))
        #expect(try World.delete(s).pending == ["CC1001"])
        #expect(UnknownOutcomeTests.dialogText(s).contains("CC1001: an earlier delete may be applied; Delete checks first"), "\(UnknownOutcomeTests.dialogText(s))")
        // Settle it from the failed dialog of a new send's check… here: through :history's read-back.
        s.dialog = nil
        _ = update(&s, .historyLog(.success([HistoryLine(time: "2026-11-24 14:05:09Z", api: "remove_record", campaign: "101", items: 1, outcome: "unknown", resolved: false, message: "", id: 9)])))
        _ = World.keys(&s, .char("c"))
        var verdict = Reconciliation(
            id: 9, api: "remove_record", campaignId: "101", items: 1, verdict: .applied, evidence: "CC1001: not found", calls: 1, resolved: true)
        verdict.customerIds = ["CC1001"]
        _ = update(&s, .entryReconciled(9, .success(verdict)))
        #expect(s.pendingChanges.isEmpty)
        #expect(!s.results.records.contains { $0.customerID == "CC1001" }, "applied: the record leaves the list")
    }

    @Test func theHeaderCountsUnknownChangesNotRecords() throws {
        var s = try UnknownOutcomeTests.deleteSent(.failed(.connectionLost("reset")))
        _ = World.keys(&s, .enter)
        // The same record, deleted again on purpose (e, the look-up could not tell, Enter) and lost again.
        s.addPending([RecordKey(campaignID: "101", customerID: "CC1001")])
        #expect(screenText(s).contains("? 2 unknown"), "\(screenText(s))")
        s.settlePending([RecordKey(campaignID: "101", customerID: "CC1001")])
        #expect(screenText(s).contains("? 1 unknown") && s.pendingChanges.count == 1, "one of the two is still open")
    }

    @Test func aSettledCheckClearsTheWritesErrorBanner() throws {
        var s = try UnknownOutcomeTests.deleteSent(.failed(.connectionLost("reset")))
        #expect(s.error != nil)
        let check = World.keys(&s, .char("c"))
        guard case .checkOutcome(let id, _)? = check.first else { throw UnknownOutcomeTests.Failure("no check") }
        _ = update(
            &s,
            .outcomeChecked(
                id: id, .success(Reconciliation(id: 1, api: "remove_record", campaignId: "101", items: 1, verdict: .notApplied, evidence: "", calls: 1, resolved: true))))
        #expect(s.error == nil, "the banner said 'may have been applied'; the check settled it")
        #expect(s.pendingChanges.isEmpty)
        #expect(!screenText(s).contains("✖ error"))
    }
}

/// A new delete of a record whose earlier delete may have been applied asks
/// the server first; if it is gone, nothing is sent; `e` is not offered
/// after a read-back found the delete applied.
@Suite struct ResendLooksFirstTests {
    @Test func aDeleteOfAPendingRecordThatIsGoneSendsNothing() throws {
        var s = try UnknownOutcomeTests.deleteSent(.failed(.connectionLost("reset")))
        _ = World.keys(&s, .enter)
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        let look = World.keys(&s, .enter, .enter)
        guard case .checkOutcome(let id, _)? = look.first, UnknownOutcomeTests.sends(look).isEmpty else {
            throw UnknownOutcomeTests.Failure("no look-up first: \(look)")
        }
        _ = update(
            &s, .outcomeChecked(
                id: id, .success(Reconciliation(id: 1, api: "remove_record", campaignId: "101", items: 1, verdict: .applied, evidence: "", calls: 1, resolved: true))))
        #expect(UnknownOutcomeTests.dialogText(s).contains("Already deleted"), "\(UnknownOutcomeTests.dialogText(s))")
        #expect(!UnknownOutcomeTests.dialogText(s).contains("Checking on the server"), "the answered look-up's note goes")
        #expect(s.error == nil, "the lost answer's banner no longer stands")
        let after = World.keys(&s, .tab, .enter)
        #expect(UnknownOutcomeTests.sends(after).isEmpty && s.dialog == nil, "\(after)")
        #expect(s.pendingChanges.isEmpty && !s.results.records.contains { $0.customerID == "CC1001" })
    }

    /// The look-up before a resend settles one unknown change, not two:
    /// with two lost deletes of one record, one stays counted.
    @Test func theLookUpBeforeAResendSettlesOneChange() throws {
        var s = try UnknownOutcomeTests.deleteSent(.failed(.connectionLost("reset")))
        _ = World.keys(&s, .enter)
        s.addPending([RecordKey(campaignID: "101", customerID: "CC1001")])
        #expect(s.pendingActions == 2)
        _ = World.keys(&s, .char("d"))
        World.type(&s, "CC1001")
        guard case .checkOutcome(let id, _)? = World.keys(&s, .enter, .enter).first else { throw UnknownOutcomeTests.Failure("no look-up") }
        _ = update(
            &s, .outcomeChecked(
                id: id, .success(Reconciliation(id: 1, api: "remove_record", campaignId: "101", items: 1, verdict: .notApplied, evidence: "", calls: 1, resolved: true))))
        #expect(s.pendingActions == 1 && s.pendingChanges[RecordKey(campaignID: "101", customerID: "CC1001")] == 1, "\(s.pendingActions)")
    }

    @Test func eIsNotOfferedOnceTheDeleteReadsBackAsApplied() throws {
        var s = try UnknownOutcomeTests.deleteSent(.failed(.connectionLost("reset")))
        guard case .checkOutcome(let id, _)? = World.keys(&s, .char("c")).first else { throw UnknownOutcomeTests.Failure("no check") }
        _ = update(
            &s, .outcomeChecked(
                id: id, .success(Reconciliation(id: 1, api: "remove_record", campaignId: "101", items: 1, verdict: .applied, evidence: "", calls: 1, resolved: true))))
        #expect(!UnknownOutcomeTests.dialogText(s).contains("e edits"), "\(UnknownOutcomeTests.dialogText(s))")
        _ = World.keys(&s, .char("e"))
        guard case .delete(let d)? = s.dialog, case .failed = d.state else {
            Issue.record("e re-armed a delete the server already applied")
            return
        }
    }
}
