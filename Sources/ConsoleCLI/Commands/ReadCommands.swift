import ArgumentParser
import Foundation
import Messages
import TUIKit
import WolkvoxAPI

/// `wvconsole campaigns`: the campaign list.
public struct CampaignsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "campaigns", abstract: CLIText["cli.abstract.campaigns"])
    @OptionGroup public var global: GlobalOptions
    @Flag(help: "Print JSON (stable schema, see README) instead of a table.") public var json = false
    public init() {}

    struct Output: Encodable {
        var ok = true, command = "campaigns"
        var count: Int
        var campaigns: [Item]
        struct Item: Encodable { var id, name, type, status, records: String }
    }

    public func run() async throws {
        do {
            let ctx = try await CLIContext.make(global)
            try await ctx.requireQuota()
            let campaigns = try await ctx.client.campaigns()
            if json {
                JSONOutput.emit(
                    Output(
                        count: campaigns.count,
                        campaigns: campaigns.map {
                            .init(id: $0.id, name: $0.name, type: $0.type, status: $0.status, records: $0.records)
                        }))
            } else {
                CLIOutput.line(
                    TextTable(
                        columns: ["ID", CLIText["col.name"], CLIText["cli.col.type"], CLIText["cli.col.status"], CLIText["cli.col.records"]],
                        rows: campaigns.map { [$0.id, $0.name, $0.type, $0.status, $0.records] },
                        rightAligned: [4]
                    ).render())
            }
        } catch { throw report(error, command: "campaigns", json: json) }
    }
}

