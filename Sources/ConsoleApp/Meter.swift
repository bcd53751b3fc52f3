import Foundation
import LocalStore
import Messages
import WolkvoxAPI

/// The status line's meter follows the store: token_info's figure plus the
/// calls made since, else this machine's count; the quota is token_info's
/// `token_limit` once known. The 80 % warning and the 100 % confirmation read
/// these two numbers.
func applyMeter(_ state: inout AppState, _ reading: MeterReading) {
    state.callsToday = reading.used
    state.quota = reading.limit(or: state.configuredQuota)
    state.quotaFigureAt = reading.figure?.readAt
}

/// A token_info ask came back. At start a fresh or cached figure just moves
/// the meter; `:quota` says what it read, or when it last read it. A failure
/// is one toast, and the local count stands.
func quotaChecked(_ state: inout AppState, _ outcome: QuotaRefresher.Outcome, onDemand: Bool) {
    applyMeter(&state, outcome.reading)
    let c = state.catalog
    let r = outcome.reading
    func clock(_ d: Date?) -> String { d.map { quotaClock($0, state.timeZone) } ?? "?" }
    let figures = [
        "used": c.number(r.used), "quota": c.number(r.limit(or: state.configuredQuota)),
        "since": c.number(r.callsSinceFigure ?? 0), "time": clock(r.figure?.readAt), "next": clock(r.nextAskAt),
    ]
    switch outcome {
    case .read where onDemand:
        toast(&state, c.text("quota.read", figures), .info)
    case .cached where onDemand:
        toast(
            &state,
            c.text(
                r.figure == nil ? "quota.cached_none" : "quota.cached",
                figures.merging(["asked": clock(r.askedAt), "local": c.number(r.localCalls)]) { a, _ in a }), .info)
    case .failed(let error, _):
        toast(&state, c.text("quota.failed", ["reason": c.explain(error), "local": c.number(r.localCalls)]), .warning)
    default:
        break
    }
}

/// 14:05:09 in the console's time zone.
func quotaClock(_ date: Date, _ zone: TimeZone) -> String {
    let c = Calendar.gregorian(zone).dateComponents([.hour, .minute, .second], from: date)
    return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
}
