import Foundation

/// find_record's answer.
public struct FindAnswer: Sendable, Equatable {
    public var query: FindQuery
    public var records: [CustomerRecord]
    public var message: String
    /// Elements of the answer's `data` that were not records (null, a
    /// number, a list): left out, and counted so the operator is told.
    public var unreadable: Int
    public init(query: FindQuery, records: [CustomerRecord], message: String, unreadable: Int = 0) {
        self.query = query
        self.records = records
        self.message = message
        self.unreadable = unreadable
    }

    /// The service returns at most 60,000 rows: an answer that size may be cut,
    /// and the operator must be told rather than shown a silent subset.
    public var atCap: Bool { records.count >= WolkvoxClient.maxRecordsPerDownload }
}

/// A write that the service answered with success.
public struct ActionReceipt: Sendable, Equatable {
    public var message: String
    public var code: Int?
    public var journalID: Int64
    /// For remove_record: which of the requested records the answer names as deleted.
    public var removal: RemovalAnswer?
    /// False when the answer came but its outcome could not be written to the
    /// journal (a full disk): the change happened, the record of it did not.
    public var outcomeRecorded: Bool
    public init(message: String, code: Int?, journalID: Int64, removal: RemovalAnswer? = nil, outcomeRecorded: Bool = true) {
        self.message = message
        self.code = code
        self.journalID = journalID
        self.removal = removal
        self.outcomeRecorded = outcomeRecorded
    }
}

/// One chunk of a bulk write and what became of it.
public struct ChunkReport<Totals: Sendable & Equatable>: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case succeeded(Totals, message: String)
        case failed(APIError)
        /// Not sent: skipped on resume, or an earlier chunk stopped the job.
        case notSent
    }
    public var index: Int
    public var count: Int
    public var items: Int
    public var outcome: Outcome
    /// False when the chunk's answer could not be written to the journal.
    public var outcomeRecorded = true
    public init(index: Int, count: Int, items: Int, outcome: Outcome) {
        self.index = index
        self.count = count
        self.items = items
        self.outcome = outcome
    }
}
