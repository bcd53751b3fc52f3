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
    @OptionGroup public var bulk: BulkOptions
    public init() {}

    public func run() async throws {
        do {
            let table = try CSVTable.read(URL(fileURLWithPath: file))
            let loaded = try RecordCSV.load(table)
            let name = URL(fileURLWithPath: file).lastPathComponent
            if !loaded.problems.isEmpty {
                printProblems(loaded.problems, file: name)
                if !bulk.skipInvalid && !bulk.dryRun {
                    throw WolkvoxAPI.ValidationError(.records, "\(loaded.problems.count) invalid row(s) in \(name); nothing was sent. Fix them or use --skip-invalid.")
                }
            }
            let records = loaded.records
            let chunkCount = (records.count + WolkvoxClient.maxRecordsPerUpload - 1) / WolkvoxClient.maxRecordsPerUpload
            let jobID = BulkJob.jobID(command: "import", campaign: campaign, payload: records.map { r in NewRecord.fieldNames.map { r[$0] }.joined(separator: "\u{1F}") })
            if bulk.dryRun {
                emitDryRun(records: records, chunkCount: chunkCount, jobID: jobID, problems: loaded.problems)
                return
            }
            let ctx = try await CLIContext.make(global)
            let skip = try await BulkJob.chunksToSkip(jobID: jobID, chunkCount: chunkCount, resume: bulk.resume, ledger: ctx.ledger,
                                                      policy: bulk.unconfirmedPolicy, ask: { askYesNo($0) })
            let progress = ProgressReporter(totalItems: records.count, chunks: chunkCount)
            let reports = try await ctx.client.addRecords(records, campaignID: campaign, campaignStatus: status, jobID: jobID, skipping: skip) { r in
                progress.chunkFinished(index: r.index, items: r.items, note: Self.describe(r.outcome))
            }
            let summary = BulkSummary(
                ok: !reports.contains { if case .failed = $0.outcome { return true }; return false },
                command: "import", jobId: jobID, dryRun: false, rows: records.count, invalidRows: loaded.problems,
                calls: reports.filter { if case .notSent = $0.outcome { return false }; return true }.count,
                chunks: reports.map { .init(index: $0.index + 1, items: $0.items, status: Self.status($0.outcome), message: Self.describe($0.outcome)) },
                totals: ["total_registers": reports.reduce(0) { if case .succeeded(let n, _) = $1.outcome { return $0 + n }; return $0 }])
            finish(summary)
        } catch { throw report(error, command: "import", json: bulk.json) }
    }

    func emitDryRun(records: [NewRecord], chunkCount: Int, jobID: String, problems: [RowProblem]) {
        if bulk.json {
            JSONOutput.emit(BulkSummary(ok: true, command: "import", jobId: jobID, dryRun: true, rows: records.count, invalidRows: problems,
                                        calls: chunkCount, chunks: [], totals: [:]))
            return
        }
        CLIOutput.line(CLIText.text("cli.import_dry_run", ["count": String(records.count), "campaign": campaign, "calls": String(chunkCount), "max": String(WolkvoxClient.maxRecordsPerUpload)]))
        CLIOutput.line(TextTable(columns: ["customer_id", "customer_name", "customer_last_name", "tel1", "tel2"],
                                 rows: records.prefix(5).map { [$0["customer_id"], $0["customer_name"], $0["customer_last_name"], $0["tel1"], $0["tel2"]] }).render())
    }

    func finish(_ summary: BulkSummary) {
        if bulk.json { JSONOutput.emit(summary) } else {
            CLIOutput.line(CLIText[summary.ok ? "cli.ok" : "cli.incomplete"] + ": " + CLIText.text("cli.import_done", ["count": String((summary.totals["total_registers"] ?? nil) ?? 0), "calls": String(summary.calls), "job": summary.jobId]))
            for c in summary.chunks where c.status != "succeeded" { CLIOutput.line("  " + chunkLine(c)) }
        }
        if !summary.ok { CLIOutput.error(CLIText["cli.import_rerun"]) }
    }

    static func status<T>(_ o: ChunkReport<T>.Outcome) -> String {
        switch o {
        case .succeeded: "succeeded"
        case .failed(let e): e.requestWasRejected ? "rejected" : "unknown"
        case .notSent: "not_sent"
        }
    }

    static func describe<T>(_ o: ChunkReport<T>.Outcome) -> String {
        switch o {
        case .succeeded(_, let m): TerminalText.sanitize(m, limit: 120)
        case .failed(let e): e.description
        case .notSent: "not sent"
        }
    }
}
