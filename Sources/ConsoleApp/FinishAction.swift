import Foundation
import TUIKit
import WolkvoxAPI
import Messages

/// Applies a write's answer. The answer carries the action's id and the
/// records it concerned, so it lands on those records only, whatever the
/// cursor or the results show by then.
func finishAction(_ state: inout AppState, id: Int, result: ActionResult) -> [Effect] {
    state.inFlight = max(0, state.inFlight - 1)
    let c = state.catalog
    let text: String
    var ok = true
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
            case .failed(let e): failures.append(c.explain(e))
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
        let failure = reports.compactMap {
            if case .failed(let e) = $0.outcome { return c.explainWrite(e) }
            return nil
        }.first
        text = failure ?? c.plural("add.result", added)
        ok = failure == nil
        state.lastOutcome = "add: \(added)"
    case .failed(let error):
        ok = false
        text = c.explainWrite(error)
        state.lastOutcome = "failed: \(error.kind)"
        // Kept as the error banner too, so Ctrl-O shows what the server said.
        state.error = ErrorBanner(.write(error), detail: error.detail?.summary ?? "")
    }
    // Done on the server, but the local journal did not take the outcome.
    let shown = outcomeRecorded(result) ? text : text + " — " + c["outcome.not_recorded"]
    // The dialog that sent it says the outcome; a toast only when it is gone.
    if !setDialogOutcome(&state, id: id, ok: ok, text: shown) {
        toast(&state, shown, ok && outcomeRecorded(result) ? .success : .error)
    }
    return []
}

/// Shows the outcome in the dialog that sent the action; false if it is gone.
@discardableResult
func setDialogOutcome(_ state: inout AppState, id: Int, ok: Bool, text: String) -> Bool {
    guard var dialog = state.dialog, dialog.sendState == .sending(actionID: id) else { return false }
    dialog.sendState = ok ? .done(text) : .failed(text)
    state.dialog = dialog
    return true
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
