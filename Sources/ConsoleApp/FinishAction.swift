import Foundation
import LocalStore
import TUIKit
import WolkvoxAPI
import Messages

/// Applies a write's answer. The answer carries the action's id and the
/// records it concerned, so it lands on those records only, whatever the
/// cursor or the results show by then.
func finishAction(_ state: inout AppState, id: Int, result: ActionResult) -> [Effect] {
    state.inFlight = max(0, state.inFlight - 1)
    let c = state.catalog
    var text: String
    var ok = true
    // Not done, and it may have been applied: the dialog offers a read-back.
    var unknown = false
    switch result {
    case .recalled(let receipt, _):
        // Our words first, then the server's own, untranslated.
        text = c["recall.ok"] + " — " + TerminalText.sanitize(receipt.message, limit: 200)
        state.lastOutcome = "recall ok"
    case .removed(let receipt, let keys):
        let server = TerminalText.sanitize(receipt.message, limit: 200)
        // Remove from the results only the records the answer names as deleted
        // (the core's one reading of it, the same the journal and CLI use).
        let answer = receipt.removal ?? RemovalAnswer.read(receipt.message, requested: keys.map(\.customerID))
        let gone = Set(answer.deleted)
        let confirmed = keys.filter { gone.contains($0.customerID) }
        state.results.remove(confirmed)
        state.lastOutcome = "delete: \(confirmed.count) of \(keys.count)"
        if confirmed.isEmpty {
            ok = false
            unknown = !answer.understood
            text = c[answer.understood ? "delete.none" : "delete.unconfirmed"] + " — " + server
        } else if confirmed.count < keys.count {
            ok = false
            text = server + " — " + c.text("delete.partial", ["missing": String(keys.count - confirmed.count), "total": String(keys.count)])
        } else {
            text = c.plural("delete.ok", confirmed.count) + " — " + server
        }
    case .blocked(let reports):
        var t = DNCTotals(added: nil, rejected: nil, sent: nil)
        var failures: [String] = []
        for r in reports {
            switch r.outcome {
            case .succeeded(let totals, _): t = t + totals
            case .failed(let e):
                failures.append(c.explainWrite(e))
                unknown = unknown || e.outcomeUnknown
            case .notSent: failures.append(c.text("outcome.chunk_not_sent", ["chunk": String(r.index + 1)]))
            }
        }
        func n(_ v: Int?) -> String { v.map(String.init) ?? "?" }
        text =
            c.text("dnc.result", ["added": n(t.added), "rejected": n(t.rejected), "sent": n(t.sent)])
            + (failures.isEmpty ? "" : " — " + failures.joined(separator: "; "))
        ok = failures.isEmpty
        state.lastOutcome = "dnc: \(n(t.added)) added"
    case .added(let reports):
        let added = reports.reduce(0) {
            if case .succeeded(let n, _) = $1.outcome { return $0 + n }
            return $0
        }
        let failed = reports.compactMap {
            if case .failed(let e) = $0.outcome { return e }
            return nil
        }.first
        let failure = failed.map(c.explainWrite)
        unknown = failed?.outcomeUnknown ?? false
        text = failure ?? c.plural("add.result", added)
        ok = failure == nil
        state.lastOutcome = "add: \(added)"
    case .failed(let error):
        ok = false
        unknown = error.outcomeUnknown
        text = c.explainWrite(error)
        state.lastOutcome = "failed: \(error.kind)"
        // Kept as the error banner too, so Ctrl-O shows what the server said.
        state.error = ErrorBanner(.write(error), detail: error.detail?.summary ?? "")
    }
    if unknown {
        // The records it was about: the answer's, else those of the dialog that sent it.
        var keys = result.keys
        if let dialog = state.dialog, dialog.sendState == .sending(actionID: id) {
            switch dialog {
            case .delete(let d): keys = d.records.map(\.key)
            case .recall(let d): keys = [d.record.key]
            default: break
            }
        }
        state.addPending(keys)
    }
    // A recall (find_record shows no recall dates) or a block (no API reads
    // one back) cannot be checked: say that instead of "check it".
    if unknown, let dialog = state.dialog, dialog.sendState == .sending(actionID: id), !dialog.canBeReadBack {
        text = text.replacingOccurrences(of: c["outcome.unknown"], with: c["outcome.unknown_unreadable"])
    }
    // Done on the server, but the local journal did not take the outcome.
    let shown = outcomeRecorded(result) ? text : text + " — " + c["outcome.not_recorded"]
    // The dialog that sent it says the outcome; a toast only when it is gone.
    if !setDialogOutcome(&state, id: id, ok: ok, unknown: unknown, text: shown) {
        toast(&state, shown, ok && outcomeRecorded(result) ? .success : .error)
    }
    return []
}

