import ConsoleConfig
import Foundation
import LocalStore
import TeamStore
import WolkvoxAPI

/// Opens the durable journal (the local SQLite store, or the team's
/// PostgreSQL store when `store` names one) for CLI runs. If it cannot be
/// opened, writes are impossible (the client refuses to send an action it
/// cannot journal) but reads still work, and stderr says why in one line.
enum JournalOpener {
    struct Opened {
        var opened: OpenedStore
        var journal: any MutationJournal { opened.journal }
        var meter: (any CallMeter)? { opened.store }
        var ledger: (any ImportLedger)? { opened.store.map { StoreLedger(store: $0) } }
        var store: (any OperationStore)? { opened.store }
    }

    /// A command that would change data (`mutating`) is refused here, in
    /// one line, when the store cannot take its intent; a read goes on and
    /// says once that the team store is missing.
    static func open(_ config: AppConfig, environment: [String: String], mutating: Bool) async throws -> Opened {
        let opened = await StoreOpener.open(config, localPath: AppPaths.from(environment: environment).databaseFile, environment: environment)
        if let problem = opened.problem, case .postgres = config.store {
            if mutating {
                opened.close()
                throw APIError.journalUnavailable(problem)
            }
            let key = opened.unreachable ? "cli.team_store_problem" : "cli.team_store_refused"
            CLIOutput.error(CLIText.text(key, ["problem": TerminalText.sanitize(problem, limit: 300)]))
        }
        return Opened(opened: opened)
    }
}

/// Resume decisions from the outbox.
struct StoreLedger: ImportLedger {
    let store: any OperationStore
    func chunkStates(jobID: String) async throws -> [Int: ChunkState] {
        try await store.chunkStates(forJob: jobID)
    }

    func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch] {
        try await store.contentStates(api: api, campaignID: campaignID, bodies: bodies).mapValues { ContentMatch(state: $0.state, ids: $0.ids) }
    }

    func unfinishedJobs(api: String, campaignID: String?) async throws -> [LedgerJob] {
        try await store.unfinishedJobs(api: api, campaignID: campaignID)
    }
}
