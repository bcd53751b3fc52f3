import Foundation
import TUIKit
import WolkvoxAPI
import Messages

/// What a key in a dialog comes to. The dialog decides; `handleDialogKey`
/// carries it out, so quota, action IDs and the in-flight count are handled
/// in one place for every dialog.
enum DialogStep {
    case handled
    case close
    /// Send the action this effect describes, under a fresh action ID.
    case send((Int) -> Effect)
    /// The add dialog's look-up of an ID before it adds.
    case lookUp((Int) -> Effect)
    /// A read-back of the change this dialog sent (its outcome is unknown).
    case check((Int) -> Effect)
}

/// What a dialog may read of the console while it handles a key.
struct DialogContext {
    var now: Date
    var timeZone: TimeZone
    var size: Size
    var catalog: Catalog
    var results: [CustomerRecord]

    init(_ state: AppState) {
        now = state.now
        timeZone = state.timeZone
        size = state.size
        catalog = state.catalog
        results = state.results.records
    }
}

/// An action dialog: it handles its own keys (Bubble Tea's nested models).
protocol ActionDialog {
    var state: SendState { get set }
    /// Esc: closes, unless the dialog has a step to go back to.
    mutating func escape() -> DialogStep
    /// Any other key while editing.
    mutating func edit(_ key: Key, _ context: DialogContext) -> DialogStep
    /// The look-up under `id` is out (only the add dialog has one).
    mutating func lookingUp(_ id: Int)
    /// Tab and Shift-Tab: the next or previous focus position, wrapping.
    mutating func cycleFocus(forward: Bool)
    /// `e` after a failure: back to editing, with every safeguard of a first
    /// send armed again (the typed confirmation cleared, the look-up redone,
    /// focus on Cancel). `afterUnknown`: the first send may have been applied.
    mutating func rearm(afterUnknown: Bool)
    /// The call this dialog sent, as the journal holds it (for a read-back).
    mutating func sentCall(_ context: DialogContext) -> APICall?
}

/// A dialog whose focus is one of a fixed set of positions.
protocol FocusCycling {
    associatedtype Focus: CaseIterable & Equatable
    var focus: Focus { get set }
}

extension ActionDialog where Self: FocusCycling {
    mutating func cycleFocus(forward: Bool) { focus = forward ? focus.next() : focus.previous() }
}

extension ActionDialog {
    mutating func escape() -> DialogStep { .close }
    mutating func lookingUp(_ id: Int) {}

    /// The rules every dialog shares: nothing while sending (its answer must
    /// be seen and recorded), Esc or Ctrl-C backs out without sending, Enter
    /// closes a finished one. No key of a failed one sends: `e` edits it
    /// again with its safeguards re-armed, `c` reads an unknown outcome back.
    mutating func handle(_ key: Key, _ context: DialogContext) -> DialogStep {
        if state.isSending { return .handled }
        if key == .ctrl("c") { return .close }
        if case .done = state { return key == .enter || key == .escape ? .close : .handled }
        if case .failed(_, let unknown, let check) = state {
            switch key {
            case .enter, .escape: return .close
            case .char("e"), .char("E"):
                // Read back as applied: there is nothing to send again.
                if case .done(let r) = check, r.verdict == .applied { return .handled }
                state = .editing
                rearm(afterUnknown: unknown && !check.settled)
                return .handled
            case .char("c"), .char("C"):
                guard unknown, !check.isChecking, let call = sentCall(context) else { return .handled }
                return .check { .checkOutcome(id: $0, call) }
            default: return .handled
            }
        }
        if key == .escape { return escape() }
        if key == .tab || key == .backTab {
            cycleFocus(forward: key == .tab)
            return .handled
        }
        return edit(key, context)
    }
}

extension Dialog {
    /// Its change can be read back with find_record (a delete, an add); a
    /// recall and a DNC block cannot.
    var canBeReadBack: Bool {
        switch self {
        case .delete, .addRecord: true
        case .recall, .dnc, .unconfirmed: false
        }
    }

    /// Where an action dialog's send stands (nil for the unconfirmed notice).
    var sendState: SendState? {
        get {
            switch self {
            case .recall(let d): d.state
            case .delete(let d): d.state
            case .dnc(let d): d.state
            case .addRecord(let d): d.state
            case .unconfirmed: nil
            }
        }
        set {
            guard let newValue else { return }
            func with<D: ActionDialog>(_ d: D, _ wrap: (D) -> Dialog) -> Dialog {
                var d = d
                d.state = newValue
                return wrap(d)
            }
            switch self {
            case .recall(let d): self = with(d, Dialog.recall)
            case .delete(let d): self = with(d, Dialog.delete)
            case .dnc(let d): self = with(d, Dialog.dnc)
            case .addRecord(let d): self = with(d, Dialog.addRecord)
            case .unconfirmed: break
            }
        }
    }
}

func handleDialogKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard let dialog = state.dialog else { return [] }
    let context = DialogContext(state)
    switch dialog {
    case .recall(var d):
        let step = d.handle(key, context)
        return apply(&state, step, &d, Dialog.recall)
    case .delete(var d):
        let step = d.handle(key, context)
        return apply(&state, step, &d, Dialog.delete)
    case .dnc(var d):
        let step = d.handle(key, context)
        return apply(&state, step, &d, Dialog.dnc)
    case .addRecord(var d):
        let step = d.handle(key, context)
        return apply(&state, step, &d, Dialog.addRecord)
    case .unconfirmed:
        if key == .escape || key == .enter || key == .ctrl("c") { state.dialog = nil }
        // h: the unconfirmed actions, first in the history, where c reads each back.
        if key == .char("h") {
            state.dialog = nil
            return [.loadHistoryLog]
        }
        return []
    }
}

private func apply<D: ActionDialog>(_ state: inout AppState, _ step: DialogStep, _ d: inout D, _ wrap: (D) -> Dialog) -> [Effect] {
    if case .close = step {
        state.dialog = nil
        return []
    }
    defer { state.dialog = wrap(d) }
    return submit(&state, &d, step)
}

/// The one path from a dialog to the wire: the quota confirmation, a fresh
/// action ID, the in-flight count and the dialog's sending state.
func submit<D: ActionDialog>(_ state: inout AppState, _ d: inout D, _ step: DialogStep) -> [Effect] {
    switch step {
    case .handled, .close: return []
    case .send(let effect), .lookUp(let effect), .check(let effect):
        guard quotaAllows(&state) else { return [] }
        let id = state.nextActionID
        state.nextActionID += 1
        state.inFlight += 1
        switch step {
        case .lookUp: d.lookingUp(id)
        case .check:
            if case .failed(let text, let unknown, _) = d.state { d.state = .failed(text, unknown: unknown, check: .checking(actionID: id)) }
        default: d.state = .sending(actionID: id)
        }
        return [effect(id)]
    }
}

extension RecallDialog: ActionDialog, FocusCycling {
    mutating func rearm(afterUnknown: Bool) { focus = .cancel }

    /// A recall cannot be read back (find_record does not show recall dates).
    mutating func sentCall(_ context: DialogContext) -> APICall? { nil }

    mutating func edit(_ key: Key, _ context: DialogContext) -> DialogStep {
        switch key {
        case .char(let c) where focus != .date && focus != .phone || (focus == .phone && phoneIndex < phoneChoices.count):
            if let n = c.wholeNumberValue, (1...4).contains(n), focus != .phone {
                preset(n, now: context.now, timeZone: context.timeZone)
            } else if focus == .type {
                campaignType = campaignType == .predictive ? .preview : .predictive
            }
        case .left where focus == .phone, .right where focus == .phone:
            phoneIndex = phoneIndex.cycled(by: key == .right ? 1 : -1, in: phoneChoices.count + 1)
        case .left where focus == .type, .right where focus == .type:
            campaignType = campaignType == .predictive ? .preview : .predictive
        case .up where focus == .date, .down where focus == .date:
            stepPreset(forward: key == .down, now: context.now, timeZone: context.timeZone)
        case .enter:
            if focus == .cancel { return .close }
            guard let order = order(now: context.now, timeZone: context.timeZone) else { return .handled }
            return .send { .recall(id: $0, order) }
        default:
            if focus == .date {
                date.handle(key)
            } else if focus == .phone {
                if case .char(let c) = key, c.isNumber || c == "+" { phoneIndex = phoneChoices.count }
                typedPhone.handle(key)
            }
        }
        return .handled
    }
}

extension DeleteDialog: ActionDialog, FocusCycling {
    /// The ID (or the count) must be typed again before a second delete;
    /// after an unknown outcome, Delete first asks whether the records are still there.
    mutating func rearm(afterUnknown: Bool) {
        confirm = TextField("", maxLength: 140)
        focus = .cancel
        if afterUnknown { pending = records.map(\.customerID) }
        precheck = .none
    }

    mutating func lookingUp(_ id: Int) { precheck = .checking(actionID: id) }

    mutating func sentCall(_ context: DialogContext) -> APICall? { .removeRecord(order) }

