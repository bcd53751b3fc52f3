import Foundation
import WolkvoxAPI

/// A bulk CSV (import, dnc import) read twice and never held: the first pass
/// (`scan`) validates every row, counts the valid ones, and gives each chunk
/// of ≤ 10,000 its identity — a digest of its rows, and, for a real run, what
/// the journal knows of its exact body; the second pass (`Feed`) rebuilds
/// the chunks one at a time to send them, checking each against its digest.
/// Memory stays about one chunk whatever the file's size.
struct BulkFile<Item> {
    var url: URL
    /// The job ID's command ("import", "dnc") and campaign ("" for DNC).
    var command: String
    var campaign: String
    /// Checks the header and returns the row validator (throws `ValidationError` for a bad row).
    var validator: ([String]) throws -> ([String: String]) throws -> Item
    /// The item's line in the job ID (as `BulkJob.jobID` always had it).
    var payload: (Item) -> String
    /// The exact body a chunk is sent with (`WolkvoxClient.chunkBody`).
    var body: ([Item]) -> String
    /// Problems kept for the report; the rest are counted.
    static var keptProblems: Int { 200 }

    var name: String { url.lastPathComponent }

    struct Scan {
        /// Valid rows that will be sent (after `keep`).
        var rows = 0
        /// The first `keptProblems` invalid rows; `problemCount` counts them all.
        var problems: [RowProblem] = []
        var problemCount = 0
        var jobID = ""
        /// Per chunk: SHA-256 of its rows' payload lines.
        var digests: [[UInt8]] = []
        /// Per chunk: earlier sends of exactly its body (only looked up with a ledger).
        var byContent: [Int: ContentMatch] = [:]
        /// The first few items, for the dry run's preview.
        var preview: [Item] = []
        var chunkCount: Int { digests.count }
    }

    /// Pass 1. `observe` sees every valid item (before `keep`); `ledger`
    /// (a real run) is asked about each chunk's body as the chunk completes,
    /// until an invalid row makes the run refuse anyway (unless `skipInvalid`).
    func scan(
        keep: (Item) -> Bool = { _ in true }, observe: (Item) -> Void = { _ in },
        ledger: (any ImportLedger)? = nil, api: String = "", campaignID: String? = nil, skipInvalid: Bool = false
    ) async throws -> Scan {
        let rows = try CSVRowStream(url: url)
        let validate = try validator(rows.header)
        var scan = Scan()
        var job = BulkJob.JobHasher(command: command, campaign: campaign, file: name)
        var chunk = ChunkBuilder<Item>(keepItems: ledger != nil)
        func finish() async throws {
            let (digest, items) = chunk.finish()
            let index = scan.digests.count
            scan.digests.append(digest)
            if let ledger, skipInvalid || scan.problemCount == 0,
                let match = try await ledger.contentStates(api: api, campaignID: campaignID, bodies: [body(items)])[0]
            {
                scan.byContent[index] = match
            }
        }
        while let row = try rows.next() {
            let item: Item
            do { item = try validate(row.fields) } catch let e as ValidationError {
                scan.problemCount += 1
                if scan.problems.count < Self.keptProblems { scan.problems.append(RowProblem(line: row.line, message: e.message)) }
                continue
            }
            observe(item)
            guard keep(item) else { continue }
            scan.rows += 1
            let line = payload(item)
            job.add(line)
            chunk.add(item, line: line)
            if scan.preview.count < 5 { scan.preview.append(item) }
            if chunk.count == WolkvoxClient.maxRecordsPerUpload { try await finish() }
            if scan.rows % 4096 == 0 { try Task.checkCancellation() }
        }
        if chunk.count > 0 { try await finish() }
        scan.jobID = job.jobID
        return scan
    }

    /// Pass 2: the chunks again, in order, each checked against its pass-1
    /// digest — a file edited between the passes stops the job rather than
    /// send chunks the plan did not decide on.
    final class Feed {
        private let rows: CSVRowStream
        private let validate: ([String: String]) throws -> Item
        private let keep: (Item) -> Bool
        private let payload: (Item) -> String
        private let digests: [[UInt8]]
        private let name: String
        private var next = 0

        init(_ file: BulkFile, scan: Scan, keep: @escaping (Item) -> Bool = { _ in true }) throws {
            rows = try CSVRowStream(url: file.url)
            validate = try file.validator(rows.header)
            self.keep = keep
            payload = file.payload
            digests = scan.digests
            name = file.name
        }

        /// Chunk `index`'s items; chunks before it (skipped) are read past.
        func chunk(_ index: Int) throws -> [Item] {
            precondition(index >= next, "chunks are read in order")
            while next < index {
                _ = try read(next, keepItems: false)
                next += 1
            }
            let items = try read(index, keepItems: true)
            next = index + 1
            return items
        }

        private func read(_ index: Int, keepItems: Bool) throws -> [Item] {
            var chunk = ChunkBuilder<Item>(keepItems: keepItems)
            do {
                while chunk.count < WolkvoxClient.maxRecordsPerUpload, let row = try rows.next() {
                    guard let item = try? validate(row.fields), keep(item) else { continue }
                    chunk.add(item, line: payload(item))
                }
            } catch let e as CSVTable.ReadError {
                throw changed(index, e.description)
            }
            let count = chunk.count
            let (digest, items) = chunk.finish()
            guard index < digests.count, count > 0, digest == digests[index] else { throw changed(index, nil) }
            return items
        }

        private func changed(_ index: Int, _ detail: String?) -> APIError {
            .invalidInput(
                ValidationError(
                    .records,
                    CLIText.text("cli.file_changed", ["file": name, "chunk": String(index + 1)])
                        + (detail.map { " (\($0))" } ?? "")))
        }
    }
}

/// One chunk's rows as they come: their digest, and the items when wanted.
struct ChunkBuilder<Item> {
    private var hasher = SHA256.Hasher()
    private var items: [Item] = []
    private let keepItems: Bool
    private(set) var count = 0

    init(keepItems: Bool) {
        self.keepItems = keepItems
        if keepItems { items.reserveCapacity(WolkvoxClient.maxRecordsPerUpload) }
    }

    mutating func add(_ item: Item, line: String) {
        hasher.update(line)
        hasher.update([0x0A])
        if keepItems { items.append(item) }
        count += 1
    }

    /// The digest and items, and a fresh start for the next chunk.
    mutating func finish() -> ([UInt8], [Item]) {
        let done = (hasher.finalize(), items)
        self = ChunkBuilder(keepItems: keepItems)
        return done
    }
}

extension BulkFile where Item == NewRecord {
    static func records(_ url: URL, campaign: String) -> BulkFile {
        BulkFile(
            url: url, command: "import", campaign: campaign,
            validator: { header in
                try RecordCSV.checkHeader(header)
                return RecordCSV.record
            },
            payload: { r in NewRecord.fieldNames.map { r[$0] }.joined(separator: "\u{1F}") },
            body: WolkvoxClient.chunkBody(records:))
    }
}

extension BulkFile where Item == DNCEntry {
    static func dnc(_ url: URL, defaultDays: Int, countryCode: String?) -> BulkFile {
        BulkFile(
            url: url, command: "dnc", campaign: "",
            validator: { header in
                let columns = try DNCCSV.Columns(header)
                return { try DNCCSV.entry($0, columns: columns, defaultDays: defaultDays, countryCode: countryCode) }
            },
            payload: { "\($0.telephone),\($0.days)" },
            body: WolkvoxClient.chunkBody(dnc:))
    }
}