/// `wvconsole find --phone P | --id ID [--campaign C]`.
public struct FindCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "find", abstract: CLIText["cli.abstract.find"])
    @OptionGroup public var global: GlobalOptions
    @Option(help: "Phone number (spaces, dashes, dots and parentheses are ignored).") public var phone: String?
    @Option(name: .customLong("id"), help: "Customer ID.") public var customerID: String?
    @Option(help: "Campaign ID (default: all campaigns).") public var campaign: String?
    @Flag(help: "Print JSON (stable schema, see README) instead of a table.") public var json = false
    @Flag(help: "Print the records as CSV, the columns `wvconsole import` reads back.") public var csv = false
    @Flag(help: "With --csv: start with a UTF-8 BOM so Excel reads accents right (also export_bom = true).") public var bom = false
    @Flag(
        help: "With --csv: write cells as they came, without the leading ' that keeps a spreadsheet from running =, +, -, @ as a formula (also export_raw = true).")
    public var rawCsv = false
    @Flag(help: "Print a breakdown of the records found (results, calls, last contact, campaigns); with --json, add a stats object.")
    public var stats = false
    public init() {}

    public func validate() throws {
        if phone == nil && customerID == nil { throw ValidationError(CLIText["cli.usage.phone_or_id"]) }
        // The API would AND them silently; the operator asked one question, not two.
        if phone != nil && customerID != nil { throw ValidationError(CLIText["cli.usage.not_both"]) }
        if csv && json { throw ValidationError(CLIText.text("cli.usage.one_of", ["a": "--csv", "b": "--json"])) }
        if csv && stats { throw ValidationError(CLIText["cli.usage.stats_csv"]) }
        if bom && !csv { throw ValidationError(CLIText["cli.usage.bom_csv"]) }
    }

    /// The documented schema. `JSONOutput.findDocument` writes it directly for
    /// speed; JSONOutputTests prove both give the same document.
    struct Output: Encodable {
        var ok = true, command = "find"
        var query: Query
        var count: Int
        /// The service's maximum came back: there may be more matches than these.
        var capped: Bool
        var message: String
        var records: [JSONOutput.Record]
        /// Elements of the answer that were not records, left out.
        var unreadable: Int
        struct Query: Encodable { var phone: String?, customerId: String?, campaignId: String? }
    }

    public func run() async throws {
        do {
            let ctx = try await CLIContext.make(global)
            try await ctx.requireQuota()
            let answer = try await ctx.client.find(FindQuery(phone: phone, customerID: customerID, campaignID: campaign))
            // Nothing found in a named campaign: is it a campaign at all? One
            // extra call, only in this case, so a typo is not read as "no records".
            if answer.records.isEmpty, let wanted = answer.query.campaignID,
                let known = try? await ctx.client.campaigns(), !known.isEmpty, !known.contains(where: { $0.id == wanted })
            {
                throw WolkvoxAPI.ValidationError(.campaignID, CLIText.text("cli.no_such_campaign", ["campaign": wanted, "count": CLIText.count(known.count)]))
            }
            if answer.atCap { CLIOutput.error(CLIText.text("search.at_cap", ["max": CLIText.count(WolkvoxClient.maxRecordsPerDownload)])) }
            if answer.unreadable > 0 { CLIOutput.error(CLIText.plural("cli.unreadable", answer.unreadable)) }
            if csv {
                var out = StdoutWriter()
                // Into a file the data goes as it came; onto a terminal, never as escape sequences.
                out.append(
                    RecordsCSV.data(answer.records, bom: bom || ctx.config.exportBOM, forTerminal: isatty(1) != 0, raw: rawCsv || ctx.config.exportRaw))
                out.flush()
            } else if json {
                JSONOutput.printFind(answer, stats: stats ? Breakdown(answer.records, now: Date(), timeZone: ctx.client.timeZone) : nil)
            } else if stats && answer.records.isEmpty {
                CLIOutput.line(CLIText["results.none"])
            } else if stats {
                let ascii = !TerminalLocale.isUTF8(ProcessInfo.processInfo.environment)
                CLIOutput.line(StatsOutput.text(Breakdown(answer.records, now: Date(), timeZone: ctx.client.timeZone), CLIText.catalog, ascii: ascii).trimmingCharacters(in: .newlines))
            } else if answer.records.isEmpty {
                CLIOutput.line(CLIText["results.none"])
                if answer.query.phone?.hasPrefix("+") == true { CLIOutput.error(CLIText["search.plus_hint"]) }
            } else {
                // Up to 60,000 rows: streamed through one buffered writer, not built as one String.
                var out = StdoutWriter()
                let records = answer.records
                TextTable(
                    columns: ["name", "id", "phones", "result", "calls", "date", "campaign"].map { CLIText["col.\($0)"] }, count: records.count,
                    rightAligned: [4]
                ) { r, c in
                    let rec = records[r]
                    switch c {
                    case 0: return rec.fullName
                    case 1: return rec.customerID
                    case 2: return rec.phones.joined(separator: " ")
                    case 3: return rec.result
                    case 4: return rec.calls
                    case 5: return rec.date
                    case 6: return rec.campaignID
                    default: return nil
                    }
                }.write(to: &out)
                out.append(CLIText.plural("cli.found", answer.records.count) + "\n")
                out.flush()
            }
            KeptUntilExit.keep(answer.records)
        } catch { throw report(error, command: "find", json: json) }
    }
}

/// What a command read is not freed piece by piece when `run` returns: the
/// process ends right after, and the kernel takes the pages back at once.
/// (Freeing 60,000 records' strings one by one took ~8 ms after the last
/// byte of output.)
enum KeptUntilExit {
    private final class Box<Value: Sendable>: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    static func keep(_ value: some Sendable) {
        _ = Unmanaged.passRetained(Box(value))
    }
}

/// One line on stderr, a JSON failure on stdout under `--json`, and the documented exit code.
func report(_ error: any Error, command: String, json: Bool) -> ExitCode {
    if let exit = error as? ExitCode { return exit }
    // Cancelled by Ctrl-C inside a file read, a gate or a store: the same "cancelled" as a call.
    let error = error is CancellationError ? APIError.cancelled : error
    if json { JSONOutput.emit(JSONOutput.failure(command, error)) }
    return fail(error)
}

/// `report` for a single change (recall, delete): the line and the JSON
/// object say whether it was not sent, refused, or may have been applied, and
/// the status is 6 when it may have been (130 after Ctrl-C all the same).
func reportWrite(_ error: any Error, command: String, json: Bool) -> ExitCode {
    if let exit = error as? ExitCode { return exit }
    // A cancel before the change reached the client (a gate, a store) sent nothing.
    let error = error is CancellationError ? APIError.notSent(.cancelled) : error
    if json { JSONOutput.emit(JSONOutput.writeFailure(command, error)) }
    return failWrite(error)
}
