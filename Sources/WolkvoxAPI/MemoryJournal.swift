/// An in-memory journal, for tests and for tools that have no disk (it is not
/// durable: the console and CLI use LocalStore's outbox instead).
public actor MemoryJournal: MutationJournal {
    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var intent: MutationIntent
        public var outcome: MutationOutcome?
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public func recordIntent(_ intent: MutationIntent) async throws -> Int64 {
        let id = Int64(entries.count + 1)
        entries.append(Entry(id: id, intent: intent, outcome: nil))
        return id
    }

    public func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return }
        entries[index].outcome = outcome
    }
}

/// The journal to use when the durable one cannot be opened: reads still
/// work, but every write is refused, because it could not be journaled.
public struct UnavailableJournal: MutationJournal {
    public struct Unavailable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "local journal unavailable: \(reason)" }
    }
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public func recordIntent(_ intent: MutationIntent) async throws -> Int64 { throw Unavailable(reason: reason) }
    public func recordOutcome(_ id: Int64, _ outcome: MutationOutcome) async throws {}
}
