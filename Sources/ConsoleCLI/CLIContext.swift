import ConsoleConfig
import Logging
import Foundation
import LocalStore
import Messages
import Synchronization
import WolkvoxAPI

/// An earlier send whose body is exactly one of this run's chunks.
public struct ContentMatch: Sendable, Equatable {
    public var state: ChunkState
    /// Journal ids of the matching sends.
    public var ids: [Int64]
    public init(state: ChunkState, ids: [Int64]) {
        self.state = state
        self.ids = ids
    }
}

/// A job with chunks sent but never confirmed: the store's own record of it.
public typealias LedgerJob = UnfinishedJob

/// The journal's view of past chunks — by job, and by each chunk's own
/// content. LocalStore's outbox implements it.
public protocol ImportLedger: Sendable {
    func chunkStates(jobID: String) async throws -> [Int: ChunkState]
    /// For each body (by index): what became of earlier sends of exactly it.
    func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch]
    /// Jobs of this api and campaign that still have unconfirmed chunks.
    func unfinishedJobs(api: String, campaignID: String?) async throws -> [LedgerJob]
}

extension ImportLedger {
    public func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch] { [:] }
    public func unfinishedJobs(api: String, campaignID: String?) async throws -> [LedgerJob] { [] }
}

/// Everything a subcommand needs: config, the API client and the durable
/// journal. Built once per run; the same machine-wide gate serves every call.
public struct CLIContext: Sendable {
    public var config: AppConfig
    public var client: WolkvoxClient
    public var ledger: (any ImportLedger)?
    /// The store (journal, meter: local SQLite or the team's PostgreSQL), when it could be opened.
    public var store: (any OperationStore)?

    public init(config: AppConfig, client: WolkvoxClient, ledger: (any ImportLedger)?, store: (any OperationStore)? = nil) {
        self.config = config
        self.client = client
        self.ledger = ledger
        self.store = store
    }

    /// Opens the durable journal (LocalStore) and builds the client on it.
    /// A command that would change data (`mutating`) is refused here under
    /// read-only, before it reads a file or asks anything; the client refuses
    /// again at the send, whatever the caller.
    public static func make(
        _ global: GlobalOptions, mutating: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> CLIContext {
        let config = try global.loadConfig(environment: environment)
        if mutating && config.readOnly { throw APIError.readOnly }
        let journal = try await JournalOpener.open(config, environment: environment, mutating: mutating)
        Logger(label: "wvconsole.cli").info(
            "command start",
            metadata: [
                "server": "\(config.server ?? "-")", "read_only": "\(config.readOnly)", "journal": "\(journal.store?.summary ?? "unavailable")",
            ])
        let client = try config.makeClient(
            gate: try journal.opened.gate(config: config, environment: environment),
            journal: journal.journal, meter: journal.meter, environment: environment)
        SlotWaitNotice.install(on: client.gate)
        // A store already said to be down has said what follows for the gate too: one line, not two.
        let storeSaid = journal.opened.problem != nil
        client.gate.observeFallback { reason in
            if let reason, !storeSaid {
                CLIOutput.error(CLIText.text("cli.team_gate_fallback", ["problem": TerminalText.sanitize(reason, limit: 300)]))
            }
        }
        var context = CLIContext(config: config, client: client, ledger: journal.ledger, store: journal.store)
        context.overQuota = global.overQuota
        return context
    }

    /// `requireQuota` before a bulk job's chunk: a refusal is that chunk's
    /// failure (not sent, the job stops and says so in its summary).
    public func requireQuotaForChunk() async throws {
        do { try await requireQuota() } catch let refusal as QuotaRefusal {
            throw APIError.notSent(.dailyQuotaExceeded(ErrorDetail(status: nil, serverMessage: refusal.english)))
        }
    }

    /// Before a single change (recall, delete, dnc add): an identical change
    /// sent earlier whose outcome is unknown may already be applied, so it is
    /// not sent again without a decision — `--resend-unconfirmed`, or yes to
    /// the question on a terminal; otherwise the run stops (exit 1) and says
    /// how to check it.
    public func guardUnconfirmed(_ call: APICall, resend: Bool, json: Bool) async throws {
        guard !resend, let store, let earlier = try? await store.newestUnconfirmed(call, client: client) else { return }
        let text = CLIText.text(
            "cli.same_unconfirmed", ["api": call.api.rawValue, "id": String(earlier.id), "when": earlier.createdAt.replacingOccurrences(of: "T", with: " ")])
        if !json && isatty(STDIN_FILENO) == 1 {
            if askYesNo(text + " " + CLIText["cli.same_unconfirmed_question"]) { return }
            throw BulkJobError(CLIText["cli.same_unconfirmed_stopped"])
        }
        throw BulkJobError(text + " " + CLIText["cli.same_unconfirmed_flag"])
    }

    /// `--over-quota`: spend calls although the day's quota is used up.
    public var overQuota = false

    /// The quota rule of the CLI, before a command spends a call (and before
    /// each chunk of a bulk job): the day's use is the meter's (token_info's
    /// figure plus the calls since, never below this machine's own count).
    /// From 80 % one warning line on stderr per run; from 100 % the command
    /// is refused (exit 4, kind `quota`) unless `--over-quota` is given. A
    /// store that cannot be read leaves the decision to the service.
    public func requireQuota() async throws {
        guard let store, let reading = try? await store.meterReading(server: config.server ?? "", fingerprint: client.tokenFingerprint) else { return }
        let limit = reading.limit(or: config.dailyQuota)
        let level = QuotaLevel.of(calls: reading.used, quota: limit)
        guard level != .ok else { return }
        let figures = ["used": CLIText.catalog.number(reading.used), "quota": CLIText.catalog.number(limit)]
        if level == .exhausted && !overQuota { throw QuotaRefusal(used: reading.used, quota: limit) }
        if QuotaRefusal.warned.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
            CLIOutput.error(CLIText.text(level == .exhausted ? "cli.quota_over" : "cli.quota_warning", figures))
        }
    }
}

/// A command refused because the day's quota is used up (exit 4, kind `quota`).
public struct QuotaRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var used: Int
    public var quota: Int
    static let warned = Atomic<Bool>(false)

    public var description: String {
        CLIText.text("cli.quota_refused", ["used": CLIText.catalog.number(used), "quota": CLIText.catalog.number(quota)])
    }

    /// In English, for `--json`.
    public var english: String {
        let c = Catalog.shared(.en)
        return c.text("cli.quota_refused", ["used": c.number(used), "quota": c.number(quota)])
    }
}

/// Says once on stderr, after 1 s, that a request waits for a slot another
/// wvconsole on this token holds: a script that seems stuck says why.
/// Ctrl-C still ends the wait (the request was never sent).
final class SlotWaitNotice: @unchecked Sendable {
    static let delay: Duration = .seconds(1)
    private let lock = NSLock()
    private var said = false
    private var timer: Task<Void, Never>?
    let limit: Int

    init(limit: Int) { self.limit = limit }

    static func install(on gate: any PermitGate) {
        let notice = SlotWaitNotice(limit: gate.limit)
        gate.observeOutsideWait { notice.waiting($0) }
    }

    func waiting(_ waiting: Bool) {
        lock.withLock {
            timer?.cancel()
            timer = nil
            guard waiting, !said else { return }
            timer = Task {
                try? await Task.sleep(for: Self.delay)
                if !Task.isCancelled { self.say() }
            }
        }
    }

    private func say() {
        let first: Bool = lock.withLock {
            defer { said = true }
            return !said
        }
        if first { CLIOutput.error(CLIText.text("cli.waiting_slot", ["limit": String(limit)])) }
    }
}
