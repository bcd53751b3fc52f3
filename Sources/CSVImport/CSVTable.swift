import CSV
import Foundation
import WolkvoxAPI

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

    /// The whole file as a table (tests, small files). Bulk commands use
    /// `CSVRowStream`, which holds one row at a time.
    public static func read(_ url: URL) throws -> CSVTable {
        try collect(CSVRowStream(url: url))
    }

    public static func parse(_ text: String, name: String = "input") throws -> CSVTable {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch {
            throw ReadError(description: "\(name): not a CSV file (\(error)).")
        }
        return try collect(CSVRowStream(reader: reader, name: name, path: nil))
    }

    static func collect(_ stream: CSVRowStream) throws -> CSVTable {
        var rows: [Row] = []
        while let row = try stream.next() { rows.append(row) }
        return CSVTable(header: stream.header, rows: rows)
    }
}

/// A CSV file read one row at a time, so a file of any size is validated
/// and sent in bounded memory. Rows carry the physical line they start on;
/// blank rows are skipped; a row with values past the header is marked
/// (`"\u{0}extra"`) for the row validators to name.
public final class CSVRowStream {
    public let header: [String]
    let name: String
    let path: String?
    private let reader: CSVReader
    private var line: Int

    /// Opens `url`: UTF-8 with or without BOM. Any other encoding (a UTF-16
    /// or UTF-32 byte-order mark, bytes that do not decode) is the "not UTF-8"
    /// error, wherever in the file it shows.
    public convenience init(url: URL) throws {
        let name = url.lastPathComponent
        // CSVReader would skip a UTF-16/32 byte-order mark and read on as
        // UTF-8; such a file is refused as the whole-file reader refused it.
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw CSVTable.ReadError(description: "Cannot read \(url.path).") }
        let head: Data
        do { head = try handle.read(upToCount: 4) ?? Data() } catch { throw CSVTable.ReadError(description: "Cannot read \(url.path).") }
        try? handle.close()
        let bytes = [UInt8](head)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw Self.notUTF8(name)
        }
        guard let stream = FileInputStream(path: url.path) else { throw CSVTable.ReadError(description: "Cannot read \(url.path).") }
        let reader: CSVReader
        do { reader = try CSVReader(stream: stream, codecType: UTF8.self, hasHeaderRow: false) } catch {
            throw CSVTable.ReadError(description: "Cannot read \(url.path).")
        }
        try self.init(reader: reader, name: name, path: url.path)
    }

    init(reader: CSVReader, name: String, path: String?) throws {
        self.reader = reader
        self.name = name
        self.path = path
        let first = reader.next()
        if let error = reader.error { throw Self.failure(error, name: name, path: path) }
        guard let headerRow = first else { throw CSVTable.ReadError(description: "\(name) is empty.") }
        let header = headerRow.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var seen = Set<String>()
        for h in header where !h.isEmpty {
            guard seen.insert(h).inserted else { throw CSVTable.ReadError(description: "\(name): column \"\(h)\" appears twice in the header.") }
        }
        self.header = header
        line = 2 + headerRow.reduce(0) { $0 + Self.lineBreaks($1) }
    }

    /// The next non-blank row, or nil at the end of the file.
    public func next() throws -> CSVTable.Row? {
        while true {
            let fields = reader.next()
            // A decoding or read error ends the row early: it is not a row.
            if let error = reader.error { throw Self.failure(error, name: name, path: path) }
            guard let fields else { return nil }
            let start = line
            line += 1 + fields.reduce(0) { $0 + Self.lineBreaks($1) }
            if fields.allSatisfy(Self.isBlank) { continue }
            var map: [String: String] = [:]
            // A cell an export neutralised for spreadsheets ('=…, '+57…) reads back as it was.
            for (i, value) in fields.enumerated() where i < header.count && !header[i].isEmpty {
                map[header[i]] = SpreadsheetSafety.restore(value)
            }
            if fields.count > header.count, fields[header.count...].contains(where: { !$0.isEmpty }) {
                map["\u{0}extra"] = "\(fields.count)"
            }
            return CSVTable.Row(line: start, fields: map)
        }
    }

    /// Line breaks inside a (quoted) field: every LF, alone or after CR.
    static func lineBreaks(_ field: String) -> Int {
        var n = 0
        for byte in field.utf8 where byte == 0x0A { n += 1 }
        return n
    }

    static func isBlank(_ field: String) -> Bool {
        if let first = field.utf8.first, first > 0x20, first < 0x80 { return false }
        return field.trimmingCharacters(in: .whitespaces).isEmpty
    }

    static func notUTF8(_ name: String) -> CSVTable.ReadError {
        CSVTable.ReadError(description: "\(name) is not UTF-8 text; export it as \"CSV UTF-8\".")
    }

    static func failure(_ error: Error, name: String, path: String?) -> CSVTable.ReadError {
        if case CSVError.unicodeDecoding = error { return notUTF8(name) }
        if let path { return CSVTable.ReadError(description: "Cannot read \(path).") }
        return CSVTable.ReadError(description: "\(name): \(error)")
    }
}

/// A file as an `InputStream` that says "no more bytes" at the end of the
/// file. Foundation's file stream on Linux keeps `hasBytesAvailable` true at
/// EOF, which CSVReader reads as a failed read; this one looks ahead.
final class FileInputStream: InputStream {
    private let handle: FileHandle
    private var status: Stream.Status = .notOpen
    private var error: Error?
    /// Bytes read ahead by `hasBytesAvailable`, from `offset` on.
    private var ahead = Data()
    private var offset = 0
    private var atEnd = false
    static let blockSize = 64 * 1024

    init?(path: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        self.handle = handle
        super.init(data: Data())
    }

    deinit { try? handle.close() }

    override func open() { if status == .notOpen { status = .open } }
    override func close() {
        status = .closed
        try? handle.close()
    }
    override var streamStatus: Stream.Status { status }
    override var streamError: Error? { error }

    override var hasBytesAvailable: Bool {
        if offset < ahead.count { return true }
        if atEnd || status != .open { return false }
        fill()
        return offset < ahead.count
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        if offset >= ahead.count {
            if atEnd { return 0 }
            fill()
            if error != nil { return -1 }
        }
        let n = min(len, ahead.count - offset)
        guard n > 0 else { return 0 }
        ahead.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, length len: UnsafeMutablePointer<Int>) -> Bool { false }

    private func fill() {
        do {
            let data = try handle.read(upToCount: Self.blockSize) ?? Data()
            ahead = data
            offset = 0
            if data.isEmpty { atEnd = true }
        } catch {
            self.error = error
            status = .error
            atEnd = true
            ahead = Data()
            offset = 0
        }
    }
}

/// A row that cannot be sent, named by line.
public struct RowProblem: Sendable, Equatable, Codable {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}
