import Foundation
import TUIKit
import WolkvoxAPI

func openDialog(_ state: inout AppState, _ command: String) -> [Effect] {
    // Read-only is refused here too, not only hidden from the keymap.
    if state.readOnly { toast(&state, state.catalog["error.read_only"], .warning); return [] }
    let marked = state.results.markedRecords
    switch command {
    case "recall":
        guard let r = state.results.current else { return [] }
        state.dialog = .recall(RecallDialog(record: r, campaignType: state.campaign(for: r.campaignID)?.campaignType ?? .predictive, now: state.now, timeZone: state.timeZone,
                                               language: state.catalog.language))
    case "delete":
        let records = marked.isEmpty ? state.results.current.map { [$0] } ?? [] : marked
        guard !records.isEmpty else { return [] }
        guard Set(records.map(\.campaignID)).count == 1 else {
            toast(&state, state.catalog["toast.marked_span"], .error); return []
        }
        let c = state.campaign(for: records[0].campaignID)
        state.dialog = .delete(DeleteDialog(records: records, campaignName: c?.name ?? "", campaignType: c?.campaignType ?? .predictive))
    case "block":
        // Only the number the operator is looking at: the focused tel field in
        // the detail view, else the phone the search matched. Never every phone
        // of the record — a shared switchboard would be blocked for everyone.
        var d = DNCDialog(prefill: blockPrefill(state), days: state.dncDays, language: state.catalog.language,
                          countryCode: state.countryCode, recordPhones: marked.isEmpty ? state.results.current?.phones ?? [] : [])
        d.countShared(in: state.results.records)
        state.dialog = .dnc(d)
    case "add":
        guard let c = state.selectedCampaign ?? state.results.current.flatMap({ state.campaign(for: $0.campaignID) }) else {
            toast(&state, state.catalog["toast.select_campaign"], .warning); return []
        }
        state.dialog = .addRecord(AddRecordDialog(campaign: c, language: state.catalog.language))
    default: break
    }
    return []
}

func isChecking(_ e: AddRecordDialog.ExistingCheck) -> Bool { if case .checking = e { return true }; return false }

