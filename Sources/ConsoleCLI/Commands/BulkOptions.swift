import ArgumentParser
import Foundation
import Messages
import WolkvoxAPI

/// Options shared by the bulk commands (`import`, `dnc import`).
public struct BulkOptions: ParsableArguments {
    @Flag(help: "Validate and show what would be sent; send nothing.") public var dryRun = false
    @Flag(help: "Send the valid rows even if some rows are invalid (they are listed and skipped).") public var skipInvalid = false
    @Flag(help: "Continue an earlier run of the same file: send only chunks not yet confirmed.") public var resume = false
    @Flag(help: "With --resume: resend chunks an earlier run sent but never saw confirmed (may duplicate).") public var resendUnconfirmed = false
    @Flag(help: "With --resume: do not resend unconfirmed chunks.") public var skipUnconfirmed = false
    @Flag(
        help: ArgumentHelp(
            "Go on although this file changed under its own unfinished run.",
            discussion: """
                An earlier run of this file (same name, same campaign) sent chunks that were never confirmed, and the file no longer holds them \
                as they were: they may be applied. They are listed; check them with 'wvconsole audit --reconcile' first. Another file's \
                unfinished run never stops this one.
                """))
    public var acceptChanged = false
    @Flag(help: "Print JSON instead of text.") public var json = false
    public init() {}

    var unconfirmedPolicy: BulkJob.UnconfirmedPolicy {
        if resendUnconfirmed { return .resend }
        if skipUnconfirmed { return .skip }
        return isatty(STDIN_FILENO) == 1 && !json ? .ask : .refuse
    }

    public func validate() throws {
        if resendUnconfirmed && skipUnconfirmed { throw ValidationError(CLIText.text("cli.usage.one_of", ["a": "--resend-unconfirmed", "b": "--skip-unconfirmed"])) }
    }
}

/// Asks a yes/no question on the terminal.
func askYesNo(_ question: String) -> Bool {
    let answer = Interruption.answer(prompt: question + " " + CLIText["cli.yes_no"] + " ")?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    return answer == "y" || answer == "yes" || answer == "s" || answer == "si" || answer == "sí" || answer == "sim"
}

/// The one summary of a bulk run (`import`, `dnc add`, `dnc import`), text
/// and JSON, with one `ok` rule and one exit rule for all of them:
/// - ok: every chunk is confirmed, by this run or an earlier one (a resume);
/// - exit 0 when ok; 6 (incomplete) when some chunks are confirmed and others
///   are not; otherwise the status of the first failure (3, 4 or 5), or 6
///   when nothing failed but chunks were left unsent.
struct BulkSummary: Encodable {
    var ok: Bool
    var command: String
    var jobId: String
    var dryRun: Bool
    var rows: Int
    /// The first invalid rows (at most `BulkFile.keptProblems`); `invalidRowCount` counts them all.
    var invalidRows: [RowProblem]
    var invalidRowCount: Int
    var calls: Int
    var chunks: [Chunk]
    var totals: [String: Int?]
    var error: JSONOutput.ErrorBody?
    /// `recorded`, or `failed` when some chunk's answer came but the journal could not take it (exit 7).
    var journal = "recorded"
    /// find_record calls spent before the run (`import --check-existing`), also in a dry run.
    var lookupCalls: Int?
    /// The run as one word: succeeded, partial (some chunks confirmed),
    /// unknown (a chunk may be applied: reconcile first), rejected or not_sent.
    var outcome = "not_sent"

    struct Chunk: Encodable {
        var index: Int
        var items: Int
        /// succeeded | already_sent | rejected | unknown | not_sent
        var status: String
        /// In English, as all of `--json`.
        var message: String
        /// The same in the operator's language, for the text summary (not encoded).
        var text: String
        enum CodingKeys: String, CodingKey { case index, items, status, message }
    }

