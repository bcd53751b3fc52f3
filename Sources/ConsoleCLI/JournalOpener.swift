import ConsoleConfig
import Foundation
import LocalStore
import WolkvoxAPI

/// Opens the durable journal (LocalStore) for CLI runs. If it cannot be
/// opened, writes are impossible (the client refuses to send an action it
/// cannot journal) but reads still work.
enum JournalOpener {
    struct Opened {
        var journal: any MutationJournal
        var meter: (any CallMeter)?
        var ledger: (any ImportLedger)?
        var store: ConsoleStore?
    }

    static func open(environment: [String: String]) throws -> Opened {
        do {
            let store = try ConsoleStore(path: ConsoleStore.defaultPath(environment: environment))
            return Opened(journal: store, meter: store, ledger: StoreLedger(store: store), store: store)
        } catch {
            return Opened(journal: UnavailableJournal(reason: "\(error)"), meter: nil, ledger: nil, store: nil)
        }
    }
}

/// Resume decisions from the outbox.
struct StoreLedger: ImportLedger {
    let store: ConsoleStore
    func chunkStates(jobID: String) async throws -> [Int: ChunkState] {
        try store.chunkStates(forJob: jobID).mapValues(Self.state)
    }

    func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch] {
        try store.contentStates(api: api, campaignID: campaignID, bodies: bodies).mapValues { ContentMatch(state: Self.state($0.state), ids: $0.ids) }
    }

    func unfinishedJobs(api: String, campaignID: String?) async throws -> [LedgerJob] {
        try store.unfinishedJobs(api: api, campaignID: campaignID)
    }

    static func state(_ s: StoredChunkState) -> ChunkState {
        switch s {
        case .confirmed: .confirmed
        case .unconfirmed: .unconfirmed
        case .failed: .failed
        }
    }
}
