import Messages
import WolkvoxAPI

/// How the last search ended, for the status line under the search box. Kept
/// as data and worded when drawn, so `:lang es` rewords it at the next frame
/// (it stayed in the old language until the next search).
public enum SearchSummary: Sendable, Equatable {
    case found(count: Int, campaignID: String?, seconds: Double)
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
        case .found(let count, let campaignID, let seconds):
            let place = campaignID.map { id in campaign(for: id)?.label ?? id } ?? c["pane.all_campaigns"]
            let figures = ["campaign": place, "seconds": c.decimal(seconds, digits: 2)]
            // At the cap the status line says so first: it is cut at the pane's edge.
            if count >= WolkvoxClient.maxRecordsPerDownload {
                return c.text("search.found_capped", figures.merging(["count": c.number(count)]) { $1 })
            }
            return c.plural("search.found", count, figures)
        case .cancelled(let stale): return c[stale ? "search.cancelled_stale" : "search.cancelled"]
        case .failed(let stale, let reason):
            return c.text(stale ? "search.failed_stale" : "search.failed", ["reason": c.explain(reason)])
        }
    }
}