    /// Not encoded: what the exit status is made of.
    private var firstFailure: APIError?
    private var anyConfirmed = false
    /// Some chunk's answer came but could not be written to the journal.
    private var unrecorded = false
    enum CodingKeys: String, CodingKey {
        case ok, command, jobId, dryRun, rows, invalidRows, invalidRowCount, calls, chunks, totals, error, journal, lookupCalls, outcome
    }

    init<T>(
        command: String, jobId: String, rows: Int, invalidRows: [RowProblem], invalidRowCount: Int? = nil, reports: [ChunkReport<T>],
        plan: BulkJob.Plan, totals: [String: Int?]
    ) {
        self.init(command: command, jobId: jobId, dryRun: false, rows: rows, invalidRows: invalidRows, invalidRowCount: invalidRowCount)
        self.totals = totals
        calls =
            reports.filter {
                switch $0.outcome {
                case .notSent: false
                case .failed(let e): !e.wasNotSent
                case .succeeded: true
                }
            }.count
        chunks = reports.map { r in
            Chunk(
                index: r.index + 1, items: r.items, status: Self.status(r, plan: plan),
                message: Self.describe(r, plan: plan, Catalog.shared(.en)), text: Self.describe(r, plan: plan))
        }
        ok = chunks.allSatisfy { $0.status == "succeeded" || $0.status == "already_sent" }
        anyConfirmed = chunks.contains { $0.status == "succeeded" || $0.status == "already_sent" }
        firstFailure =
            reports.lazy.compactMap {
                if case .failed(let e) = $0.outcome { return e }
                return nil
            }.first
        unrecorded = reports.contains { !$0.outcomeRecorded }
        journal = unrecorded ? "failed" : "recorded"
        outcome =
            ok
            ? "succeeded"
            : chunks.contains { $0.status == "unknown" } ? "unknown" : anyConfirmed ? "partial" : chunks.contains { $0.status == "rejected" } ? "rejected" : "not_sent"
        error = ok ? nil : firstFailure.map { JSONOutput.writeFailure(command, $0).error }
    }

    /// A dry run: what the real run would do with the same options.
    init(dryRunOf command: String, jobId: String, rows: Int, invalidRows: [RowProblem], invalidRowCount: Int? = nil, calls: Int, sendsNothing: Bool) {
        self.init(command: command, jobId: jobId, dryRun: true, rows: rows, invalidRows: invalidRows, invalidRowCount: invalidRowCount)
        self.calls = sendsNothing ? 0 : calls
        ok = !sendsNothing
    }

    /// What every summary says about the file; the rest is filled in by the two above.
    private init(command: String, jobId: String, dryRun: Bool, rows: Int, invalidRows: [RowProblem], invalidRowCount: Int?) {
        self.command = command
        self.jobId = jobId
        self.dryRun = dryRun
        self.rows = rows
        self.invalidRows = invalidRows
        self.invalidRowCount = invalidRowCount ?? invalidRows.count
        ok = false
        calls = 0
        chunks = []
        totals = [:]
    }

    var exitStatus: ExitStatus {
        if ok { return .ok }
        if anyConfirmed { return .incomplete }
        return firstFailure.map(ExitStatus.ofWrite) ?? .incomplete
    }

    /// A chunk this run did not send, its status and the catalogue key of
    /// its message: "already_sent" when an earlier run saw it confirmed,
    /// "unknown" when an earlier run sent it without a confirmation (it may
    /// be applied), and "not_sent" (it never reached the server) otherwise.
    static func unsent(_ index: Int, plan: BulkJob.Plan) -> (status: String, message: String) {
        if plan.alreadyConfirmed.contains(index) { return ("already_sent", "cli.chunk.confirmed_earlier") }
        if plan.leftUnconfirmed.contains(index) { return ("unknown", "cli.chunk.unconfirmed_earlier") }
        return ("not_sent", "cli.chunk.not_sent")
    }

