import CSVImport
import ConsoleConfig
import Foundation
import TUIKit
import WolkvoxAPI

/// libFuzzer's entry: one input, for the decoder `WVFUZZ_TARGET` names.
/// Each target also checks a property that must hold whatever the bytes
/// (a crash, an ASan report or a failed property all stop the run with the
/// input saved).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    switch FuzzTarget.current {
    case .find: FuzzTarget.find(data)
    case .write: FuzzTarget.write(data)
    case .campaigns: FuzzTarget.campaigns(data)
    case .csv: FuzzTarget.csv(data)
    case .config: FuzzTarget.config(data)
    case .theme: FuzzTarget.theme(data)
    case .redact: FuzzTarget.redact(data)
    }
    return 0
}

enum FuzzTarget: String, CaseIterable {
    case find, write, campaigns, csv, config, theme, redact

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["WVFUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("WVFUZZ_TARGET must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()

    static func require(_ holds: Bool, _ what: @autoclosure () -> String) {
        guard holds else {
            FileHandle.standardError.write(Data("property failed: \(what())\n".utf8))
            abort()
        }
    }

    /// What reaches the terminal carries no control character, whatever the server sent.
    static func screenSafe(_ text: String) {
        let shown = TerminalText.sanitize(text, limit: 500)
        require(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "sanitized text keeps a control character: \(shown.debugDescription)")
    }

    /// find_record answers: the fast scanner and the lenient decoder behind
    /// one door; every field is screen-safe once sanitized.
    static func find(_ data: Data) {
        for status in [200, 403] {
            guard let envelope = try? ResponseInterpreter.decode(HTTPResponse(status: status, body: data), as: CustomerRecord.self, read: true) else { continue }
            screenSafe(envelope.msg)
            for r in envelope.data.prefix(50) {
                for field in [r.customerID, r.customerName, r.customerLastName, r.tel1, r.result, r.campaignID] + r.opts { screenSafe(field) }
                require(r.opts.count == 12, "a record with \(r.opts.count) opts")
            }
        }
    }

    /// Answers to changes: a 2xx counts as confirmed only when it is
    /// written as the API writes it, and then it is valid JSON with a 2xx code.
    static func write(_ data: Data) {
        let strict = StrictAnswer.problem(data) == nil
        if strict {
            require((try? JSONSerialization.jsonObject(with: data)) != nil, "a strict answer that is not JSON")
        }
        if let envelope = try? ResponseInterpreter.decode(HTTPResponse(status: 200, body: data), as: NoRow.self) { screenSafe(envelope.msg) }
        _ = try? ResponseInterpreter.decode(HTTPResponse(status: 201, body: data), as: DNCTotals.self)
        _ = try? ResponseInterpreter.decode(HTTPResponse(status: 500, body: data), as: NoRow.self)
    }

    static func campaigns(_ data: Data) {
        if let envelope = try? ResponseInterpreter.decode(HTTPResponse(status: 200, body: data), as: Campaign.self, read: true) {
            for c in envelope.data.prefix(50) { screenSafe(c.name) }
        }
        _ = try? ResponseInterpreter.decode(HTTPResponse(status: 200, body: data), as: TokenInfo.self, read: true)
    }

    /// The operator's CSV files: parsed and validated row by row; and every
    /// value written to an export comes back from import exactly
    /// (spreadsheet-safe cells included).
    static func csv(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let table = try? CSVTable.parse(text) {
            for row in table.rows.prefix(50) {
                _ = try? RecordCSV.record(row.fields)
                if let columns = try? DNCCSV.Columns(table.header) {
                    _ = try? DNCCSV.entry(row.fields, columns: columns, defaultDays: 30, countryCode: "57")
                }
            }
        }
        // Round trip: the input's text, cut in cells, as one record's values.
        let cells = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        func cell(_ i: Int) -> String { i < cells.count ? cells[i] : "" }
        let record = CustomerRecord(
            customerName: cell(1), customerLastName: cell(2), customerID: cell(0), opts: (0..<12).map { cell(6 + $0) },
            tel1: cell(3), tel2: cell(4), tel3: cell(5))
        // A row whose cells are all blank (spaces, tabs) is a blank line to
        // the reader, skipped as such (`CSVRowStream`): no record comes back
        // from the server without an ID.
        let exported = [record.customerID, record.customerName, record.customerLastName, record.tel1, record.tel2, record.tel3] + record.opts
        guard exported.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return }
        let written = String(decoding: RecordsCSV.data([record], bom: false), as: UTF8.self)
        guard let back = try? CSVTable.parse(written), let row = back.rows.first else {
            require(false, "an export that import cannot read: \(written.debugDescription)")
            return
        }
        require(back.rows.count == 1, "one record exported, \(back.rows.count) rows read back")
        for (name, value) in [("customer_id", record.customerID), ("customer_name", record.customerName), ("tel1", record.tel1), ("opt1", record.opts[0])] {
            require(row.fields[name] == value, "\(name): wrote \(value.debugDescription), read \(String(describing: row.fields[name]).debugDescription)")
        }
        require(SpreadsheetSafety.restore(SpreadsheetSafety.neutralise(record.customerName)) == record.customerName, "neutralise/restore")
    }

    static let configFile: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wvfuzz-\(getpid()).toml")
        FileManager.default.createFile(atPath: url.path, contents: Data(), attributes: [.posixPermissions: 0o600])
        return url
    }()

    /// The config file: any bytes are a config or one error, never a crash.
    static func config(_ data: Data) {
        guard (try? data.write(to: configFile)) != nil else { return }
        chmod(configFile.path, 0o600)
        _ = try? ConfigLoader.load(path: configFile, environment: [:])
    }

    static func theme(_ data: Data) {
        _ = try? Theme.parse(String(decoding: data, as: UTF8.self), name: "fuzz")
    }

    static let secret = "ab/cd+ef/SECRET99"
    static let token = APIToken(secret)!

    /// The token, planted in any bytes, never survives redaction.
    static func redact(_ data: Data) {
        var body = data
        let at = data.isEmpty ? 0 : Int(data[0]) % (data.count + 1)
        body.insert(contentsOf: Data(secret.utf8), at: at)
        let clean = token.redact(body)
        require(clean.range(of: Data(secret.utf8)) == nil, "the token survived redaction")
        require(!token.occurs(in: token.redact(String(decoding: body, as: UTF8.self))), "the token survived text redaction")
    }
}
