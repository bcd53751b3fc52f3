import Foundation
import WolkvoxAPI

/// Maps an add_record CSV (header = API field names) to `NewRecord`s,
/// validating every row before anything is sent.
public enum RecordCSV {
    public struct Result: Sendable {
        public var records: [NewRecord]
        /// CSV line of each record, parallel to `records`.
        public var lines: [Int]
        public var problems: [RowProblem]
    }

    public static func load(_ table: CSVTable) throws -> Result {
        try checkHeader(table.header)
        var out = Result(records: [], lines: [], problems: [])
        out.records.reserveCapacity(table.rows.count)
        for row in table.rows {
            do {
                out.records.append(try record(row.fields))
                out.lines.append(row.line)
            } catch let e as ValidationError {
                out.problems.append(RowProblem(line: row.line, message: e.message))
            }
        }
        return out
    }

    /// The header must name add_record fields only, tel1 among them — or the
    /// columns an export adds (`RecordsCSV.readOnlyColumns`), which are not sent.
    public static func checkHeader(_ header: [String]) throws {
        let known = Set(NewRecord.fieldNames).union(RecordsCSV.readOnlyColumns)
        let unknown = header.filter { !$0.isEmpty && !known.contains($0) }
        guard unknown.isEmpty else {
            throw CSVTable.ReadError(
                description:
                    "Unknown column(s) \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); columns must be add_record field names such as customer_id, customer_name, tel1."
            )
        }
        guard header.contains("tel1") else {
            throw CSVTable.ReadError(description: "The header has no tel1 column; every record needs a phone to dial.")
        }
    }

    static let readOnly = Set(RecordsCSV.readOnlyColumns)

    /// One row as a record, or the `ValidationError` that names what is wrong with it.
    public static func record(_ fields: [String: String]) throws -> NewRecord {
        if fields["\u{0}extra"] != nil { throw ValidationError(.records, "More values than header columns.") }
        var r = NewRecord()
        for (k, v) in fields where !readOnly.contains(k) { r[k] = v.trimmingCharacters(in: .whitespaces) }
        if !r["customer_id"].isEmpty { r["customer_id"] = try Validate.customerID(r["customer_id"]) }
        r["tel1"] = try Validate.phone(r["tel1"])
        for name in (2...10).map({ "tel\($0)" }) + ["tel_extra", "recall_telephone"] where !r[name].isEmpty {
            r[name] = try Validate.phone(r[name])
        }
        let recall = r["recall_date"]
        if !recall.isEmpty, !(recall.count == 14 && recall.allSatisfy(\.isASCII) && recall.allSatisfy(\.isNumber)) {
            throw ValidationError(.recallDate, "recall_date must be YYYYMMDDhhmmss, got \"\(TerminalText.sanitize(recall, limit: 30))\".")
        }
        let email = r["email"]
        if !email.isEmpty, !(email.contains("@") && !email.contains(" ")) {
            throw ValidationError(.records, "email \"\(TerminalText.sanitize(email, limit: 40))\" is not an address.")
        }
        return r
    }
}

/// A DNC CSV: a `telephone` (or `phone`) column, optional `days_block`/`days`.
public enum DNCCSV {
    public struct Result: Sendable {
        public var entries: [DNCEntry]
        public var problems: [RowProblem]
    }

    public static func load(_ table: CSVTable, defaultDays: Int, countryCode: String? = nil) throws -> Result {
        let columns = try Columns(table.header)
        var out = Result(entries: [], problems: [])
        for row in table.rows {
            do {
                out.entries.append(try entry(row.fields, columns: columns, defaultDays: defaultDays, countryCode: countryCode))
            } catch let e as ValidationError {
                out.problems.append(RowProblem(line: row.line, message: e.message))
            }
        }
        return out
    }

    /// Which columns hold the phone and the days.
    public struct Columns: Sendable {
        var phone: String
        var days: String?
        public init(_ header: [String]) throws {
            guard let phone = ["telephone", "phone", "tel", "telefono", "teléfono"].first(where: header.contains) else {
                throw CSVTable.ReadError(description: "The header needs a telephone column.")
            }
            self.phone = phone
            days = ["days_block", "days"].first(where: header.contains)
        }
    }

    /// One row as an entry, or the `ValidationError` that names what is wrong with it.
    public static func entry(_ fields: [String: String], columns: Columns, defaultDays: Int, countryCode: String?) throws -> DNCEntry {
        let phone = try Validate.phone(fields[columns.phone] ?? "", countryCode: countryCode)
        let daysText = columns.days.flatMap { fields[$0] }.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let days = try daysText.map(Validate.daysBlock) ?? defaultDays
        return DNCEntry(telephone: phone, days: days)
    }

    /// Numbers typed or pasted (see `Validate.splitPhoneList`).
    public static func split(_ text: String) -> [String] { Validate.splitPhoneList(text) }
}
