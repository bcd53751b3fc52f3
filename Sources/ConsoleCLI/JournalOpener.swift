import ConsoleConfig
import Foundation
import WolkvoxAPI

/// Opens the durable journal for CLI runs. (LocalStore wiring lands with the store.)
enum JournalOpener {
    struct Opened {
        var journal: any MutationJournal
        var meter: (any CallMeter)?
        var ledger: (any ImportLedger)?
    }

    static func open(environment: [String: String]) throws -> Opened {
        Opened(journal: MemoryJournal(), meter: nil, ledger: nil)
    }
}