    mutating func edit(_ key: Key, _ context: DialogContext) -> DialogStep {
        switch key {
        case .left where focus == .result, .right where focus == .result: stepResult(forward: key == .right)
        case .left where focus == .cancel || focus == .delete, .right where focus == .cancel || focus == .delete:
            focus = focus == .cancel ? .delete : .cancel
        case .down: listScroll += 1
        case .up: listScroll = max(0, listScroll - 1)
        case .char where focus != .confirm:
            // Typing anywhere goes to the confirmation field.
            focus = .confirm
            confirm.handle(key)
        case .enter:
            switch focus {
            case .cancel: return .close
            case .confirm: focus = confirmed ? .delete : .confirm
            case .result: focus = .confirm
            case .delete:
                // The button stays disabled until the typed confirmation matches
                // and the irreversibility warning is on screen in full.
                // A filter none of these records match would delete nothing: not offered.
                guard confirmed, matching > 0, DeleteLayout(self, size: context.size, catalog: context.catalog).warningFits else { return .handled }
                let order = order
                // An earlier delete of these may have been applied: ask the server first (find_record only).
                if !pending.isEmpty {
                    switch precheck {
                    case .checking: return .handled
                    case .none: return .lookUp { .checkOutcome(id: $0, .removeRecord(order)) }
                    case .answered: break
                    }
                }
                return .send { .remove(id: $0, order) }
            }
        default:
            if focus == .confirm { confirm.handle(key) }
        }
        return .handled
    }
}

extension DNCDialog: ActionDialog, FocusCycling {
    mutating func rearm(afterUnknown: Bool) { focus = .cancel }

    /// No API reads a DNC block back.
    mutating func sentCall(_ context: DialogContext) -> APICall? { nil }

    mutating func edit(_ key: Key, _ context: DialogContext) -> DialogStep {
        switch key {
        case .enter:
            if focus == .cancel { return .close }
            if focus != .send {
                focus = focus.next()
                return .handled
            }
            guard let entries = entries() else { return .handled }
            return .send { .addDNC(id: $0, entries) }
        default:
            if focus == .numbers {
                numbers.handle(key)
                countShared(in: context.results)
            } else if focus == .days {
                days.handle(key)
            }
        }
        return .handled
    }
}

extension AddRecordDialog: ActionDialog {
    /// After "already exists", Esc goes back to the form (at the ID), not away.
    mutating func escape() -> DialogStep {
        switch existing {
        case .found, .failed:
            existing = .unchecked
            focus = Self.fields.firstIndex(of: "customer_id") ?? 0
            return .handled
        default: return .close
        }
    }

    mutating func lookingUp(_ id: Int) { existing = .checking(actionID: id) }

    /// A second add asks the server again whether the ID exists now.
    mutating func rearm(afterUnknown: Bool) {
        existing = .unchecked
        focus = cancelIndex
    }

    mutating func sentCall(_ context: DialogContext) -> APICall? {
        record().map { .addRecord(AddRecordBatch(campaignID: campaign.id, campaignStatus: campaign.status, records: [$0])) }
    }

    /// Fields, then Cancel, then Add; ↑ ↓ move the same way.
    mutating func cycleFocus(forward: Bool) { focus = focus.cycled(by: forward ? 1 : -1, in: sendIndex + 1) }

    mutating func edit(_ key: Key, _ context: DialogContext) -> DialogStep {
        switch key {
        case .down: cycleFocus(forward: true)
        case .up: cycleFocus(forward: false)
        case .enter:
            if focus == cancelIndex { return .close }
            if focus < cancelIndex {
                focus += 1
                return .handled
            }
            guard let record = record() else {
                // Go to the field the error is about, so it can be fixed at once.
                if let field = errorField, let i = Self.fields.firstIndex(of: field) { focus = i }
                return .handled
            }
            if case .checking = existing { return .handled }
            let campaign = campaign
            // An ID that may already exist is looked up first; the add goes
            // after "none", or after a second Enter once the answer is shown.
            if !record["customer_id"].isEmpty, existing == .unchecked {
                return .lookUp { .checkExisting(id: $0, customerID: record["customer_id"], campaignID: campaign.id) }
            }
            return .send { .addRecords(id: $0, [record], campaignID: campaign.id, status: campaign.status) }
        default:
            guard focus < values.count else { return .handled }
            let before = values[focus].value
            values[focus].handle(key)
            if values[focus].value != before {
                error = nil
                errorField = nil
                // A changed form is a different record: its ID is looked up again.
                if existing != .unchecked, !isChecking(existing) { existing = .unchecked }
            }
        }
        return .handled
    }
}
