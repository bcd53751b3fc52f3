import Foundation
import WolkvoxAPI

extension Catalog {
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
