import Foundation
import LocalStore
import TUIKit
import WolkvoxAPI

/// Inputs to `update`: keys, and the results of effects (each carrying the
/// identity of what it answers).
public enum Action: Sendable {
    case key(Key)
    case resize(Size)
    case tick(Date)
    case campaignsLoaded(Result<[Campaign], APIError>)
    case searchFinished(generation: Int, Result<FindAnswer, APIError>, seconds: Double)
    case actionFinished(id: Int, ActionResult)
    case historyLoaded(campaignID: String, [String])
    /// The meter (this machine's calls, token_info's figure), read from the store.
    case meter(MeterReading)
    /// A token_info ask and its answer; `onDemand` for `:quota` (start-up asks are silent unless they fail).
    case quotaChecked(QuotaRefresher.Outcome, onDemand: Bool)
    /// A request waits (true) or no longer waits (false) for a slot another wvconsole holds.
    case waitingForSlot(Bool)
    /// A request waits (true) or no longer waits (false) for the slot of a cancelled request the server still runs.
    case waitingForCancelled(Bool)
    /// The store stopped answering (why), or answers again (nil): the status line says so and writes are refused meanwhile.
    case storeProblem(String?)
    /// The team gate is unreachable (why) and requests use the machine-wide one, or it is back (nil).
    case gateFallback(String?)
    case themeLoaded(Result<Theme, ThemeFailure>)
    /// Recent journaled actions for `:history`, already formatted as lines;
    /// or why the store could not give them.
    case historyLog(Result<[HistoryLine], HistoryFailure>)
    /// Where `:export` wrote, and how many records; or why it did not.
    case exported(Result<ExportDone, ExportFailure>)
    /// What the add dialog's look-up found under the new record's customer ID.
    case existingChecked(id: Int, Result<[CustomerRecord], APIError>)
    /// A read-back of a change whose outcome was unknown (`Effect.checkOutcome`).
    case outcomeChecked(id: Int, Result<Reconciliation, APIError>)
    /// A read-back of a journal entry asked from `:history` (`Effect.reconcileEntry`).
    case entryReconciled(Int64, Result<Reconciliation, APIError>)
}

public struct ExportDone: Sendable, Equatable {
    public var path: String
    public var count: Int
}

public enum ExportFailure: Error, Sendable, Equatable {
    /// The file is there and `:export!` was not used.
    case exists(String)
    case failed(path: String, reason: String)
}

public struct HistoryFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ m: String) { message = m }
}

public struct ThemeFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ m: String) { message = m }
}

/// What a write came back with.
public enum ActionResult: Sendable {
    case recalled(ActionReceipt, RecordKey)
    case removed(ActionReceipt, Set<RecordKey>)
    case blocked([ChunkReport<DNCTotals>])
    case added([ChunkReport<Int>])
    case failed(APIError)
}

/// Work `update` asks for; the runner performs it off the UI path.
public enum Effect: Sendable, Equatable {
    case loadCampaigns
    case search(generation: Int, FindQuery)
    case cancelSearch(generation: Int)
    case recall(id: Int, RecallOrder)
    case remove(id: Int, RemovalOrder)
    case addDNC(id: Int, [DNCEntry])
    case addRecords(id: Int, [NewRecord], campaignID: String, status: String)
    /// One find by customer ID in the campaign, before an add that could replace a record.
    case checkExisting(id: Int, customerID: String, campaignID: String)
    /// Reads a change back from the server (find_record only, never a
    /// write) and resolves its journal entry when the answer settles it.
    case checkOutcome(id: Int, APICall)
    /// `c` on an unconfirmed entry of `:history`: the same read-back, by journal ID.
    case reconcileEntry(Int64)
    case rememberSearch(campaignID: String, kind: String, text: String)
    case loadHistory(campaignID: String)
    case copy(String)
    case loadTheme(String)
    case loadHistoryLog
    /// `:export`: the records shown, as CSV, to `path` (replacing a file only when told).
    case export(path: String, [CustomerRecord], bom: Bool, raw: Bool = false, overwrite: Bool)
    /// `:quota`: token_info, unless it was asked less than 5 minutes ago.
    case checkQuota
    case redraw
    case quit
}

/// One journaled action for the `:history` overlay; words are chosen at
/// render time so `:lang` applies to them too.
public struct HistoryLine: Sendable, Equatable {
    public var time: String
    public var api: String
    public var campaign: String
    public var items: Int
    /// The recorded outcome; nil while unconfirmed.
    public var outcome: String?
    /// Someone checked an unconfirmed action by hand (`audit --resolve`).
    public var resolved: Bool
    public var message: String
    /// Who acted (the operator; with a team store, any of the team).
    public var operatorName: String
    /// The journal entry's ID (what `c` reconciles).
    public var id: Int64
    /// The resolution note, when someone checked it (a read-back's evidence).
    public var resolution: String

    /// Sent, and nobody knows yet whether it applied: shown first, and `c` reads it back.
    public var pending: Bool { (outcome == nil || outcome == "unknown") && !resolved }

    public init(
        time: String, api: String, campaign: String, items: Int, outcome: String?, resolved: Bool, message: String,
        operatorName: String = "", id: Int64 = 0, resolution: String = ""
    ) {
        self.id = id
        self.resolution = resolution
        self.time = time
        self.api = api
        self.campaign = campaign
        self.items = items
        self.outcome = outcome
        self.resolved = resolved
        self.message = message
        self.operatorName = operatorName
    }
}
