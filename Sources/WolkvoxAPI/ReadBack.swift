import Foundation

/// Settling a change whose outcome is unknown by asking the server what is
/// there now, with find_record only: a reconcile never writes.
///
/// - remove_record: each customer ID is looked up in the campaign; gone
///   means deleted, still there means not deleted.
/// - add_record: a customer ID that now exists under the sent name was
///   added; absent (or under another name) it was not. A chunk of many
///   records is judged from a sample (`sampleSize` IDs: first, middle, last)
///   so a 10,000-row chunk costs 3 calls, not 10,000.
/// - recall: find_record does not show recall dates, so it is not read back
///   (no call is spent; sending a recall again only sets the same date).
/// - add_dnc: no API reads a block back; it stays unknown.
public enum ReadBack {
    public static let sampleSize = 3

    public enum Verdict: String, Sendable, Codable, Equatable {
        case applied
        case notApplied = "not_applied"
        /// Some of the looked-up IDs show the change and some do not.
        case partlyApplied = "partly_applied"
        case unknown
    }

    /// One look-up: a customer ID in the campaign, and for an add the name it was sent with.
    public struct Check: Sendable, Equatable {
        public var customerID: String
        public var sentName: String?
        public init(customerID: String, sentName: String? = nil) {
            self.customerID = customerID
            self.sentName = sentName
        }
    }

    public enum Plan: Sendable, Equatable {
        /// These look-ups (one find_record each) settle it; `of` is how many
        /// IDs the change carried (more than the checks when sampled).
        case lookUps(campaignID: String, [Check], of: Int)
        /// It cannot be read back, and why (English, for the journal and --json).
        case cannot(String)
    }

    /// What the journaled request (api, campaign, body) can be read back by.
    public static func plan(api: String, campaignID: String?, body: String) -> Plan {
        guard let name = APIName(rawValue: api) else { return .cannot("\(api) is not a change wvconsole knows") }
        if name == .addDNC { return .cannot("no API reads a DNC block back") }
        guard let campaign = campaignID, !campaign.isEmpty else { return .cannot("the journal entry names no campaign") }
        let json = try? JSONSerialization.jsonObject(with: Data(body.utf8))
        switch name {
        case .removeRecord:
            let ids = ((json as? [String: Any])?["customer_id"] as? String ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
            return ids.isEmpty ? .cannot("the journaled request carries no customer ID") : .lookUps(campaignID: campaign, ids.map { Check(customerID: $0) }, of: ids.count)
        case .recall:
            // A look-up would only tell whether the record exists: not worth a call.
            return .cannot("find_record does not show recall dates, so a recall cannot be read back; sending it again only sets the same date")
        case .addRecord:
            let rows = (json as? [[String: Any]]) ?? []
            let checks = rows.compactMap { row -> Check? in
                guard let id = row["customer_id"] as? String, !id.isEmpty else { return nil }
                return Check(customerID: id, sentName: row["customer_name"] as? String ?? "")
            }
            guard !checks.isEmpty else { return .cannot("no record of the request carries a customer ID to look up") }
            return .lookUps(campaignID: campaign, sample(checks), of: rows.count)
        default:
            return .cannot("\(api) is not a change")
        }
    }

    /// First, middle and last: a chunk applied in part shows at its ends.
    static func sample(_ checks: [Check]) -> [Check] {
        guard checks.count > sampleSize else { return checks }
        return [checks[0], checks[checks.count / 2], checks[checks.count - 1]]
    }

    /// The verdict from what each look-up found (the records find_record
    /// returned for that ID in the campaign), and the evidence in one
    /// English line.
    public static func judge(api: String, campaignID: String, found: [(Check, [CustomerRecord])], of total: Int) -> (Verdict, String) {
        let name = APIName(rawValue: api)
        var shows = 0
        var parts: [String] = []
        for (check, records) in found {
            let same = records.filter { $0.customerID == check.customerID }
            let there = !same.isEmpty
            switch name {
            case .removeRecord:
                // A delete shows as the record gone.
                if !there { shows += 1 }
                parts.append("\(check.customerID): \(there ? "found" : "not found")")
            default:
                let names = same.map { $0.customerName.trimmingCharacters(in: .whitespaces) }
                let sent = (check.sentName ?? "").trimmingCharacters(in: .whitespaces)
                let match = names.contains { $0.caseInsensitiveCompare(sent) == .orderedSame }
                if match { shows += 1 }
                parts.append(
                    "\(check.customerID): "
                        + (there ? (match ? "found as sent" : "found under another name (\(TerminalText.sanitize(names.first ?? "", limit: 40)))") : "not found"))
            }
        }
        let sampled = found.count < total ? " (a sample of \(found.count) of \(total))" : ""
        let asked = "find_record by customer_id in campaign \(campaignID)\(sampled): " + parts.joined(separator: ", ")
        let verdict: Verdict = shows == found.count ? .applied : (shows == 0 ? .notApplied : .partlyApplied)
        return (verdict, asked)
    }
}

extension WolkvoxClient {
    /// Reads back a journaled change: one find_record per check, within the
    /// gate and the meter like every call. Never writes.
    public func readBack(api: String, campaignID: String?, body: String) async throws -> ReadBackResult {
        switch ReadBack.plan(api: api, campaignID: campaignID, body: body) {
        case .cannot(let reason):
            return ReadBackResult(verdict: .unknown, evidence: reason, calls: 0)
        case .lookUps(let campaign, let checks, let total):
            var found: [(ReadBack.Check, [CustomerRecord])] = []
            for check in checks {
                let answer = try await find(FindQuery(customerID: check.customerID, campaignID: campaign))
                found.append((check, answer.records))
            }
            let (verdict, evidence) = ReadBack.judge(api: api, campaignID: campaign, found: found, of: total)
            return ReadBackResult(verdict: verdict, evidence: evidence, calls: checks.count)
        }
    }

    /// The body a change is journaled with (to find its journal entry again).
    public func journaledBody(_ call: APICall) throws -> String {
        try buildRequest(call).bodyText
    }
}

public struct ReadBackResult: Sendable, Equatable {
    public var verdict: ReadBack.Verdict
    /// What was asked and what was found, in one English line.
    public var evidence: String
    /// find_record calls spent.
    public var calls: Int

    public init(verdict: ReadBack.Verdict, evidence: String, calls: Int) {
        self.verdict = verdict
        self.evidence = evidence
        self.calls = calls
    }
}
