import ArgumentParser
import Foundation
import Messages

/// Options shared by the bulk commands (`import`, `dnc import`).
public struct BulkOptions: ParsableArguments {
    @Flag(help: "Validate and show what would be sent; send nothing.") public var dryRun = false
    @Flag(help: "Send the valid rows even if some rows are invalid (they are listed and skipped).") public var skipInvalid = false
    @Flag(help: "Continue an earlier run of the same file: send only chunks not yet confirmed.") public var resume = false
    @Flag(help: "With --resume: resend chunks an earlier run sent but never saw confirmed (may duplicate).") public var resendUnconfirmed = false
    @Flag(help: "With --resume: do not resend unconfirmed chunks.") public var skipUnconfirmed = false
    @Flag(help: "Print JSON instead of text.") public var json = false
    public init() {}

    var unconfirmedPolicy: BulkJob.UnconfirmedPolicy {
        if resendUnconfirmed { return .resend }
        if skipUnconfirmed { return .skip }
        return isatty(STDIN_FILENO) == 1 && !json ? .ask : .refuse
    }

    public func validate() throws {
        if resendUnconfirmed && skipUnconfirmed { throw ValidationError("Choose one of --resend-unconfirmed and --skip-unconfirmed.") }
    }
}

/// Asks a yes/no question on the terminal.
func askYesNo(_ question: String) -> Bool {
    FileHandle.standardError.write(Data((question + " " + CLIText["cli.yes_no"] + " ").utf8))
    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    return answer == "y" || answer == "yes" || answer == "s" || answer == "si" || answer == "sí" || answer == "sim"
}

/// Shared summary of a bulk run, text and JSON.
struct BulkSummary: Encodable {
    var ok: Bool
    var command: String
    var jobId: String
    var dryRun: Bool
    var rows: Int
    var invalidRows: [RowProblem]
    var calls: Int
    var chunks: [Chunk]
    var totals: [String: Int?]

    struct Chunk: Encodable {
        var index: Int
        var items: Int
        var status: String
        var message: String
    }
}

/// A chunk that did not succeed, for the text summary.
func chunkLine(_ c: BulkSummary.Chunk) -> String {
    CLIText.text("cli.chunk_line", ["chunk": String(c.index), "status": c.status, "message": c.message])
}

/// Lists invalid rows: all of them on stderr (they are what the operator must fix).
func printProblems(_ problems: [RowProblem], file: String) {
    for p in problems.prefix(200) { CLIOutput.error("\(file):\(p.line): \(p.message)") }
    if problems.count > 200 { CLIOutput.error("… " + CLIText.text("cli.more_invalid", ["count": String(problems.count - 200)])) }
}
