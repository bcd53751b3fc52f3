import Foundation
import Messages
import TUIKit
import WolkvoxAPI

public enum Pane: String, Sendable, CaseIterable { case campaigns, search, results, detail }

public enum SearchKind: String, Sendable { case phone, id }

/// A search in flight, identified by its generation: an answer carrying an
/// older generation is dropped, so a late reply never replaces a newer one.
public struct RunningSearch: Sendable, Equatable {
    public var generation: Int
    public var query: FindQuery
    public var started: Date
    public init(generation: Int, query: FindQuery, started: Date) {
        self.generation = generation
        self.query = query
        self.started = started
    }
}

public struct Toast: Sendable, Equatable {
    public enum Level: Sendable { case info, success, warning, error }
    public var text: String
    public var level: Level
    public var expires: Date
}

/// An error shown as one sentence, with the raw detail behind `i`. Kept as
/// what went wrong and worded when drawn, so it speaks the current language
/// (`:lang` rewords an open box).
public struct ErrorBanner: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// A call that failed; `write`: a change, worded as "not applied / unknown".
        case api(APIError), write(APIError)
        /// Input refused before anything was sent.
        case invalid(ValidationError)
        /// A catalogue sentence.
        case text(key: String, args: [String: String])
    }

    public var reason: Reason
    public var detail: String
    public var showingDetail = false

    public init(_ reason: Reason, detail: String = "") {
        self.reason = reason
        self.detail = detail
    }

    public func sentence(in c: Catalog) -> String {
        switch reason {
        case .api(let error): c.explain(error)
        case .write(let error): c.explainWrite(error)
        case .invalid(let v): c.explain(v)
        case .text(let key, let args): c.text(key, args)
        }
    }
}

/// Everything the console shows, as plain data. `update` changes it; `render` draws it.
public struct AppState: Sendable {
    // Environment
    public var size: Size
    public var theme: Theme
    public var catalog: Catalog
    public var server: String
    public var demo: Bool
    public var readOnly: Bool
    /// The day's quota: token_info's `token_limit` once read, else `configuredQuota`.
    public var quota: Int
    /// licenses × 1000 from config.toml.
    public var configuredQuota: Int
    /// The day's calls: token_info's figure plus this machine's calls since, else this machine's count.
    public var callsToday = 0
    /// Where today's calls stand: the header warns from `.warning`, a call asks first at `.exhausted`.
    public var quotaLevel: QuotaLevel { .of(calls: callsToday, quota: quota) }
    /// When the token_info figure in `callsToday` was read (nil: local count only).
    public var quotaFigureAt: Date?
    /// A request waits for a slot another wvconsole on this token holds.
    public var waitingForSlot = false
    /// A request waits for the slot of a cancelled one the server still runs
    /// (Esc, then a new search): it has not left yet.
    public var waitingForCancelled = false
    /// Why the store (journal, meter) does not answer, or nil: writes are refused meanwhile.
    public var storeProblem: String?
    public var keymap: Keymap
    public var now: Date
    public var configCampaigns: [Campaign]
    public var dncDays: Int
    /// Local time zone for recall times (fixed in tests so snapshots are stable).
    public var timeZone: TimeZone = .current

    // Panes
    public var focus: Pane = .search
    public var campaigns: [Campaign] = []
    public var campaignsLoading = true
    public var campaignsNote: String?
    public var campaignFilter: TextField?
    public var campaignCursor = 0
    public var selectedCampaign: Campaign?

    public var query = TextField()
    public var kindOverride: SearchKind?
    public var history: [String] = []
    public var historyIndex: Int?
    public var search: RunningSearch?
    public var generation = 0
    public var results = ResultsModel()
    /// The normalised phone the current results were searched by (nil for an ID search).
    public var resultsPhone: String?
    /// The operation's country code from config ("57"), for typed numbers.
    public var countryCode: String?
    public var resultsFilter: TextField?
    /// How the last search ended, worded at render time (`summaryText`).
    public var summary: SearchSummary?
    public var detailFull = false
    public var detailCursor = 0

