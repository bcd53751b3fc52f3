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
    @Flag(help: "Look up every customer_id in the campaign first (one call per record, at most 1,000) and leave out the records that already exist: add_record would replace them.")
    public var checkExisting = false
    @OptionGroup public var bulk: BulkOptions
    public init() {}

    public static let checkExistingLimit = 1_000

    public func run() async throws {
        do {
            let ctx = bulk.dryRun && !checkExisting ? nil : try await CLIContext.make(global, mutating: !bulk.dryRun)
            let table = try CSVTable.read(URL(fileURLWithPath: file))
            var loaded = try RecordCSV.load(table)
            let name = URL(fileURLWithPath: file).lastPathComponent
            if !loaded.problems.isEmpty { printProblems(loaded.problems, file: name) }
            // Nothing is sent while rows are invalid, unless told to skip them;
            // a dry run predicts exactly that (and exits as the real run would).
            let refused = !loaded.problems.isEmpty && !bulk.skipInvalid
            if checkExisting, !refused, let ctx {
                loaded.records = try await leaveOutExisting(loaded.records, client: ctx.client)
            }
            let records = loaded.records
            let chunkCount = (records.count + WolkvoxClient.maxRecordsPerUpload - 1) / WolkvoxClient.maxRecordsPerUpload
            let jobID = BulkJob.jobID(command: "import", campaign: campaign, payload: records.map { r in NewRecord.fieldNames.map { r[$0] }.joined(separator: "\u{1F}") })
            if bulk.dryRun {
                try emitDryRun(records: records, chunkCount: chunkCount, jobID: jobID, problems: loaded.problems, refused: refused, file: name)
                return
            }
            if refused { throw invalidRows(loaded.problems.count, file: name) }
            guard let ctx else { return }
            let plan = try await BulkJob.plan(jobID: jobID, api: APIName.addRecord.rawValue, campaignID: campaign,
                                              bodies: WolkvoxClient.chunkBodies(records: records), resume: bulk.resume, ledger: ctx.ledger,
                                              policy: bulk.unconfirmedPolicy, acceptChanged: bulk.acceptChanged, ask: { askYesNo($0) })
            let skip = plan.skip, earlier = plan.alreadyConfirmed
            let progress = ProgressReporter(totalItems: records.count, chunks: chunkCount)
            let reports = try await ctx.client.addRecords(records, campaignID: campaign, campaignStatus: status, jobID: jobID, skipping: skip) { r in
                progress.chunkFinished(index: r.index, items: r.items, note: BulkSummary.describe(r.outcome))
            }
            let added = reports.reduce(0) { if case .succeeded(let n, _) = $1.outcome { return $0 + n }; return $0 }
            let summary = BulkSummary(command: "import", jobId: jobID, rows: records.count, invalidRows: loaded.problems, reports: reports,
                                      alreadyConfirmed: earlier, totals: ["total_registers": added])
            try summary.finish(json: bulk.json, headline: CLIText.text("cli.import_done", ["records": CLIText.plural("cli.n_records", added), "calls": CLIText.plural("cli.n_calls", summary.calls), "job": jobID]))
        } catch { throw report(error, command: "import", json: bulk.json) }
    }

    /// One find per record with a customer_id; those found in the campaign are
    /// listed on stderr and left out, so nothing is replaced by surprise.
    func leaveOutExisting(_ records: [NewRecord], client: WolkvoxClient) async throws -> [NewRecord] {
        let ids = records.map { $0["customer_id"] }.filter { !$0.isEmpty }
        guard ids.count <= Self.checkExistingLimit else {
            throw WolkvoxAPI.ValidationError(.records, CLIText.text("cli.check_existing_limit", ["count": CLIText.count(ids.count), "max": CLIText.count(Self.checkExistingLimit)]))
        }
        var existing = Set<String>()
        for id in Set(ids).sorted() {
            let answer = try await client.find(FindQuery(customerID: id, campaignID: campaign))
            if answer.records.contains(where: { $0.customerID == id }) { existing.insert(id) }
        }
        guard !existing.isEmpty else { return records }
        CLIOutput.error(CLIText.plural("cli.existing_left_out", existing.count, ["campaign": campaign]) + " "
                        + existing.sorted().prefix(20).map { TerminalText.sanitize($0, limit: 40) }.joined(separator: ", ")
                        + (existing.count > 20 ? " …" : ""))
        return records.filter { !existing.contains($0["customer_id"]) }
    }

    func emitDryRun(records: [NewRecord], chunkCount: Int, jobID: String, problems: [RowProblem], refused: Bool, file: String) throws {
        if bulk.json {
            // One JSON object, which also carries the refusal; the status says the rest.
            var summary = BulkSummary(dryRunOf: "import", jobId: jobID, rows: records.count, invalidRows: problems, calls: chunkCount, sendsNothing: refused)
            if refused { summary.error = JSONOutput.failure("import", invalidRows(problems.count, file: file)).error }
            JSONOutput.emit(summary)
            if refused {
                CLIOutput.error(CLIText.plural("cli.invalid_rows", problems.count, ["file": file]))
                throw ExitCode(ExitStatus.validation.rawValue)
            }
        } else if !refused {
            CLIOutput.line(CLIText.plural("cli.import_dry_run", records.count, ["campaign": campaign, "calls": CLIText.plural("cli.n_calls", chunkCount), "max": CLIText.count(WolkvoxClient.maxRecordsPerUpload)]))
            CLIOutput.line(TextTable(columns: ["customer_id", "customer_name", "customer_last_name", "tel1", "tel2"],
                                     rows: records.prefix(5).map { [$0["customer_id"], $0["customer_name"], $0["customer_last_name"], $0["tel1"], $0["tel2"]] }).render())
        }
        if refused { throw invalidRows(problems.count, file: file) }
    }
}

/// The refusal a bulk command gives when rows are invalid and `--skip-invalid` was not given.
func invalidRows(_ count: Int, file: String) -> WolkvoxAPI.ValidationError {
    WolkvoxAPI.ValidationError(.records, CLIText.plural("cli.invalid_rows", count, ["file": file]))
}
