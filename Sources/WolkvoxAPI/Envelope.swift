import Foundation

/// The response envelope `{code, error, msg, data}` decoded tolerantly:
/// `code` as number or string, `data` absent, an object, or an array with bad
/// elements (which are skipped, not fatal).
public struct Envelope<Row: Decodable & Sendable>: Decodable, Sendable {
    public var code: Int?
    public var error: String?
    public var msg: String
    public var data: [Row]
    /// `data` was there as an array or an object (an empty array included).
    var hasData: Bool
    /// Elements of `data` that were not records (a number, a nested array).
    var skippedRows: Int

    enum CodingKeys: String, CodingKey { case code, error, msg, data }

    init(code: Int?, error: String?, msg: String, data: [Row], hasData: Bool = true, skippedRows: Int = 0) {
        self.code = code
        self.error = error
        self.msg = msg
        self.data = data
        self.hasData = hasData
        self.skippedRows = skippedRows
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = c.lenientInt(.code)
        let errorText = c.lenient(.error)
        error = errorText.isEmpty ? nil : errorText
        msg = c.lenient(.msg)
        skippedRows = 0
        if let rows = try? c.decode([Lenient<Row>].self, forKey: .data) {
            data = rows.compactMap(\.value)
            skippedRows = rows.count - data.count
            hasData = true
        } else if let row = try? c.decode(Row.self, forKey: .data) {
            data = [row]
            hasData = true
        } else {
            data = []
            hasData = false
        }
    }
}

/// Rows we do not care about (recall/remove answers).
public struct NoRow: Decodable, Sendable {}

/// Turns an HTTP answer into rows or a typed error. Success needs a 2xx status
/// AND (when present) a 2xx `code`; known error messages map to their kind.
public enum ResponseInterpreter {
    /// `read`: the answer to a read, which must say something. A 2xx with
    /// neither a `code` nor `data` (`{}`), or whose `data` holds elements but
    /// not one record, is not "no records": it is an answer that could not be
    /// read. (A write's hollow answer is the caller's to judge: it may have
    /// been applied.)
    public static func decode<Row>(_ response: HTTPResponse, as: Row.Type = Row.self, read: Bool = false) throws -> Envelope<Row> {
        // The API never redirects; a 3xx (followed by nothing) is refused whatever its body says.
        if (300..<400).contains(response.status) {
            throw APIError.redirected(status: response.status, host: APIError.redirectHost(response.redirectLocation))
        }
        // The lenient reader only for valid JSON: a raw control byte inside a
        // string (which no JSON writer produces) made it blank the field and
        // show a record with no ID; such an answer could not be read.
        let envelope =
            fastPath(response, as: Row.self)
            ?? (StrictAnswer.hasRawControlInString(response.body) ? nil : try? JSONDecoder().decode(Envelope<Row>.self, from: response.body))
        let excerpt = TerminalText.excerpt(response.body)
        guard let envelope else {
            let detail = ErrorDetail(status: response.status, excerpt: excerpt)
            if response.status == 403 { throw APIError.maintenance(detail) }
            if (200..<300).contains(response.status) { throw APIError.malformedResponse(detail) }
            if response.status == 401 { throw APIError.missingToken(detail) }
            throw APIError.server(detail)
        }
        let statusOK = (200..<300).contains(response.status)
        let codeOK = envelope.code.map { (200..<300).contains($0) } ?? true
        if statusOK && codeOK {
            guard read else { return envelope }
            if envelope.code == nil && !envelope.hasData {
                throw APIError.malformedResponse(ErrorDetail(status: response.status, serverMessage: "neither a code nor data in the answer", excerpt: excerpt))
            }
            if envelope.data.isEmpty && envelope.skippedRows > 0 {
                let what = "none of the \(envelope.skippedRows) data elements is a record"
                throw APIError.malformedResponse(ErrorDetail(status: response.status, code: envelope.code, serverMessage: what, excerpt: excerpt))
            }
            return envelope
        }
        let message = envelope.msg.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let detail = ErrorDetail(
            status: response.status, code: envelope.code,
            serverMessage: TerminalText.sanitize(envelope.msg, limit: 200), excerpt: excerpt)
        throw classify(message: message, status: statusOK ? (envelope.code ?? response.status) : response.status, detail: detail)
    }

    /// find_record answers (up to 60,000 rows) go through the byte scanner.
    static func fastPath<Row>(_ response: HTTPResponse, as: Row.Type) -> Envelope<Row>? {
        guard Row.self == CustomerRecord.self, let r = response.prescanned ?? FindAnswerScanner.scan(response.body) else { return nil }
        return Envelope<CustomerRecord>(code: r.code, error: r.error, msg: r.msg, data: r.rows, hasData: r.hasData, skippedRows: r.skippedRows) as? Envelope<Row>
    }

    static func classify(message: String, status: Int, detail: ErrorDetail) -> APIError {
        if message.contains("SIMULTANEOUS") { return .simultaneousLimit(detail) }
        if message.contains("TOKEN LIMIT") { return .dailyQuotaExceeded(detail) }
        if message.contains("VALIDATE TOKEN") { return .invalidToken(detail) }
        if message.contains("ENTER THE WOLKVOX-TOKEN") { return .missingToken(detail) }
        if message.contains("THE API YOU WANT TO CONSULT") { return .unknownAPI(detail) }
        if message.contains("PARAMETERS ARE REQUIRED") { return .missingParameters(detail) }
        switch status {
        case 401: return .missingToken(detail)
        case 403: return .maintenance(detail)
        // Any other 4xx with a reason: the server's own words are the reason.
        case 400..<500 where !message.isEmpty: return .refused(detail)
        default: return .server(detail)
        }
    }
}
