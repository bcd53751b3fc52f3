import Foundation
import WolkvoxAPI

/// `wvconsole audit --json|--csv`. Both formats are stable and documented:
/// JSON is an array of entries (snake_case keys, sorted); CSV has the header
/// `id,created_at,os_user,server,campaign_id,api,method,item_count,job_id,chunk_index,outcome,status,code,message,url,body,resolved_at,resolution_note,operator,resolved_by`
/// with RFC 4180 quoting, so a spreadsheet opens it and `parseCSV` reads it back.
public enum AuditExport {
    public static let csvColumns = [
        "id", "created_at", "os_user", "server", "campaign_id", "api", "method", "item_count", "job_id",
        "chunk_index", "outcome", "status", "code", "message", "url", "body", "resolved_at", "resolution_note",
        "operator", "resolved_by",
    ]

    public static func json(_ entries: [AuditEntry]) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Every entry carries its outcome explicitly; a send whose answer never
        // came says "unconfirmed" instead of leaving the key out.
        let explicit = entries.map { entry -> AuditEntry in
            var x = entry
            x.outcome = entry.reportedOutcome
            return x
        }
        return String(decoding: try e.encode(explicit), as: UTF8.self)
    }

    public static func csv(_ entries: [AuditEntry]) -> String {
        var lines = [csvColumns.joined(separator: ",")]
        for e in entries {
            let cells: [String] = [
                String(e.id), e.createdAt, e.osUser, e.server, e.campaignID ?? "", e.api, e.method, String(e.itemCount),
                e.jobID ?? "", e.chunkIndex.map(String.init) ?? "", e.reportedOutcome,
                e.status.map(String.init) ?? "", e.code.map(String.init) ?? "", e.message ?? "", e.url, e.body,
                e.resolvedAt ?? "", e.resolutionNote ?? "", e.actor, e.resolvedBy ?? "",
            ]
            lines.append(cells.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func quote(_ s: String) -> String {
        // A leading = + - @ would be a formula in a spreadsheet: prefix it with
        // a quote (and double a leading quote, so the reader can undo it exactly).
        let v = SpreadsheetSafety.neutralise(s)
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    /// Reads the CSV back (for round-trip tests and tools).
    public static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending {
                pending = nil
                return p
            }
            return chars.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = n
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(unguard(field))
                field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(unguard(field))
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(unguard(field))
            rows.append(row)
        }
        return rows
    }

    static func unguard(_ s: String) -> String {
        guard s.count >= 2, s.first == "'", let second = s.dropFirst().first, "=+-@'".contains(second) else { return s }
        return String(s.dropFirst())
    }
}