func sendAddRecord(_ state: inout AppState, _ d: inout AddRecordDialog, _ record: NewRecord) -> [Effect] {
    guard quotaAllows(&state) else { return [] }
    let id = state.nextActionID; state.nextActionID += 1
    d.state = .sending(actionID: id)
    state.inFlight += 1
    return [.addRecords(id: id, [record], campaignID: d.campaign.id, status: d.campaign.status)]
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
        return sendAddRecord(&state, &d, record)
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

func handleDialogKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard let dialog = state.dialog else { return [] }
    switch dialog {
    case .recall(var d):
        defer { if case .recall = state.dialog { state.dialog = .recall(d) } }
        if d.state.isSending { return [] }
        if key == .escape { state.dialog = nil; return [] }
        if case .done = d.state { if key == .enter { state.dialog = nil }; return [] }
        switch key {
        case .tab: d.focus = RecallDialog.Focus(rawValue: (d.focus.rawValue + 1) % 5)!
        case .backTab: d.focus = RecallDialog.Focus(rawValue: (d.focus.rawValue + 4) % 5)!
        case .char(let c) where d.focus != .date && d.focus != .phone || (d.focus == .phone && d.phoneIndex < d.phoneChoices.count):
            if let n = c.wholeNumberValue, (1...4).contains(n), d.focus != .phone { d.preset(n, now: state.now, timeZone: state.timeZone) }
            else if d.focus == .type { d.campaignType = d.campaignType == .predictive ? .preview : .predictive }
        case .left where d.focus == .phone, .right where d.focus == .phone:
            let n = d.phoneChoices.count + 1
            d.phoneIndex = (d.phoneIndex + (key == .right ? 1 : n - 1)) % n
        case .left where d.focus == .type, .right where d.focus == .type:
            d.campaignType = d.campaignType == .predictive ? .preview : .predictive
        case .up where d.focus == .date, .down where d.focus == .date:
            d.stepPreset(forward: key == .down, now: state.now, timeZone: state.timeZone)
        case .enter:
            if d.focus == .cancel { state.dialog = nil; return [] }
            guard let order = d.order(now: state.now, timeZone: state.timeZone), quotaAllows(&state) else { return [] }
            let id = state.nextActionID; state.nextActionID += 1
            d.state = .sending(actionID: id)
            state.inFlight += 1
            return [.recall(id: id, order)]
        default:
            if d.focus == .date { d.date.handle(key) }
            else if d.focus == .phone { if case .char(let c) = key, c.isNumber || c == "+" { d.phoneIndex = d.phoneChoices.count }; d.typedPhone.handle(key) }
        }
        return []
    case .delete(var d):
        defer { if case .delete = state.dialog { state.dialog = .delete(d) } }
        if d.state.isSending { return [] }
        if key == .escape { state.dialog = nil; return [] }
        if case .done = d.state { if key == .enter { state.dialog = nil }; return [] }
        switch key {
        case .tab: d.focus = DeleteDialog.Focus(rawValue: (d.focus.rawValue + 1) % 4)!
        case .backTab: d.focus = DeleteDialog.Focus(rawValue: (d.focus.rawValue + 3) % 4)!
        case .left where d.focus == .result, .right where d.focus == .result:
            d.resultIndex = (d.resultIndex + (key == .right ? 1 : 10)) % 11
        case .left where d.focus == .cancel || d.focus == .delete, .right where d.focus == .cancel || d.focus == .delete:
            d.focus = d.focus == .cancel ? .delete : .cancel
        case .down: d.listScroll += 1
        case .up: d.listScroll = max(0, d.listScroll - 1)
        case .char where d.focus != .confirm:
            // Typing anywhere goes to the confirmation field.
            d.focus = .confirm
            d.confirm.handle(key)
        case .enter:
            guard d.focus == .delete else {
                if d.focus == .cancel { state.dialog = nil }
                else if d.focus == .confirm { d.focus = d.confirmed ? .delete : .confirm }
                else { d.focus = .confirm }
                return []
            }
            // The button stays disabled until the typed confirmation matches
            // and the irreversibility warning is on screen in full.
            // A filter none of these records match would delete nothing: not offered.
            guard d.confirmed, d.matching > 0, DeleteLayout(d, size: state.size, catalog: state.catalog).warningFits, quotaAllows(&state) else { return [] }
            let id = state.nextActionID; state.nextActionID += 1
            d.state = .sending(actionID: id)
            state.inFlight += 1
            return [.remove(id: id, d.order)]
        default:
            if d.focus == .confirm { d.confirm.handle(key) }
        }
        return []
    case .dnc(var d):
        defer { if case .dnc = state.dialog { state.dialog = .dnc(d) } }
        if d.state.isSending { return [] }
        if key == .escape { state.dialog = nil; return [] }
        if case .done = d.state { if key == .enter { state.dialog = nil }; return [] }
        switch key {
        case .tab: d.focus = DNCDialog.Focus(rawValue: (d.focus.rawValue + 1) % 4)!
        case .backTab: d.focus = DNCDialog.Focus(rawValue: (d.focus.rawValue + 3) % 4)!
        case .enter:
            if d.focus == .cancel { state.dialog = nil; return [] }
            if d.focus != .send { d.focus = DNCDialog.Focus(rawValue: d.focus.rawValue + 1)!; return [] }
            guard let entries = d.entries(), quotaAllows(&state) else { return [] }
            let id = state.nextActionID; state.nextActionID += 1
            d.state = .sending(actionID: id)
            state.inFlight += 1
            return [.addDNC(id: id, entries)]
        default:
            if d.focus == .numbers {
                d.numbers.handle(key)
                d.countShared(in: state.results.records)
            } else if d.focus == .days { d.days.handle(key) }
        }
        return []
    case .addRecord(var d):
        defer { if case .addRecord = state.dialog { state.dialog = .addRecord(d) } }
        if d.state.isSending { return [] }
        if key == .escape {
            // After "already exists", Esc goes back to the form (at the ID), not away.
            switch d.existing {
            case .found, .failed:
                d.existing = .unchecked
                d.focus = AddRecordDialog.fields.firstIndex(of: "customer_id") ?? 0
            default: state.dialog = nil
            }
            return []
        }
        if case .done = d.state { if key == .enter { state.dialog = nil }; return [] }
        let positions = d.sendIndex + 1
        switch key {
        case .tab, .down: d.focus = (d.focus + 1) % positions
        case .backTab, .up: d.focus = (d.focus + positions - 1) % positions
        case .enter:
            if d.focus == d.cancelIndex { state.dialog = nil; return [] }
            if d.focus < d.cancelIndex { d.focus += 1; return [] }
            guard let record = d.record() else {
                // Go to the field the error is about, so it can be fixed at once.
                if let field = d.errorField, let i = AddRecordDialog.fields.firstIndex(of: field) { d.focus = i }
                return []
            }
            if case .checking = d.existing { return [] }
            // An ID that may already exist is looked up first; the add goes
            // after "none", or after a second Enter once the answer is shown.
            if !record["customer_id"].isEmpty, d.existing == .unchecked {
                guard quotaAllows(&state) else { return [] }
                let id = state.nextActionID; state.nextActionID += 1
                d.existing = .checking(actionID: id)
                state.inFlight += 1
                return [.checkExisting(id: id, customerID: record["customer_id"], campaignID: d.campaign.id)]
            }
            return sendAddRecord(&state, &d, record)
        default:
            if d.focus < d.values.count {
                let before = d.values[d.focus].value
                d.values[d.focus].handle(key)
                if d.values[d.focus].value != before { d.error = nil; d.errorField = nil }
                // A changed form is a different record: its ID is looked up again.
                if d.values[d.focus].value != before, d.existing != .unchecked, !isChecking(d.existing) { d.existing = .unchecked }
            }
        }
        return []
    case .unconfirmed:
        if key == .escape || key == .enter { state.dialog = nil }
        return []
    }
}
