import Messages
import WolkvoxAPI

/// How the last search ended, for the status line under the search box. Kept
/// as data and worded when drawn, so `:lang es` rewords it at the next frame
/// (it stayed in the old language until the next search).
public enum SearchSummary: Sendable, Equatable {
    /// `unreadable`: elements of the answer that were not records, left out.
    case found(count: Int, campaignID: String?, seconds: Double, unreadable: Int = 0)
    /// `stale`: the list still shows an earlier search's rows.
    case cancelled(stale: Bool)
    /// `reason` stays on the status line after the error box is closed.
    case failed(stale: Bool, reason: APIError)
}

extension AppState {
    /// The status line's words for `summary`, in the current language.
    public var summaryText: String? {
        guard let summary else { return nil }
        let c = catalog
        switch summary {
        case .found(let count, let campaignID, let seconds, let unreadable):
            let place = campaignID.map { id in campaign(for: id)?.label ?? id } ?? c["pane.all_campaigns"]
            let figures = ["campaign": place, "seconds": c.decimal(seconds, digits: 2)]
            // What the list may lack comes first: the line is cut at the pane's edge.
            let lacking = unreadable > 0 ? c.plural("search.unreadable", unreadable) + " · " : ""
            if count >= WolkvoxClient.maxRecordsPerDownload {
                return lacking + c.text("search.found_capped", figures.merging(["count": c.number(count)]) { $1 })
            }
            return lacking + c.plural("search.found", count, figures)
        case .cancelled(let stale): return c[stale ? "search.cancelled_stale" : "search.cancelled"]
        case .failed(let stale, let reason):
            return c.text(stale ? "search.failed_stale" : "search.failed", ["reason": c.explain(reason)])
        }
    }
}
