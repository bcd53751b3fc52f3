import ArgumentParser
import Foundation
import Messages
import WolkvoxAPI

/// `wvconsole dnc add|import`: block numbers from dialing for N days.
public struct DNCCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dnc", abstract: CLIText["cli.abstract.dnc"],
        subcommands: [Add.self, Import.self])
    public init() {}

    public struct Add: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "add", abstract: CLIText["cli.abstract.dnc_add"])
        @OptionGroup public var global: GlobalOptions
        @Argument(help: "Phone numbers.") public var phones: [String]
        @Option(help: "Days to block (default: dnc_days from config, else 30).") public var days: Int?
        @Flag(help: "Send it although an identical block sent earlier has an unknown outcome.") public var resendUnconfirmed = false
        @Flag(help: "Print JSON instead of text.") public var json = false
        public init() {}

        public func run() async throws {
            do {
                let ctx = try await CLIContext.make(global, mutating: true)
                let d = try Validate.daysBlock(String(days ?? ctx.config.dncDays))
                // One argument is one number: spaces, dashes, dots and
                // parentheses inside it are formatting. Every bad one is named.
                var problems: [String] = []
                var entries: [DNCEntry] = []
                for raw in phones {
                    do {
                        let phone = try Validate.phone(raw, countryCode: ctx.config.countryCode)
                        if !entries.contains(where: { $0.telephone == phone }) { entries.append(DNCEntry(telephone: phone, days: d)) }
                    } catch let e as WolkvoxAPI.ValidationError {
                        problems.append(CLIText.catalog.explain(e))
                    }
                }
                guard problems.isEmpty else {
                    problems.forEach { CLIOutput.error($0) }
                    throw WolkvoxAPI.ValidationError(.phone, CLIText.plural("cli.invalid_numbers", problems.count))
                }
                try await ctx.requireQuota()
                if entries.count <= WolkvoxClient.maxRecordsPerUpload {
                    try await ctx.guardUnconfirmed(.addDNC(entries), resend: resendUnconfirmed, json: json)
                }
                let reports = try await ctx.client.addDNC(entries)
                try DNCCommand.finish(reports, jobID: nil, json: json, rows: entries.count, problems: [], problemCount: 0, plan: .everything)
            } catch { throw report(error, command: "dnc add", json: json) }
        }
    }

    public struct Import: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "import", abstract: CLIText["cli.abstract.dnc_import"])
        @OptionGroup public var global: GlobalOptions
        @Argument(help: "CSV with a telephone column and optional days_block column.") public var file: String
        @Option(help: "Days for rows without days_block (default: dnc_days from config, else 30).") public var days: Int?
        @OptionGroup public var bulk: BulkOptions
        public init() {}

        public func run() async throws {
            do {
                let ctx = try await CLIContext.make(global, mutating: !bulk.dryRun)
                let url = URL(fileURLWithPath: file)
                let name = url.lastPathComponent
                let source = BulkFile<DNCEntry>.dnc(
                    url, defaultDays: try Validate.daysBlock(String(days ?? ctx.config.dncDays)),
                    countryCode: ctx.config.countryCode)
                // Pass 1: validate every row and know each chunk by its content.
                let scan = try await source.scan(
                    ledger: bulk.dryRun ? nil : ctx.ledger, api: APIName.addDNC.rawValue, campaignID: nil,
                    skipInvalid: bulk.skipInvalid)
                if scan.problemCount > 0 { printProblems(scan.problems, total: scan.problemCount, file: name) }
                let refused = scan.problemCount > 0 && !bulk.skipInvalid
                let jobID = scan.jobID
                if bulk.dryRun {
                    if bulk.json {
                        try BulkSummary.emitDryRun("dnc import", scan, refused: refused, file: name)
                    } else if !refused {
                        CLIOutput.line(CLIText.plural("cli.dnc_dry_run", scan.rows, ["calls": CLIText.plural("cli.n_calls", scan.chunkCount)]))
                    }
                    if refused { throw invalidRows(scan.problemCount, file: name) }
                    return
                }
                if refused { throw invalidRows(scan.problemCount, file: name) }
                let plan = try await BulkJob.plan(
                    jobID: jobID, api: APIName.addDNC.rawValue, campaignID: nil, chunkCount: scan.chunkCount,
                    byContent: scan.byContent, resume: bulk.resume, ledger: ctx.ledger,
                    policy: bulk.unconfirmedPolicy, acceptChanged: bulk.acceptChanged, ask: { askYesNo($0) })
                // Pass 2: the chunks rebuilt one at a time, each checked against pass 1.
                let feed = try BulkFile.Feed(source, scan: scan)
                let progress = ProgressReporter(totalItems: scan.rows, chunks: scan.chunkCount)
                let reports = try await ctx.client.addDNC(itemCount: scan.rows, jobID: jobID, skipping: plan.skip, chunk: {
                    try await ctx.requireQuotaForChunk()
                    return try feed.chunk($0.index)
                }) { r in
                    progress.chunkFinished(r, plan: plan)
                }
                try DNCCommand.finish(
                    reports, jobID: jobID, json: bulk.json, rows: scan.rows, problems: scan.problems,
                    problemCount: scan.problemCount, plan: plan)
            } catch { throw report(error, command: "dnc import", json: bulk.json) }
        }
    }

    static func finish(
        _ reports: [ChunkReport<DNCTotals>], jobID: String?, json: Bool, rows: Int, problems: [RowProblem],
        problemCount: Int, plan: BulkJob.Plan
    ) throws {
        var totals = DNCTotals(added: nil, rejected: nil, sent: nil)
        for r in reports { if case .succeeded(let t, _) = r.outcome { totals = totals + t } }
        let summary = BulkSummary(
            command: jobID == nil ? "dnc add" : "dnc import", jobId: jobID ?? "", rows: rows, invalidRows: problems,
            invalidRowCount: problemCount, reports: reports, plan: plan,
            totals: ["total_added": totals.added, "total_rejected": totals.rejected, "total_sent": totals.sent])
        func n(_ v: Int?) -> String { v.map { CLIText.count($0) } ?? "?" }
        try summary.finish(
            json: json, headline: CLIText.text("dnc.result", ["added": n(totals.added), "rejected": n(totals.rejected), "sent": n(totals.sent)]))
    }
}