extension ActionResult {
    /// The records a change was about (for the session's pending marks).
    var keys: [RecordKey] {
        switch self {
        case .recalled(_, let key): [key]
        case .removed(_, let keys): Array(keys)
        case .blocked, .added, .failed: []
        }
    }

}

/// Shows the outcome in the dialog that sent the action; false if it is gone.
@discardableResult
func setDialogOutcome(_ state: inout AppState, id: Int, ok: Bool, unknown: Bool = false, text: String) -> Bool {
    guard var dialog = state.dialog, dialog.sendState == .sending(actionID: id) else { return false }
    dialog.sendState = ok ? .done(text) : .failed(text, unknown: unknown)
    state.dialog = dialog
    return true
}

/// A read-back asked from a dialog came back: the dialog shows the verdict
/// (or why it could not be had); a toast when the dialog is gone. A settled
/// delete also updates the results: a record the server no longer has leaves them.
func outcomeChecked(_ state: inout AppState, id: Int, _ result: Result<Reconciliation, APIError>) -> [Effect] {
    state.inFlight = max(0, state.inFlight - 1)
    let c = state.catalog
    // The look-up a delete makes before resending what may have been applied.
    if case .delete(var d)? = state.dialog, d.precheck == .checking(actionID: id) {
        switch result {
        case .success(let r) where r.verdict == .applied:
            settled(&state, r, keys: d.records.map(\.key))
            d.state = .done(c["delete.already_gone"])
            // Answered: the "checking…" note goes.
            d.precheck = .none
            d.pending = []
        case .success(let r) where r.verdict == .notApplied:
            settled(&state, r, keys: d.records.map(\.key))
            d.precheck = .answered(warning: nil)
            d.pending = []
        case .success(let r):
            d.precheck = .answered(warning: checkText(r, c))
        case .failure(let e):
            d.precheck = .answered(warning: c.text("check.failed", ["reason": c.explain(e)]))
        }
        state.dialog = .delete(d)
        return []
    }
    // `c` in the dialog whose send failed.
    guard var dialog = state.dialog, case .failed(let text, let unknown, .checking(id))? = dialog.sendState else {
        if case .success(let r) = result { toast(&state, checkText(r, c), r.resolved ? .success : .warning) }
        return []
    }
    let check: OutcomeCheck
    switch result {
    case .success(let r):
        check = .done(r)
        if case .delete(let d) = dialog { settled(&state, r, keys: d.records.map(\.key)) }
        if case .addRecord = dialog, Reconciler.settles(r.verdict), case .write? = state.error?.reason { state.error = nil }
    case .failure(let e): check = .failed(c.explain(e))
    }
    dialog.sendState = .failed(text, unknown: unknown, check: check)
    state.dialog = dialog
    return []
}

/// A read-back settled one unknown change about `keys`: it is no longer
/// pending, and a delete found applied takes its records out of the list.
/// The one place every read-back (dialog, look-up, `:history`) lands.
func settled(_ state: inout AppState, _ r: Reconciliation, keys: [RecordKey]) {
    guard Reconciler.settles(r.verdict) else { return }
    state.settlePending(keys)
    // The write's error banner said "may have been applied": settled, it no longer stands.
    if case .write? = state.error?.reason { state.error = nil }
    if r.verdict == .applied && r.api == APIName.removeRecord.rawValue { state.results.remove(Set(keys)) }
}

/// "Checked on the server: applied — the record is gone. Recorded in the
/// journal." in the operator's language (the English evidence stays in the journal).
func checkText(_ r: Reconciliation, _ c: Catalog) -> String {
    let why = "check.why." + r.api + "." + r.verdict.rawValue
    return c.text("check.result", ["verdict": c["cli.reconcile." + r.verdict.rawValue]]) + (c.has(why) ? " — " + c[why] + "." : ".")
        + (r.resolved ? " " + c["check.resolved"] : "")
}

/// Whether every answer of this action reached the journal.
func outcomeRecorded(_ result: ActionResult) -> Bool {
    switch result {
    case .recalled(let r, _): r.outcomeRecorded
    case .removed(let r, _): r.outcomeRecorded
    case .blocked(let reports): reports.allSatisfy(\.outcomeRecorded)
    case .added(let reports): reports.allSatisfy(\.outcomeRecorded)
    case .failed: true
    }
}
