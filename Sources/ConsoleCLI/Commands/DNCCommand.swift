import ArgumentParser
import Foundation
import Messages
import WolkvoxAPI

/// `wvconsole dnc add|import`: block numbers from dialing for N days.
public struct DNCCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "dnc", abstract: CLIText["cli.abstract.dnc"],
                                                           subcommands: [Add.self, Import.self])
    public init() {}

    public struct Add: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "add", abstract: CLIText["cli.abstract.dnc_add"])
        @OptionGroup public var global: GlobalOptions
        @Argument(help: "Phone numbers.") public var phones: [String]
        @Option(help: "Days to block (default: dnc_days from config, else 30).") public var days: Int?
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
                let reports = try await ctx.client.addDNC(entries)
                try DNCCommand.finish(reports, jobID: nil, json: json, rows: entries.count, problems: [], alreadyConfirmed: [])
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
                let name = URL(fileURLWithPath: file).lastPathComponent
                let loaded = try DNCCSV.load(try CSVTable.read(URL(fileURLWithPath: file)), defaultDays: try Validate.daysBlock(String(days ?? ctx.config.dncDays)),
                                           countryCode: ctx.config.countryCode)
                if !loaded.problems.isEmpty { printProblems(loaded.problems, file: name) }
                let refused = !loaded.problems.isEmpty && !bulk.skipInvalid
                let chunkCount = (loaded.entries.count + WolkvoxClient.maxRecordsPerUpload - 1) / WolkvoxClient.maxRecordsPerUpload
                let jobID = BulkJob.jobID(command: "dnc", campaign: "", payload: loaded.entries.map { "\($0.telephone),\($0.days)" })
                if bulk.dryRun {
                    if bulk.json {
                        var summary = BulkSummary(dryRunOf: "dnc import", jobId: jobID, rows: loaded.entries.count, invalidRows: loaded.problems,
                                                  calls: chunkCount, sendsNothing: refused)
                        if refused { summary.error = JSONOutput.failure("dnc import", invalidRows(loaded.problems.count, file: name)).error }
                        JSONOutput.emit(summary)
                        if refused {
                            CLIOutput.error(CLIText.plural("cli.invalid_rows", loaded.problems.count, ["file": name]))
                            throw ExitCode(ExitStatus.validation.rawValue)
                        }
                    } else if !refused {
                        CLIOutput.line(CLIText.plural("cli.dnc_dry_run", loaded.entries.count, ["calls": CLIText.plural("cli.n_calls", chunkCount)]))
                    }
                    if refused { throw invalidRows(loaded.problems.count, file: name) }
                    return
                }
                if refused { throw invalidRows(loaded.problems.count, file: name) }
                let plan = try await BulkJob.plan(jobID: jobID, api: APIName.addDNC.rawValue, campaignID: nil,
                                                  bodies: WolkvoxClient.chunkBodies(dnc: loaded.entries), resume: bulk.resume, ledger: ctx.ledger,
                                                  policy: bulk.unconfirmedPolicy, acceptChanged: bulk.acceptChanged, ask: { askYesNo($0) })
                let skip = plan.skip, earlier = plan.alreadyConfirmed
                let progress = ProgressReporter(totalItems: loaded.entries.count, chunks: chunkCount)
                let reports = try await ctx.client.addDNC(loaded.entries, jobID: jobID, skipping: skip) { r in
                    progress.chunkFinished(index: r.index, items: r.items, note: BulkSummary.describe(r.outcome))
                }
                try DNCCommand.finish(reports, jobID: jobID, json: bulk.json, rows: loaded.entries.count, problems: loaded.problems, alreadyConfirmed: earlier)
            } catch { throw report(error, command: "dnc import", json: bulk.json) }
        }
    }

    static func finish(_ reports: [ChunkReport<DNCTotals>], jobID: String?, json: Bool, rows: Int, problems: [RowProblem],
                       alreadyConfirmed: Set<Int>) throws {
        var totals = DNCTotals(added: nil, rejected: nil, sent: nil)
        for r in reports { if case .succeeded(let t, _) = r.outcome { totals = totals + t } }
        let summary = BulkSummary(command: jobID == nil ? "dnc add" : "dnc import", jobId: jobID ?? "", rows: rows, invalidRows: problems,
                                  reports: reports, alreadyConfirmed: alreadyConfirmed,
                                  totals: ["total_added": totals.added, "total_rejected": totals.rejected, "total_sent": totals.sent])
        func n(_ v: Int?) -> String { v.map { CLIText.count($0) } ?? "?" }
        try summary.finish(json: json, headline: CLIText.text("dnc.result", ["added": n(totals.added), "rejected": n(totals.rejected), "sent": n(totals.sent)]))
    }
}
