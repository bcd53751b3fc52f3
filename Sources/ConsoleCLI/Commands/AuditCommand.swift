import ArgumentParser
import ConsoleConfig
import Foundation
import Messages
import LocalStore
import TeamStore
import WolkvoxAPI

/// `wvconsole audit`: the append-only record of every change sent through
/// this store (this machine's, or with a team store every operator's).
public struct AuditCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: CLIText["cli.abstract.audit"])
    @OptionGroup public var global: GlobalOptions
    @Option(help: "Only entries from this date on (YYYY-MM-DD).") public var since: String?
    @Flag(help: "JSON array (stable schema).") public var json = false
    @Flag(help: "CSV (RFC 4180, spreadsheet-safe).") public var csv = false
    @Flag(help: "Only actions sent but never confirmed (to verify after a crash).") public var unconfirmed = false
    @Option(help: "Mark an unconfirmed action as checked (by its ID), with --note saying what you found.") public var resolve: Int64?
    @Option(help: "What you found when checking an unconfirmed action.") public var note: String?
    @Option(name: .customLong("operator"), help: "Only this operator's actions (team store: who acted).") public var operatorName: String?
    @Flag(help: "Only your own actions (the operator this config names).") public var mine = false
    @Flag(
        help: ArgumentHelp(
            "Read every unconfirmed action back from the server (find_record only, never a write) and resolve those the answer settles.",
            discussion: "A delete or an add costs one call per customer ID (a bulk chunk: a sample of 3); a DNC block cannot be read back."))
    public var reconcile = false
    public init() {}

    public func validate() throws {
        if json && csv { throw ValidationError(CLIText.text("cli.usage.one_of", ["a": "--json", "b": "--csv"])) }
        if resolve != nil && (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(CLIText["cli.usage.resolve_note"])
        }
        if operatorName != nil && mine { throw ValidationError(CLIText.text("cli.usage.one_of", ["a": "--operator", "b": "--mine"])) }
        if reconcile && (resolve != nil || csv || since != nil) {
            throw ValidationError(CLIText.text("cli.usage.one_of", ["a": "--reconcile", "b": resolve != nil ? "--resolve" : (csv ? "--csv" : "--since")]))
        }
        if let since, !Self.isRealDate(since) {
            throw ValidationError(CLIText.text("cli.usage.real_date", ["value": since]))
        }
    }

    /// `2026-02-28` yes; `2026-13-01`, `2026-02-30`, `2026-1-5` no.
    static func isRealDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return false }
        let calendar = Calendar.gregorian(TimeZone(identifier: "UTC")!)
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == y && back.month == m && back.day == d
    }

    public func run() async throws {
        do {
            if reconcile { return try await runReconcile() }
            // The same global options as every command: a missing --config is an
            // error, and its language applies. The store is the one the config
            // names: this machine's SQLite file, or the team's PostgreSQL.
            let config = try global.loadConfig()
            let env = ProcessInfo.processInfo.environment
            let opened = await StoreOpener.open(config, localPath: AppPaths.from(environment: env).databaseFile, environment: env)
            defer { opened.close() }
            guard let store = opened.store else { throw APIError.storeUnavailable(opened.problem ?? "no store") }
            if let id = resolve {
                guard try await store.unconfirmed().contains(where: { $0.id == id }) else {
                    throw ValidationError(CLIText.text("cli.usage.not_unconfirmed", ["id": String(id)]))
                }
                try await store.markResolved(id: id, note: note ?? "")
                CLIOutput.line(CLIText.text("cli.audit_resolved", ["id": String(id)]))
                return
            }
            let who = mine ? store.operatorName : operatorName
            var entries = unconfirmed ? try await store.unconfirmed() : try await store.auditEntries(since: since, limit: 10_000, operatorName: who)
            if unconfirmed, let who { entries = entries.filter { $0.actor == who } }
            if json {
                let document = try AuditExport.json(entries)
                if Interruption.mayWriteOutput() { CLIOutput.line(document) }
            } else if csv {
                FileHandle.standardOutput.write(Data(AuditExport.csv(entries).utf8))
            } else {
                let columns: [String] = [
                    "ID", CLIText["cli.col.when"], CLIText["cli.col.operator"], CLIText["cli.col.action"], CLIText["col.campaign"],
                    CLIText["cli.col.items"], CLIText["cli.col.outcome"], CLIText["cli.col.message"],
                ]
                let rows: [[String]] = entries.map { e in
                    var outcome: String = e.outcome ?? (e.resolvedAt != nil ? "resolved" : "UNCONFIRMED")
                    // A checked unknown says what the check found ("unknown → applied").
                    if e.resolvedAt != nil {
                        outcome = (e.outcome ?? "unconfirmed") + " → " + Reconciler.finding(ofNote: e.resolutionNote)
                    }
                    return [
                        String(e.id), e.createdAt, TerminalText.sanitize(e.actor, limit: 40), e.api, e.campaignID ?? "", String(e.itemCount),
                        outcome, e.message ?? "",
                    ]
                }
                CLIOutput.line(TextTable(columns: columns, rows: rows, rightAligned: [0, 5]).render())
            }
        } catch { throw report(error, command: "audit", json: json) }
    }
}
