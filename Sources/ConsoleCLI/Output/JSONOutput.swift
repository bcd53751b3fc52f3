import Foundation
import Messages
import WolkvoxAPI

/// The `--json` schema, one object per run, keys sorted so the output is
/// stable and diffable. Every object has `ok` and `command`; failures carry
/// `error: {kind, message, status?, server_message?}`. Documented in README.
public enum JSONOutput {
    /// Sorted keys, snake_case names: every JSON document the CLI prints.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    public static func emit<T: Encodable>(_ value: T) {
        guard Interruption.mayWriteOutput() else { return }
        let data = (try? encoder.encode(value)) ?? Data(#"{"ok":false}"#.utf8)
        FileHandle.standardOutput.write(terminalSafe(data) + Data("\n".utf8))
    }

    /// JSONEncoder leaves DEL, C1 controls and bidi characters raw; printed
    /// on a terminal they can act or reorder text. They only occur inside
    /// strings, so escaping them keeps the document valid and the data exact.
    static func terminalSafe(_ data: Data) -> Data {
        guard let text = String(data: data, encoding: .utf8),
            text.unicodeScalars.contains(where: { $0.value >= 0x7F && TerminalSafety.mustEscape($0.value) })
        else { return data }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if u.value >= 0x7F && TerminalSafety.mustEscape(u.value) {
                out.append(contentsOf: TerminalSafety.jsonEscape(u.value).unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return Data(String(out).utf8)
    }

    /// `find --json`, written directly (see `JSONWriter`): the same document
    /// JSONEncoder gives for `FindCommand.Output`, keys sorted.
    static func findDocument(_ answer: FindAnswer) -> [UInt8] {
        var w = JSONWriter(capacity: answer.records.count * 420 + 256)
        writeFind(answer, into: &w)
        return w.bytes
    }

    /// `find --json` to stdout through one 1 MiB buffer, then a newline.
    static func printFind(_ answer: FindAnswer, stats: Breakdown? = nil, fd: Int32 = 1) {
        guard Interruption.mayWriteOutput() else { return }
        var w = JSONWriter(capacity: StdoutWriter.chunk + 4096, flushingTo: StdoutWriter(fd: fd))
        writeFind(answer, stats: stats, into: &w)
        w.raw("\n")
        w.finish()
    }

    static func writeFind(_ answer: FindAnswer, stats: Breakdown? = nil, into w: inout JSONWriter) {
        w.raw("{")
        // "capped": the service's maximum came back, so there may be more matches (keys stay sorted).
        w.key("capped")
        w.raw(answer.atCap ? "true" : "false")
        w.raw(",")
        w.key("command")
        w.string("find")
        w.raw(",")
        w.key("count")
        w.int(answer.records.count)
        w.raw(",")
        w.key("message")
        w.string(TerminalText.sanitize(answer.message, limit: 200))
        w.raw(",")
        w.key("ok")
        w.raw("true")
        w.raw(",")
        w.key("query")
        w.raw("{")
        var first = true
        for (name, value) in [
            ("campaign_id" as StaticString, answer.query.campaignID), ("customer_id", answer.query.customerID), ("phone", answer.query.phone),
        ] {
            guard let value else { continue }
            if !first { w.raw(",") }
            first = false
            w.key(name)
            w.string(value)
        }
        w.raw("}")
        w.raw(",")
        w.key("records")
        w.raw("[")
        writeRecords(answer.records, into: w)
        w.raw("]")
        // "stats" sorts after "records": the document keeps its sorted keys.
        if let stats, let data = try? encoder.encode(StatsOutput.JSON(stats)) {
            w.raw(",")
            w.key("stats")
            w.json(terminalSafe(data))
        }
        w.raw(",")
        w.key("unreadable")
        w.int(answer.unreadable)
        w.raw("}")
    }

    /// The records, in order. From `parallelFrom` records on, a second
    /// thread writes the later half into a buffer of its own while this one
    /// writes (and streams) the first: the same bytes, in about half the time
    /// on two cores (60,000 rows took ~37 ms on one).
    static func writeRecords(_ records: [CustomerRecord], into w: JSONWriter, parallelFrom: Int = 4_000) {
        let half = records.count / 2
        guard records.count >= max(parallelFrom, 2) else { return writeRecords(records[...], into: w) }
        let later = JSONWriter(capacity: (records.count - half) * 420)
        let done = DispatchSemaphore(value: 0)
        let job = UncheckedWriter(writer: later)
        Thread.detachNewThread {
            job.writer.raw(",")
            writeRecords(records[half...], into: job.writer)
            done.signal()
        }
        writeRecords(records[..<half], into: w)
        done.wait()
        w.append(later)
    }

    static func writeRecords(_ records: ArraySlice<CustomerRecord>, into w: JSONWriter) {
        for i in records.indices {
            if i > records.startIndex { w.raw(",") }
            let r = records[i]
            // Keys in sorted order, as JSONEncoder.sorted writes them
            // elsewhere; one call each (two arrays of pairs per record were
            // 120,000 allocations for 60,000 rows).
            w.raw("{")
            w.field("calls", r.calls)
            w.field("campaign_id", r.campaignID)
            w.field("conn_id", r.connID)
            w.field("customer_id", r.customerID)
            w.field("customer_last_name", r.customerLastName)
            w.field("customer_name", r.customerName)
            w.field("date", r.date)
            w.key("opt")
            w.raw("[")
            for (j, o) in r.opts.enumerated() {
                if j > 0 { w.raw(",") }
                w.string(o)
            }
            w.raw("],")
            w.field("result", r.result)
            w.field("tel1", r.tel1)
            w.field("tel2", r.tel2)
            w.key("tel3")
            w.string(r.tel3)
            w.raw("}")
            w.flushIfLarge()
        }
    }

    public struct ErrorBody: Encodable {
        public var kind: String
        public var message: String
        public var status: Int?
        public var serverMessage: String?
    }

    public struct Failure: Encodable {
        public var ok = false
        public var command: String
        public var error: ErrorBody
        /// For a change: `not_sent` (it never left this machine), `rejected`
        /// (the server refused it: nothing changed) or `unknown` (it left and
        /// no answer says what happened: it may have been applied).
        public var outcome: String?
    }

    /// What a change's failure says of its outcome (see `Failure.outcome`).
    public static func writeOutcome(_ error: any Error) -> String? {
        guard let api = error as? APIError else { return nil }
        if api.wasNotSent { return "not_sent" }
        return api.requestWasRejected ? "rejected" : "unknown"
    }

    /// A change's failure: `failure` plus its outcome, and a message that
    /// says whether it may have been applied.
    public static func writeFailure(_ command: String, _ error: any Error) -> Failure {
        var f = failure(command, error)
        f.outcome = writeOutcome(error)
        if f.outcome == "unknown" { f.error.message += " " + Catalog.shared(.en)["cli.may_be_applied"] }
        return f
    }

    /// A line that could not be parsed, under `--json`: scripts get their
    /// one object (kind `usage`) as for every other failure.
    public static func usageFailure(command: String, message: String) -> Failure {
        Failure(command: command.isEmpty ? "wvconsole" : command, error: ErrorBody(kind: "usage", message: message, status: nil, serverMessage: nil))
    }

    public static func failure(_ command: String, _ error: any Error) -> Failure {
        if let api = error as? APIError {
            return Failure(
                command: command,
                error: ErrorBody(
                    kind: api.kind, message: api.explanation,
                    status: api.detail?.status,
                    serverMessage: api.detail.map(\.serverMessage).flatMap { $0.isEmpty ? nil : $0 }))
        }
        if let quota = error as? QuotaRefusal {
            return Failure(command: command, error: ErrorBody(kind: "quota", message: quota.english, status: nil, serverMessage: nil))
        }
        let kind = ExitStatus.of(error) == .validation ? "invalid_input" : (ExitStatus.of(error) == .usage ? "usage" : "error")
        return Failure(command: command, error: ErrorBody(kind: kind, message: "\(error)", status: nil, serverMessage: nil))
    }

    /// A record as scripts see it: every field, names as the API spells them.
    public struct Record: Encodable {
        public var customerName, customerLastName, customerId: String
        public var opt: [String]
        public var tel1, tel2, tel3, date, calls, connId, result, campaignId: String

        public init(_ r: CustomerRecord) {
            customerName = r.customerName
            customerLastName = r.customerLastName
            customerId = r.customerID
            opt = r.opts
            tel1 = r.tel1
            tel2 = r.tel2
            tel3 = r.tel3
            date = r.date
            calls = r.calls
            connId = r.connID
            result = r.result
            campaignId = r.campaignID
        }
    }
}
