import ArgumentParser
import Foundation
import LocalStore
import Messages
import WolkvoxAPI

extension AuditCommand {
    /// `--json` of `audit --reconcile`.
    struct ReconcileOutput: Encodable {
        var ok: Bool
        var command = "audit"
        var reconciled: [Reconciliation]
        /// find_record calls spent in all.
        var calls: Int
        /// Actions still unconfirmed after this run (not settled, or not reached).
        var stillUnconfirmed: Int
        var error: JSONOutput.ErrorBody?
    }

    /// Reads every unconfirmed action back, oldest first, within the meter
    /// and the gate like any call, and stops at a failure that would stop a
    /// bulk job (quota, token, maintenance, Ctrl-C). Exit 0 when every
    /// action is settled, 6 when some stay open, else the failure's status.
    func runReconcile() async throws {
        let ctx = try await CLIContext.make(global)
        guard let store = ctx.store else { throw APIError.storeUnavailable("no store") }
        let who = mine ? store.operatorName : operatorName
        var entries = try await store.unconfirmed()
        if let who { entries = entries.filter { $0.actor == who } }
        if !entries.isEmpty { try await ctx.requireQuota() }
        var results: [Reconciliation] = []
        var stop: APIError?
        // Identical actions (a change sent again after a lost answer) are read back once.
        var known: [String: ReadBackResult] = [:]
        for entry in entries {
            if Task.isCancelled {
                stop = .cancelled
                break
            }
            let r = await Reconciler.reconcile(entry, client: ctx.client, store: store, known: known[entry.sameChange])
            if r.failure == nil { known[entry.sameChange] = ReadBackResult(verdict: r.verdict, evidence: r.evidence, calls: r.calls) }
            results.append(r)
            if !json { CLIOutput.line(Self.line(r)) }
            if let e = r.failure, e.stopsBatch {
                stop = e
                break
            }
        }
        let settled = results.filter(\.resolved).count
        let calls = results.map(\.calls).reduce(0, +)
        let open = entries.count - settled
        if json {
            JSONOutput.emit(
                ReconcileOutput(
                    ok: open == 0 && stop == nil, reconciled: results, calls: calls, stillUnconfirmed: open,
                    error: stop.map { JSONOutput.failure("audit", $0).error }))
        } else if entries.isEmpty {
            CLIOutput.line(CLIText["cli.reconcile.nothing"])
        } else {
            CLIOutput.line(CLIText.text("cli.reconcile.summary", ["settled": String(settled), "open": String(open), "calls": String(calls)]))
        }
        if let stop {
            CLIOutput.error(failureLine(stop))
            throw ExitCode(ExitStatus.of(stop).rawValue)
        }
        if open > 0 { throw ExitCode(ExitStatus.incomplete.rawValue) }
    }

    /// "#12 remove_record · 101 · 1 item: applied (resolved) — find_record …"
    static func line(_ r: Reconciliation) -> String {
        var verdict = CLIText["cli.reconcile." + r.verdict.rawValue]
        if r.resolved { verdict += " (" + CLIText["cli.reconcile.resolved"] + ")" }
        if let error = r.error { verdict = CLIText["cli.reconcile.not_checked"] + ": " + TerminalText.sanitize(error, limit: 200) }
        let head = "#\(r.id) \(r.api) · \(TerminalText.sanitize(r.campaignId ?? "-", limit: 40)) · " + CLIText.plural("cli.n_items", r.items)
        return head + ": " + verdict + (r.evidence.isEmpty ? "" : " — " + TerminalText.sanitize(r.evidence, limit: 400))
    }
}
