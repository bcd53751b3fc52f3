import Foundation
import WolkvoxAPI

extension Catalog {
    /// A bar's name with its section, for the table title and the toast
    /// once rows are narrowed to it ("calls: 3–5", "campaign 101").
    public func pinLabel(_ kind: Breakdown.Kind) -> String {
        switch kind {
        case .calls, .unreadableCalls: return text("stats.pin_calls", ["bar": barLabel(kind)])
        case .campaign(let id): return text("stats.pin_campaign", ["id": id])
        case .day, .neverContacted, .olderContact, .otherDate: return text("stats.pin_contact", ["bar": barLabel(kind)])
        case .result: return barLabel(kind)
        }
    }

    /// A bar's name in the operator's language (result values stay as the API spells them).
    public func barLabel(_ kind: Breakdown.Kind) -> String {
        switch kind {
        case .result(let value): return value == "(none)" ? self["stats.no_result"] : value
        case .calls(let low, let high):
            guard let high else { return text("stats.calls_more", ["n": String(low - 1)]) }
            return low == high ? String(low) : "\(low)–\(high)"
        case .unreadableCalls: return "?"
        case .day(let key): return key
        case .neverContacted: return self["stats.never"]
        case .olderContact: return self["stats.older"]
        case .otherDate: return self["stats.other_dates"]
        case .campaign(let id): return id
        }
    }
}
