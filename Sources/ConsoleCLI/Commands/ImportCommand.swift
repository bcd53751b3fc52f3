import ArgumentParser
import Foundation
import Messages
import WolkvoxAPI

/// `wvconsole import FILE.csv --campaign C`: add_record in chunks of ≤ 10,000.
public struct ImportCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: CLIText["cli.abstract.import"])
    @OptionGroup public var global: GlobalOptions
    @Argument(help: "CSV file, UTF-8 (BOM allowed), header row of field names such as customer_id, customer_name, tel1.") public var file: String
    @Option(help: "Campaign ID.") public var campaign: String
    @Option(help: "The campaign's current status as Wolkvox reports it (default: Started).") public var status = "Started"
    @Flag(
        help:
            "Look up every customer_id in the campaign first (one call per record, at most 1,000) and leave out the records that already exist: add_record would replace them."
    )
    public var checkExisting = false
    @OptionGroup public var bulk: BulkOptions
    public init() {}

    public static let checkExistingLimit = 1_000

    public func run() async throws {
        do {
            let ctx = bulk.dryRun && !checkExisting ? nil : try await CLIContext.make(global, mutating: !bulk.dryRun)
            let url = URL(fileURLWithPath: file)
            let name = url.lastPathComponent
            let source = BulkFile<NewRecord>.records(url, campaign: campaign)
            // Pass 1: every row validated, chunks known by content; nothing held
            // but one chunk. --check-existing needs the IDs first, so its
            // chunks are drawn up in a second look once the existing are known.
            let ledger = bulk.dryRun ? nil : ctx?.ledger
            var ids = IDCollector(limit: Self.checkExistingLimit)
            var scan = try await source.scan(
                observe: { if checkExisting { ids.add($0["customer_id"]) } },
                ledger: checkExisting ? nil : ledger, api: APIName.addRecord.rawValue, campaignID: campaign,
                skipInvalid: bulk.skipInvalid)
            if scan.problemCount > 0 { printProblems(scan.problems, total: scan.problemCount, file: name) }
            // Nothing is sent while rows are invalid, unless told to skip them;
            // a dry run predicts exactly that (and exits as the real run would).
            let refused = scan.problemCount > 0 && !bulk.skipInvalid
            var existing = Set<String>()
            var lookups: Int?
            if checkExisting, !refused, let ctx {
                try await ctx.requireQuota()
                existing = try await findExisting(ids, client: ctx.client)
                lookups = min(ids.count, Self.checkExistingLimit)
                if !existing.isEmpty || ledger != nil {
                    scan = try await source.scan(
                        keep: { !existing.contains($0["customer_id"]) }, ledger: ledger,
                        api: APIName.addRecord.rawValue, campaignID: campaign, skipInvalid: bulk.skipInvalid)
                }
            }
            let jobID = scan.jobID
            if bulk.dryRun {
                try emitDryRun(scan, refused: refused, file: name, lookups: lookups, leftOut: existing.count)
                return
            }
            if refused { throw invalidRows(scan.problemCount, file: name) }
            guard let ctx else { return }
            let plan = try await BulkJob.plan(
                jobID: jobID, api: APIName.addRecord.rawValue, campaignID: campaign, chunkCount: scan.chunkCount,
                byContent: scan.byContent, resume: bulk.resume, ledger: ctx.ledger,
                policy: bulk.unconfirmedPolicy, acceptChanged: bulk.acceptChanged, ask: { askYesNo($0) })
            // Pass 2: the chunks rebuilt one at a time, each checked against pass 1.
            let feed = try BulkFile.Feed(source, scan: scan, keep: { !existing.contains($0["customer_id"]) })
            let progress = ProgressReporter(totalItems: scan.rows, chunks: scan.chunkCount)
            let reports = try await ctx.client.addRecords(
                itemCount: scan.rows, campaignID: campaign, campaignStatus: status, jobID: jobID,
                skipping: plan.skip, chunk: {
                    try await ctx.requireQuotaForChunk()
                    return try feed.chunk($0.index)
                }
            ) { r in
                progress.chunkFinished(r, plan: plan)
            }
            let added = reports.reduce(0) {
                if case .succeeded(let n, _) = $1.outcome { return $0 + n }
                return $0
            }
            let summary = BulkSummary(
                command: "import", jobId: jobID, rows: scan.rows, invalidRows: scan.problems, invalidRowCount: scan.problemCount,
                reports: reports, plan: plan, totals: ["total_registers": added])
            try summary.finish(
                json: bulk.json,
                headline: CLIText.text(
                    "cli.import_done", ["records": CLIText.plural("cli.n_records", added), "calls": CLIText.plural("cli.n_calls", summary.calls), "job": jobID])
            )
        } catch { throw report(error, command: "import", json: bulk.json) }
    }

    /// The customer IDs of the valid rows, as pass 1 sees them: counted all,
    /// kept only up to the limit (past it the run is refused anyway).
    struct IDCollector {
        let limit: Int
        var count = 0
        var ids = Set<String>()
        mutating func add(_ id: String) {
            guard !id.isEmpty else { return }
            count += 1
            if count <= limit { ids.insert(id) }
        }
    }

    /// One find per customer ID; those found in the campaign are listed on
    /// stderr and left out, so nothing is replaced by surprise.
    func findExisting(_ ids: IDCollector, client: WolkvoxClient) async throws -> Set<String> {
        guard ids.count <= Self.checkExistingLimit else {
            throw WolkvoxAPI.ValidationError(
                .records, CLIText.text("cli.check_existing_limit", ["count": CLIText.count(ids.count), "max": CLIText.count(Self.checkExistingLimit)]))
        }
        var existing = Set<String>()
        for id in ids.ids.sorted() {
            let answer = try await client.find(FindQuery(customerID: id, campaignID: campaign))
            if answer.records.contains(where: { $0.customerID == id }) { existing.insert(id) }
        }
        guard !existing.isEmpty else { return existing }
        CLIOutput.error(
            CLIText.plural("cli.existing_left_out", existing.count, ["campaign": campaign]) + " "
                + existing.sorted().prefix(20).map { TerminalText.sanitize($0, limit: 40) }.joined(separator: ", ")
                + (existing.count > 20 ? " …" : ""))
        return existing
    }

    /// `lookups`: the find_record calls --check-existing spent (a dry run
    /// sends no change, but those calls were made and are said).
    func emitDryRun(_ scan: BulkFile<NewRecord>.Scan, refused: Bool, file: String, lookups: Int? = nil, leftOut: Int = 0) throws {
        if bulk.json {
            try BulkSummary.emitDryRun("import", scan, refused: refused, file: file, lookupCalls: lookups)
        } else if !refused {
            let figures = [
                "campaign": campaign, "calls": CLIText.plural("cli.n_calls", scan.chunkCount), "max": CLIText.count(WolkvoxClient.maxRecordsPerUpload),
            ]
            if let lookups {
                CLIOutput.line(
                    CLIText.plural("cli.import_dry_run_checked", scan.rows, figures.merging(["lookups": CLIText.plural("cli.n_calls", lookups), "left": CLIText.count(leftOut)]) { a, _ in a }))
            } else {
                CLIOutput.line(CLIText.plural("cli.import_dry_run", scan.rows, figures))
            }
            CLIOutput.line(
                TextTable(
                    columns: ["customer_id", "customer_name", "customer_last_name", "tel1", "tel2"],
                    rows: scan.preview.map { [$0["customer_id"], $0["customer_name"], $0["customer_last_name"], $0["tel1"], $0["tel2"]] }
                ).render())
        }
        if refused { throw invalidRows(scan.problemCount, file: file) }
    }
}

/// The refusal a bulk command gives when rows are invalid and `--skip-invalid` was not given.
func invalidRows(_ count: Int, file: String) -> WolkvoxAPI.ValidationError {
    WolkvoxAPI.ValidationError(.records, CLIText.plural("cli.invalid_rows", count, ["file": file]))
}
