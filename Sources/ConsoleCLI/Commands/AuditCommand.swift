import ArgumentParser
import Foundation
import Messages
import LocalStore

/// `wvconsole audit`: the append-only record of every change sent from this machine.
public struct AuditCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "audit",
        abstract: CLIText["cli.abstract.audit"])
    @OptionGroup public var global: GlobalOptions
    @Option(help: "Only entries from this date on (YYYY-MM-DD).") public var since: String?
    @Flag(help: "JSON array (stable schema).") public var json = false
    @Flag(help: "CSV (RFC 4180, spreadsheet-safe).") public var csv = false
    @Flag(help: "Only actions sent but never confirmed (to verify after a crash).") public var unconfirmed = false
    @Option(help: "Mark an unconfirmed action as checked (by its ID), with --note saying what you found.") public var resolve: Int64?
    @Option(help: "What you found when checking an unconfirmed action.") public var note: String?
    public init() {}

    public func validate() throws {
        if json && csv { throw ValidationError("Choose one of --json and --csv.") }
        if resolve != nil && (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--resolve needs --note saying what you checked (e.g. \"record is gone\").")
        }
        if let since, !Self.isRealDate(since) {
            throw ValidationError("--since must be a real date, YYYY-MM-DD (got \"\(since)\").")
        }
    }

    /// `2026-02-28` yes; `2026-13-01`, `2026-02-30`, `2026-1-5` no.
    static func isRealDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == y && back.month == m && back.day == d
    }

    public func run() async throws {
        do {
            // The same global options as every command: a missing --config is an
            // error, and its language applies. The journal is this machine's.
            _ = try global.loadConfig()
            let store = try ConsoleStore(path: ConsoleStore.defaultPath())
            if let id = resolve {
                guard try store.unconfirmed().contains(where: { $0.id == id }) else {
                    throw ValidationError("Action \(id) is not an unconfirmed action (see `wvconsole audit --unconfirmed`).")
                }
                try store.markResolved(id: id, note: note ?? "")
                CLIOutput.line(CLIText.text("cli.audit_resolved", ["id": String(id)]))
                return
            }
            let entries = unconfirmed ? try store.unconfirmed() : try store.auditEntries(since: since)
            if json { CLIOutput.line(try AuditExport.json(entries)) }
            else if csv { FileHandle.standardOutput.write(Data(AuditExport.csv(entries).utf8)) }
            else {
                CLIOutput.line(TextTable(columns: ["ID", CLIText["cli.col.when"], CLIText["cli.col.user"], CLIText["cli.col.action"], CLIText["col.campaign"], CLIText["cli.col.items"], CLIText["cli.col.outcome"], CLIText["cli.col.message"]], rows: entries.map {
                    [String($0.id), $0.createdAt, $0.osUser, $0.api, $0.campaignID ?? "", String($0.itemCount),
                     $0.outcome ?? ($0.resolvedAt != nil ? "resolved" : "UNCONFIRMED"), $0.message ?? ""]
                }, rightAligned: [0, 5]).render())
            }
        } catch { throw report(error, command: "audit", json: json) }
    }
}
