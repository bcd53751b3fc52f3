import Foundation
import Logging

/// The API core every front end shares: validation, token gate, journal,
/// quota meter, tolerant decoding, timeouts and the retry policy live here and
/// nowhere else.
public struct WolkvoxClient: Sendable {
    public static let maxRecordsPerUpload = 10_000
    public static let maxRecordsPerDownload = 60_000

    public let endpoint: ServiceEndpoint
    public let gate: any PermitGate
    public let readOnly: Bool
    public let tokenFingerprint: String
    let builder: RequestBuilder
    let transport: any HTTPTransport
    let journal: any MutationJournal
    let meter: (any CallMeter)?
    public var timeout: Duration
    /// The service kills a request at 60 s; the client stops waiting then too.
    public static let timeLimit: Duration = .seconds(60)
    public var readRetryDelay: Duration
    public var timeZone: TimeZone
    /// The operation's country code ("57"): `+57…` numbers are sent in national form.
    public var countryCode: String?
    /// Where each call is logged (one line at info); nil logs nothing.
    public var logger: Logger?

    public init(
        endpoint: ServiceEndpoint, token: APIToken, transport: any HTTPTransport, gate: any PermitGate,
        journal: any MutationJournal, meter: (any CallMeter)? = nil, readOnly: Bool = false,
        timeout: Duration = WolkvoxClient.timeLimit, readRetryDelay: Duration = .milliseconds(500),
        timeZone: TimeZone = .current
    ) {
        self.endpoint = endpoint
        self.builder = RequestBuilder(endpoint: endpoint, token: token)
        self.tokenFingerprint = token.fingerprint
        self.transport = transport
        self.gate = gate
        self.journal = journal
        self.meter = meter
        self.readOnly = readOnly
        self.timeout = timeout
        self.readRetryDelay = readRetryDelay
        self.timeZone = timeZone
    }

    // MARK: reads

    public func campaigns() async throws -> [Campaign] {
        try await read(.campaigns, as: Campaign.self).data.filter { !$0.id.isEmpty }
    }

    public func tokenInfo() async throws -> TokenInfo? {
        try await read(.tokenInfo, as: TokenInfo.self).data.first
    }

    public func find(_ query: FindQuery) async throws -> FindAnswer {
        let valid: FindQuery
        do { valid = try query.validated(countryCode: countryCode) } catch let v as ValidationError { throw APIError.invalidInput(v) }
        let envelope = try await read(.findRecord(valid), as: CustomerRecord.self)
        return FindAnswer(
            query: valid, records: Array(envelope.data.prefix(Self.maxRecordsPerDownload)), message: envelope.msg, unreadable: envelope.skippedRows)
    }

    // MARK: writes

    public func recall(_ order: RecallOrder, now: Date = Date()) async throws -> ActionReceipt {
        var o = order
        do {
            o.campaignID = try Validate.campaignID(o.campaignID)
            o.customerID = try Validate.customerID(o.customerID)
            o.phone = try Validate.phone(o.phone, countryCode: countryCode)
            _ = try Validate.recallDate(o.when, now: now, timeZone: timeZone)
        } catch let v as ValidationError { throw APIError.invalidInput(v) }
        let (envelope, id, recorded) = try await write(.recall(o), chunk: nil, as: NoRow.self)
        return ActionReceipt(message: envelope.msg, code: envelope.code, journalID: id, outcomeRecorded: recorded)
    }

    public func remove(_ order: RemovalOrder) async throws -> ActionReceipt {
        var o = order
        do {
            o.campaignID = try Validate.campaignID(o.campaignID)
            o.customerIDs = try o.customerIDs.map(Validate.customerID)
            guard !o.customerIDs.isEmpty else { throw ValidationError(.customerID, "No customer IDs to delete.") }
            guard o.customerIDs.count <= Self.maxRecordsPerUpload else {
                throw ValidationError(.records, "At most \(Self.maxRecordsPerUpload) records can be deleted in one call.")
            }
        } catch let v as ValidationError { throw APIError.invalidInput(v) }
        let requested = o.customerIDs
        // A 202 can still mean "nothing was deleted": the journal records what the answer says.
        let (envelope, id, recorded) = try await write(.removeRecord(o), chunk: nil, as: NoRow.self) { envelope in
            let answer = RemovalAnswer.read(envelope.msg, requested: requested)
            return (answer.state, answer.totals)
        }
        return ActionReceipt(
            message: envelope.msg, code: envelope.code, journalID: id,
            removal: RemovalAnswer.read(envelope.msg, requested: requested), outcomeRecorded: recorded)
    }

