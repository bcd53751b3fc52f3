import Foundation
import WolkvoxAPI

/// One unconfirmed action read back (`ReadBack`) and, when that settles it,
/// resolved in the journal with the evidence: what was asked, what was
/// found, when and by whom. Shared by `wvconsole audit --reconcile` and the
/// console. A reconcile never writes to the server.
public struct Reconciliation: Sendable, Equatable, Encodable {
    public var id: Int64
    public var api: String
    public var campaignId: String?
    public var items: Int
    public var verdict: ReadBack.Verdict
    /// What was asked and found (English), or why it cannot be read back.
    public var evidence: String
    /// find_record calls spent on it.
    public var calls: Int
    /// The customer IDs it looked up (a bulk chunk: its sample).
    public var customerIds: [String] = []
    /// Written to the journal as resolved (the verdict is applied or not applied).
    public var resolved: Bool
    /// Why it could not be checked or recorded now (a failed look-up, the store); nil when it could.
    public var error: String?
    /// The look-up's own failure, when a call failed (not encoded: `error` says it).
    public var failure: APIError?

    enum CodingKeys: String, CodingKey { case id, api, campaignId, items, verdict, evidence, calls, customerIds, resolved, error }

    public init(
        id: Int64, api: String, campaignId: String?, items: Int, verdict: ReadBack.Verdict, evidence: String, calls: Int, resolved: Bool,
        error: String? = nil, failure: APIError? = nil
    ) {
        self.id = id
        self.api = api
        self.campaignId = campaignId
        self.items = items
        self.verdict = verdict
        self.evidence = evidence
        self.calls = calls
        self.resolved = resolved
        self.error = error
        self.failure = failure
    }
}

public enum Reconciler {
    /// The verdicts that settle an action; unknown and partly applied stay open.
    public static func settles(_ v: ReadBack.Verdict) -> Bool { v == .applied || v == .notApplied }

    /// How the note of a read-back that found the change applied begins
    /// (a resume then counts the chunk as confirmed).
    public static let appliedPrefix = "reconciled: applied — "

    /// What a resolution note says was found: a read-back's verdict
    /// ("applied", "not_applied"), else "checked" (resolved by hand).
    public static func finding(ofNote note: String?) -> String {
        guard let note, note.hasPrefix("reconciled: "), let end = note.range(of: " — ") else { return "checked" }
        return String(note[note.index(note.startIndex, offsetBy: 12)..<end.lowerBound])
    }

    /// The journal note of a settled action (`audit` shows it as the resolution).
    public static func note(_ verdict: ReadBack.Verdict, evidence: String, at date: Date, by who: String) -> String {
        "reconciled: \(verdict.rawValue) — \(evidence) — read back \(ISO8601DateFormatter().string(from: date)) by \(who)"
    }

    /// Reads one action back and resolves it when the answer settles it.
    /// A look-up that fails stops there: the action stays unconfirmed and
    /// the error says why (a quota, a limit, the network).
    /// `known`: the read-back of an identical action (same api, campaign
    /// and body) made moments ago in the same run — used instead of asking
    /// the server again, so N identical unknowns cost one call.
    public static func reconcile(
        _ entry: AuditEntry, client: WolkvoxClient, store: any OperationStore, known: ReadBackResult? = nil, now: @Sendable () -> Date = Date.init
    ) async -> Reconciliation {
        var r = Reconciliation(
            id: entry.id, api: entry.api, campaignId: entry.campaignID, items: entry.itemCount, verdict: .unknown, evidence: "", calls: 0,
            resolved: false, error: nil, failure: nil)
        let plan = ReadBack.plan(api: entry.api, campaignID: entry.campaignID, body: entry.body)
        let calls = plan.calls
        if case .lookUps(_, let checks, _) = plan { r.customerIds = checks.map(\.customerID) }
        do {
            var result: ReadBackResult
            if let known {
                result = known
                result.calls = 0
            } else {
                result = try await client.readBack(api: entry.api, campaignID: entry.campaignID, body: entry.body)
            }
            r.verdict = result.verdict
            r.evidence = result.evidence
            r.calls = result.calls
        } catch {
            r.calls = calls
            r.failure = error as? APIError ?? (error is CancellationError ? .cancelled : nil)
            r.error = r.failure?.description ?? String(describing: error)
            return r
        }
        guard settles(r.verdict) else { return r }
        do {
            try await store.markResolved(id: entry.id, note: note(r.verdict, evidence: r.evidence, at: now(), by: store.operatorName))
            r.resolved = true
        } catch {
            r.error = "read back, but the journal could not record it: " + storeReason(error)
        }
        return r
    }
}

extension ReadBack.Plan {
    /// find_record calls this plan spends at most.
    public var calls: Int {
        if case .lookUps(_, let checks, _) = self { return checks.count }
        return 0
    }
}

extension AuditEntry {
    /// What makes two journal entries the same change: api, campaign and the exact body.
    public var sameChange: String { "\(api)\u{0}\(campaignID ?? "")\u{0}\(body)" }
}

extension OperationStore {
    /// The newest unconfirmed entry for exactly `call` (same api, campaign
    /// and body as the client journals it), or nil.
    public func newestUnconfirmed(_ call: APICall, client: WolkvoxClient) async throws -> AuditEntry? {
        let body = try client.journaledBody(call)
        return try await unconfirmed().last { $0.api == call.api.rawValue && $0.campaignID == call.campaignID && $0.body == body }
    }
}
