import CSV
import Foundation

/// A CSV file read into rows with the physical line each row starts on, so
/// errors can name lines the operator can find in a spreadsheet or editor.
/// UTF-8 with or without BOM; quoted fields may hold commas and newlines.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String: String]
    }

    public var header: [String]
    public var rows: [Row]

    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func read(_ url: URL) throws -> CSVTable {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ReadError(description: "Cannot read \(url.path).") }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "\(url.lastPathComponent) is not UTF-8 text; export it as \"CSV UTF-8\".")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text, name: url.lastPathComponent)
    }

    public static func parse(_ text: String, name: String = "input") throws -> CSVTable {
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch {
            throw ReadError(description: "\(name): not a CSV file (\(error)).")
        }
        guard let headerRow = reader.next() else { throw ReadError(description: "\(name) is empty.") }
        let header = headerRow.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var seen = Set<String>()
        for h in header where !h.isEmpty {
            guard seen.insert(h).inserted else { throw ReadError(description: "\(name): column \"\(h)\" appears twice in the header.") }
        }
        var rows: [Row] = []
        var line = 2 + headerRow.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
        while let fields = reader.next() {
            let start = line
            line += 1 + fields.reduce(0) { $0 + $1.filter { $0 == "\n" || $0 == "\r\n" }.count }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var map: [String: String] = [:]
            for (i, value) in fields.enumerated() where i < header.count && !header[i].isEmpty {
                map[header[i]] = value
            }
            if fields.count > header.count, fields[header.count...].contains(where: { !$0.isEmpty }) {
                map["\u{0}extra"] = "\(fields.count)"
            }
            rows.append(Row(line: start, fields: map))
        }
        if let error = reader.error { throw ReadError(description: "\(name): \(error)") }
        return CSVTable(header: header, rows: rows)
    }
}

/// A row that cannot be sent, named by line.
public struct RowProblem: Sendable, Equatable, Codable {
    public var line: Int
    public var message: String
}