    /// Validates every number first (nothing is sent if one is bad), then sends chunks of ≤ 10,000 serially.
    public func addDNC(
        _ entries: [DNCEntry], jobID: String = UUID().uuidString, skipping: Set<Int> = [],
        onChunk: @Sendable (ChunkReport<DNCTotals>) async -> Void = { _ in }
    ) async throws -> [ChunkReport<DNCTotals>] {
        let valid: [DNCEntry]
        do {
            guard !entries.isEmpty else { throw ValidationError(.phone, "No numbers to block.") }
            valid = try entries.map(validated)
        } catch let v as ValidationError { throw APIError.invalidInput(v) }
        let chunks = Self.chunked(valid)
        return try await addDNC(itemCount: valid.count, jobID: jobID, skipping: skipping, chunk: { chunks[$0.index] }, onChunk: onChunk)
    }

    /// add_dnc over chunks pulled one at a time (a bulk file streamed from
    /// disk): `chunk` is asked for each chunk to send, in order, and may
    /// throw to stop the job there (the file changed under it). Each chunk's
    /// numbers are validated before it goes; a bad one fails that chunk only.
    public func addDNC(
        itemCount: Int, jobID: String, skipping: Set<Int> = [], chunk: (JobChunk) async throws -> [DNCEntry],
        onChunk: @Sendable (ChunkReport<DNCTotals>) async -> Void = { _ in }
    ) async throws -> [ChunkReport<DNCTotals>] {
        guard itemCount > 0 else { throw APIError.invalidInput(ValidationError(.phone, "No numbers to block.")) }
        return try await sendChunks(itemCount: itemCount, jobID: jobID, skipping: skipping, items: chunk, onChunk: onChunk) { chunk in
            let valid: [DNCEntry]
            do { valid = try chunk.items.map(validated) } catch let v as ValidationError { throw APIError.invalidInput(v) }
            let (envelope, _, recorded) = try await write(.addDNC(valid), chunk: chunk.job, as: DNCTotals.self)
            return (envelope.data.first ?? DNCTotals(added: nil, rejected: nil, sent: nil), envelope.msg, recorded)
        }
    }

    func validated(_ entry: DNCEntry) throws -> DNCEntry {
        DNCEntry(telephone: try Validate.phone(entry.telephone, countryCode: countryCode), days: try Validate.daysBlock(String(entry.days)))
    }

    /// add_record in chunks of ≤ 10,000. Not idempotent: a failed chunk is reported, never retried here.
    public func addRecords(
        _ records: [NewRecord], campaignID: String, campaignStatus: String,
        jobID: String = UUID().uuidString, skipping: Set<Int> = [],
        onChunk: @Sendable (ChunkReport<Int>) async -> Void = { _ in }
    ) async throws -> [ChunkReport<Int>] {
        let chunks = Self.chunked(records)
        return try await addRecords(
            itemCount: records.count, campaignID: campaignID, campaignStatus: campaignStatus, jobID: jobID,
            skipping: skipping, chunk: { chunks[$0.index] }, onChunk: onChunk)
    }

