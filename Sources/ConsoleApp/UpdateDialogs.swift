import Foundation
import TUIKit
import WolkvoxAPI

func openDialog(_ state: inout AppState, _ command: Command) -> [Effect] {
    // Read-only is refused here too, not only hidden from the keymap.
    if state.readOnly {
        toast(&state, state.catalog["error.read_only"], .warning)
        return []
    }
    let marked = state.results.markedRecords
    switch command {
    case .recall:
        guard let r = state.results.current else { return [] }
        state.dialog = .recall(
            RecallDialog(
                record: r, campaignType: state.campaign(for: r.campaignID)?.campaignType ?? .predictive, now: state.now, timeZone: state.timeZone,
                language: state.catalog.language))
    case .delete:
        // Only what the operator can see: marked rows the `/` filter or a
        // breakdown pin hides are left out (and counted in the dialog); with
        // no visible mark, the highlighted row.
        let shown = state.results.visibleMarkedRecords
        let hidden = marked.count - shown.count
        let records = shown.isEmpty ? state.results.current.map { [$0] } ?? [] : shown
        guard !records.isEmpty else { return [] }
        guard Set(records.map(\.campaignID)).count == 1 else {
            toast(&state, state.catalog["toast.marked_span"], .error)
            return []
        }
        let c = state.campaign(for: records[0].campaignID)
        var dialog = DeleteDialog(records: records, campaignName: c?.name ?? "", campaignType: c?.campaignType ?? .predictive)
        dialog.hiddenMarked = hidden
        dialog.pending = records.filter { state.pendingChanges[$0.key] != nil }.map(\.customerID)
        state.dialog = .delete(dialog)
    case .block:
        // Only the number the operator is looking at: the focused tel field in
        // the detail view, else the phone the search matched. Never every phone
        // of the record — a shared switchboard would be blocked for everyone.
        var d = DNCDialog(
            prefill: blockPrefill(state), days: state.dncDays, language: state.catalog.language,
            countryCode: state.countryCode, recordPhones: marked.isEmpty ? state.results.current?.phones ?? [] : [])
        d.countShared(in: state.results.records)
        state.dialog = .dnc(d)
    case .add:
        guard let c = state.selectedCampaign ?? state.results.current.flatMap({ state.campaign(for: $0.campaignID) }) else {
            toast(&state, state.catalog["toast.select_campaign"], .warning)
            return []
        }
        state.dialog = .addRecord(AddRecordDialog(campaign: c, language: state.catalog.language))
    default: break
    }
    return []
}

func isChecking(_ e: AddRecordDialog.ExistingCheck) -> Bool {
    if case .checking = e { return true }
    return false
}

/// The look-up before an add: nothing there → add now; something there or
/// no answer → say so and wait for a second Enter.
func existingChecked(_ state: inout AppState, id: Int, _ result: Result<[CustomerRecord], APIError>) -> [Effect] {
    state.inFlight = max(0, state.inFlight - 1)
    guard case .addRecord(var d) = state.dialog, d.existing == .checking(actionID: id) else { return [] }
    defer { state.dialog = .addRecord(d) }
    switch result {
    case .success(let found) where found.isEmpty:
        d.existing = .none
        guard let record = d.record() else { return [] }
        let campaign = d.campaign
        return submit(&state, &d, .send { .addRecords(id: $0, [record], campaignID: campaign.id, status: campaign.status) })
    case .success(let found):
        d.existing = .found(found)
        d.focus = d.sendIndex
    case .failure(let e):
        d.existing = .failed(state.catalog.explain(e))
        d.focus = d.sendIndex
    }
    return []
}

/// What `b` pre-fills: the focused tel field of the detail view, else the
/// phone the current results were searched by, else nothing.
func blockPrefill(_ state: AppState) -> [String] {
    if state.focus == .detail, let r = state.results.current {
        let fields = DetailFields.of(r, state.catalog)
        let field = fields[min(state.detailCursor, fields.count - 1)]
        if field.label.hasPrefix("tel"), !field.value.isEmpty { return [field.value] }
    }
    return state.resultsPhone.map { [$0] } ?? []
}

/// `:history`: ↑ ↓ pick an entry, Enter opens it in full (and closes it
/// again), `c` reads an unconfirmed one back (find_record only, never a
/// write), Esc or q closes the overlay.
func handleHistoryKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    let entries = state.historyLog ?? []
    switch key {
    case .escape, .char("q"):
        if state.historyOpen {
            state.historyOpen = false
        } else {
            state.historyLog = nil
            state.historyCursor = 0
        }
    case .down, .char("j"): state.historyCursor = min(max(0, entries.count - 1), state.historyCursor + 1)
    case .up, .char("k"): state.historyCursor = max(0, state.historyCursor - 1)
    case .home: state.historyCursor = 0
    case .end: state.historyCursor = max(0, entries.count - 1)
    case .enter: state.historyOpen.toggle()
    case .char("c"):
        guard state.historyCursor < entries.count else { return [] }
        let entry = entries[state.historyCursor]
        guard entry.pending, !state.reconciling.contains(entry.id) else { return [] }
        guard quotaAllows(&state) else { return [] }
        state.reconciling.insert(entry.id)
        state.inFlight += 1
        return [.reconcileEntry(entry.id)]
    default: break
    }
    return []
}