    // Overlays
    public var toasts: [Toast] = []
    public var error: ErrorBanner?
    public var help: HelpOverlay?
    /// `:history`: recent actions from the audit log, newest first.
    public var historyLog: [HistoryLine]?
    /// The highlighted entry of `:history`, and whether Enter opened it in full.
    public var historyCursor = 0
    public var historyOpen = false
    /// Journal IDs being read back from `:history`.
    public var reconciling: Set<Int64> = []
    /// Records a change of this session left with an unknown outcome (how
    /// many such changes), until a read-back settles them: marked `?` in the
    /// table, and named when a delete is opened on them.
    public var pendingChanges: [RecordKey: Int] = [:]
    /// Changes of this session whose outcome is unknown, for the header.
    public var pendingActions = 0

    /// A change about `keys` ended with an unknown outcome.
    mutating func addPending(_ keys: [RecordKey]) {
        pendingActions += 1
        for key in Set(keys) { pendingChanges[key, default: 0] += 1 }
    }

    /// A read-back settled one change about `keys`.
    mutating func settlePending(_ keys: some Sequence<RecordKey>) {
        pendingActions = max(0, pendingActions - 1)
        for key in Set(keys) {
            let left = (pendingChanges[key] ?? 1) - 1
            pendingChanges[key] = left > 0 ? left : nil
        }
    }
    /// Why `:history` is empty when the store did not answer.
    public var historyProblem: String?
    /// The journal is the team's (PostgreSQL), so `:history` is everyone's.
    public var teamStore = false
    /// `:export` starts files with a UTF-8 BOM (`export_bom`).
    public var exportBOM = false
    /// `:export` writes cells as they came (`export_raw`), not spreadsheet-safe.
    public var exportRaw = false
    /// The breakdown overlay (`B`, `:stats`): which bar is selected.
    public var breakdown: BreakdownOverlay?
    /// The locale is not UTF-8: charts use ASCII instead of block glyphs.
    public var asciiOnly = false
    /// Per campaign: names of its opt fields, and the results table's columns (config).
    public var labels: [String: [String: String]] = [:]
    public var columns: [String: [String]] = [:]
    /// Set when the day's quota is used up and the operator was asked to confirm.
    public var overQuotaConfirmed = false
    public var commandLine: TextField?
    public var dialog: Dialog?
    public var inFlight = 0
    public var lastOutcome: String?
    public var nextActionID = 1
    public var quit = false

    public init(
        size: Size, theme: Theme = .dark, catalog: Catalog = Catalog(.en), server: String, demo: Bool = false,
        readOnly: Bool = false, quota: Int = 5000, keymap: Keymap = .default, now: Date = Date(),
        configCampaigns: [Campaign] = [], dncDays: Int = 30
    ) {
        self.size = size
        self.theme = theme
        self.catalog = catalog
        self.server = server
        self.demo = demo
        self.readOnly = readOnly
        self.quota = quota
        self.configuredQuota = quota
        self.keymap = keymap
        self.now = now
        self.configCampaigns = configCampaigns
        self.dncDays = dncDays
    }

    /// The search kind in force: the operator's override, else guessed from the text.
    public var searchKind: SearchKind {
        if let k = kindOverride { return k }
        return Self.looksLikePhone(query.value) ? .phone : .id
    }

    static func looksLikePhone(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return true }
        let digits = t.filter(\.isNumber).count
        return t.allSatisfy { $0.isNumber || " -.()+".contains($0) } && digits >= 5
    }

    /// Campaigns after the pane's `/` filter; index 0 is "All campaigns".
    public var visibleCampaigns: [Campaign?] {
        // Case and accents ignored, as in the results' filter: `sao` finds "Cobrança São Paulo".
        let f = SearchFolding.folded(campaignFilter?.value ?? "")
        let list = campaigns.filter { f.isEmpty || SearchFolding.folded($0.label).contains(f) }
        return [nil] + list
    }

    public func campaign(for id: String) -> Campaign? {
        campaigns.first { $0.id == id } ?? configCampaigns.first { $0.id == id }
    }

    public var campaignLabel: String {
        selectedCampaign?.label ?? catalog["pane.all_campaigns"]
    }
}

extension Campaign {
    /// "101 Cobranza Norte": how the console names a campaign in one line.
    var label: String { "\(id) \(name)" }
}