    static func status<T>(_ r: ChunkReport<T>, plan: BulkJob.Plan) -> String {
        switch r.outcome {
        case .succeeded: "succeeded"
        case .failed(let e): JSONOutput.writeOutcome(e) ?? "unknown"
        case .notSent: unsent(r.index, plan: plan).status
        }
    }

    static func describe<T>(_ r: ChunkReport<T>, plan: BulkJob.Plan, _ catalog: Catalog = CLIText.catalog) -> String {
        switch r.outcome {
        case .succeeded(_, let m): TerminalText.sanitize(m, limit: 120)
        case .failed(let e): writeFailureLine(e, catalog)
        case .notSent: catalog[unsent(r.index, plan: plan).message]
        }
    }

    /// What to do next, when not everything is confirmed: check the chunks
    /// whose outcome is unknown first; when the server refused every chunk
    /// that went (a campaign that does not exist, a bad request), fix the
    /// cause and run it again; else send the rest with --resume.
    var rerunHint: String {
        // `dnc add` is one command line, not a file: no --resume, the same line again.
        if chunks.contains(where: { $0.status == "unknown" }) { return command == "dnc add" ? "cli.check_unconfirmed_single" : "cli.check_unconfirmed" }
        if !anyConfirmed && chunks.contains(where: { $0.status == "rejected" }) { return "cli.job_refused" }
        return "cli.import_rerun"
    }

    /// Prints the summary — exactly one JSON object under `--json`, else the
    /// text lines — and ends the run with the documented status.
    func finish(json: Bool, headline: String) throws {
        if json {
            JSONOutput.emit(self)
        } else {
            CLIOutput.line(CLIText[ok ? "cli.ok" : "cli.incomplete"] + ": " + headline)
            for c in chunks where c.status != "succeeded" && c.status != "already_sent" { CLIOutput.line("  " + chunkLine(c)) }
        }
        if ok && unrecorded { try requireRecorded(false) }
        guard !ok else { return }
        if unrecorded { CLIOutput.error(CLIText["cli.not_recorded"]) }
        if let firstFailure { CLIOutput.error(writeFailureLine(firstFailure)) }
        CLIOutput.error(CLIText[rerunHint])
        throw ExitCode(exitStatus.rawValue)
    }
}

/// A chunk that did not succeed, for the text summary.
func chunkLine(_ c: BulkSummary.Chunk) -> String {
    CLIText.text("cli.chunk_line", ["chunk": String(c.index), "status": CLIText["cli.chunk_status." + c.status], "message": c.text])
}

/// Lists invalid rows on stderr (they are what the operator must fix): the
/// first 200, then how many more; `total` counts those not kept.
func printProblems(_ problems: [RowProblem], total: Int? = nil, file: String) {
    for p in problems.prefix(200) { CLIOutput.error("\(file):\(p.line): \(p.message)") }
    let total = max(total ?? problems.count, problems.count)
    if total > 200 { CLIOutput.error("… " + CLIText.text("cli.more_invalid", ["count": String(total - 200)])) }
}

extension BulkSummary {
    /// `--dry-run --json` of a bulk command: one JSON object, which carries the
    /// refusal too when rows are invalid; a refused run then ends with status 2,
    /// as the real run would.
    static func emitDryRun<Item>(_ command: String, _ scan: BulkFile<Item>.Scan, refused: Bool, file: String, lookupCalls: Int? = nil) throws {
        var summary = BulkSummary(
            dryRunOf: command, jobId: scan.jobID, rows: scan.rows, invalidRows: scan.problems,
            invalidRowCount: scan.problemCount, calls: scan.chunkCount, sendsNothing: refused)
        summary.lookupCalls = lookupCalls
        if refused { summary.error = JSONOutput.failure(command, ConsoleCLI.invalidRows(scan.problemCount, file: file)).error }
        JSONOutput.emit(summary)
        guard refused else { return }
        CLIOutput.error(CLIText.plural("cli.invalid_rows", scan.problemCount, ["file": file]))
        throw ExitCode(ExitStatus.validation.rawValue)
    }
}