    /// add_record over chunks pulled one at a time (a bulk file streamed from
    /// disk): `chunk` is asked for each chunk to send, in order, and may
    /// throw to stop the job there (the file changed under it).
    public func addRecords(
        itemCount: Int, campaignID: String, campaignStatus: String, jobID: String, skipping: Set<Int> = [],
        chunk: (JobChunk) async throws -> [NewRecord],
        onChunk: @Sendable (ChunkReport<Int>) async -> Void = { _ in }
    ) async throws -> [ChunkReport<Int>] {
        let campaign: String
        do {
            campaign = try Validate.campaignID(campaignID)
            guard itemCount > 0 else { throw ValidationError(.records, "No records to add.") }
        } catch let v as ValidationError { throw APIError.invalidInput(v) }
        return try await sendChunks(itemCount: itemCount, jobID: jobID, skipping: skipping, items: chunk, onChunk: onChunk) { chunk in
            let batch = AddRecordBatch(campaignID: campaign, campaignStatus: campaignStatus, records: chunk.items)
            let (envelope, _, recorded) = try await write(.addRecord(batch), chunk: chunk.job, as: RegisterTotals.self)
            return (envelope.data.first?.total ?? chunk.items.count, envelope.msg, recorded)
        }
    }

    /// The exact body each chunk of these records is sent with: a chunk's own
    /// identity, so a resume can tell an applied chunk from a changed one
    /// whatever the file's other rows did.
    public static func chunkBodies(records: [NewRecord]) -> [String] {
        chunked(records).map(chunkBody(records:))
    }

    public static func chunkBodies(dnc entries: [DNCEntry]) -> [String] {
        chunked(entries).map(chunkBody(dnc:))
    }

    /// The body one chunk is sent with (see `chunkBodies`).
    public static func chunkBody(records: [NewRecord]) -> String {
        String(decoding: RequestBuilder.jsonArray(records.map { $0.orderedPairs() }), as: UTF8.self)
    }

    public static func chunkBody(dnc entries: [DNCEntry]) -> String {
        String(decoding: RequestBuilder.jsonArray(entries.map { [("telephone", $0.telephone), ("days_block", String($0.days))] }), as: UTF8.self)
    }

    /// Splits into ≤ 10,000-item calls.
    public static func chunked<T>(_ items: [T], size: Int = maxRecordsPerUpload) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    /// How many calls `itemCount` items take, and how many items chunk `index` holds.
    public static func chunkCount(_ itemCount: Int) -> Int { (itemCount + maxRecordsPerUpload - 1) / maxRecordsPerUpload }
    public static func chunkSize(_ index: Int, of itemCount: Int) -> Int { max(0, min(maxRecordsPerUpload, itemCount - index * maxRecordsPerUpload)) }

    struct Chunk<Item> {
        var items: [Item]
        var job: JobChunk
    }

    /// The one bulk loop: chunks in order, skipped ones reported not sent, a
    /// failure that `stopsBatch` (or cancellation, or a chunk that cannot be
    /// had) leaves the rest unsent. Only the chunk being sent is held.
    private func sendChunks<Item, Totals>(
        itemCount: Int, jobID: String, skipping: Set<Int>,
        items chunkItems: (JobChunk) async throws -> [Item],
        onChunk: @Sendable (ChunkReport<Totals>) async -> Void,
        send: (Chunk<Item>) async throws -> (Totals, String, Bool)
    ) async throws -> [ChunkReport<Totals>] {
        if readOnly { throw APIError.readOnly }
        let count = Self.chunkCount(itemCount)
        var reports: [ChunkReport<Totals>] = []
        var stopped = false
        for index in 0..<count {
            var report = ChunkReport<Totals>(index: index, count: count, items: Self.chunkSize(index, of: itemCount), outcome: .notSent)
            if !stopped && !skipping.contains(index) {
                if Task.isCancelled {
                    stopped = true
                } else {
                    let job = JobChunk(jobID: jobID, index: index, count: count)
                    do {
                        let items: [Item]
                        do { items = try await chunkItems(job) } catch {
                            // The chunk could not be had (its file changed): nothing of it left.
                            stopped = true
                            throw error
                        }
                        report.items = items.count
                        let (totals, message, recorded) = try await send(Chunk(items: items, job: job))
                        report.outcome = .succeeded(totals, message: message)
                        report.outcomeRecorded = recorded
                    } catch {
                        let apiError = error as? APIError ?? .network(String(describing: error))
                        report.outcome = .failed(apiError)
                        if apiError.stopsBatch { stopped = true }
                    }
                }
            }
            reports.append(report)
            await onChunk(report)
        }
        return reports
    }
}
