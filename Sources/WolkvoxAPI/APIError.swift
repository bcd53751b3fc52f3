import Foundation

/// What the user needs to see when a call fails: the kind (for the one-line
/// explanation) plus raw detail for "show details".
public struct ErrorDetail: Sendable, Equatable, Codable {
    /// HTTP status, when one arrived.
    public var status: Int?
    /// The envelope's `code`, when the body was JSON.
    public var code: Int?
    /// The server's `msg`, sanitized.
    public var serverMessage: String
    /// First 200 printable characters of the body.
    public var excerpt: String

    public init(status: Int?, code: Int? = nil, serverMessage: String = "", excerpt: String = "") {
        self.status = status
        self.code = code
        self.serverMessage = serverMessage
        self.excerpt = excerpt
    }

    public var summary: String {
        var parts: [String] = []
        if let status { parts.append("HTTP \(status)") }
        if let code, code != status { parts.append("code \(code)") }
        if !serverMessage.isEmpty { parts.append(serverMessage) }
        if !excerpt.isEmpty && excerpt != serverMessage { parts.append("body: \(excerpt)") }
        return parts.joined(separator: " · ")
    }
}

/// Every way a call can fail, typed so the UI and CLI can react (retry a read,
/// stop a bulk job on quota, ask for a new token) and explain in one sentence.
public enum APIError: Error, Sendable, Equatable {
    case unknownAPI(ErrorDetail)
    /// A 4xx whose `msg` gives the server's own reason (a customer or
    /// campaign that does not exist, a value it will not take): rejected,
    /// nothing changed.
    case refused(ErrorDetail)
    case missingParameters(ErrorDetail)
    case missingToken(ErrorDetail)
    case invalidToken(ErrorDetail)
    case dailyQuotaExceeded(ErrorDetail)
    case simultaneousLimit(ErrorDetail)
    case maintenance(ErrorDetail)
    case server(ErrorDetail)
    case malformedResponse(ErrorDetail)
    /// A write answered 2xx without a usable `code`, or with an `error`: it
    /// may or may not have been applied.
    case unconfirmedAnswer(ErrorDetail)
    /// A 3xx, never followed: `host` is where it pointed (sanitized, may be empty).
    case redirected(status: Int, host: String)
    /// The answer grew past the size limit and was cut off.
    case answerTooLarge(limitBytes: Int)
    case timeout(seconds: Int)
    case network(String)
    /// The server was reached and began to answer, then the connection
    /// dropped (a reset, a close mid-body): not the same as unreachable.
    case connectionLost(String)
    case invalidInput(ValidationError)
    case readOnly
    case journalUnavailable(String)
    /// The store (journal, meter, audit) did not answer a read or a
    /// bookkeeping step; no action was at stake.
    case storeUnavailable(String)
    case cancelled
    /// A write that ended before its request left this machine (a cancel
    /// while it waited for a slot or connected, a refused connection, a
    /// proxy's refusal): certainly not applied, and journaled "not sent".
    indirect case notSent(APIError)

    /// A stable key for message catalogues and `--json` output.
    public var kind: String {
        switch self {
        case .unknownAPI: "unknown_api"
        case .refused: "refused"
        case .missingParameters: "missing_parameters"
        case .missingToken: "missing_token"
        case .invalidToken: "invalid_token"
        case .dailyQuotaExceeded: "daily_quota"
        case .simultaneousLimit: "simultaneous_limit"
        case .maintenance: "maintenance"
        case .server: "server_error"
        case .malformedResponse: "malformed_response"
        case .redirected: "redirected"
        case .unconfirmedAnswer: "unconfirmed_answer"
        case .answerTooLarge: "answer_too_large"
        case .timeout: "timeout"
        case .network, .connectionLost: "network"
        case .invalidInput: "invalid_input"
        case .readOnly: "read_only"
        case .journalUnavailable: "journal_unavailable"
        case .storeUnavailable: "store_unavailable"
        case .cancelled: "cancelled"
        case .notSent(let inner): inner.kind
        }
    }

    /// One sentence a supervisor understands.
    public var explanation: String {
        switch self {
        case .unknownAPI: "The server does not know this operation; wvconsole may be out of date."
        case .refused(let d): "The server refused: \(d.serverMessage)."
        case .missingParameters: "The server says a required field is missing from the request."
        case .missingToken: "No API token was sent; set WOLKVOX_TOKEN or token_file in the config."
        case .invalidToken: "The server refused the token: it is wrong, expired or for another server."
        case .dailyQuotaExceeded: "Today's API quota is used up; no more calls can be made until tomorrow."
        case .simultaneousLimit: "Too many requests at once for this token; wait a moment and try again."
        case .maintenance: "Wolkvox is in maintenance and API calls are disabled for a while; try again later."
        case .server(let d): "The server answered with an error\(d.status.map { " (HTTP \($0))" } ?? "")."
        case .malformedResponse: "The server's answer could not be read (empty, cut short or not JSON)."
        case .unconfirmedAnswer: "The server answered without confirming the change (no valid code, or an error)."
        case .redirected(_, let host):
            "The server tried to redirect this request to \(host.isEmpty ? "another address" : host); wvconsole never follows redirects, so nothing was sent there."
        case .answerTooLarge(let limit):
            "The server's answer was larger than \(Self.megabytes(limit)) and was not read; narrow the search."
        case .timeout(let s): "The server did not answer within \(s) seconds."
        case .network(let m): "Could not reach the server: \(TerminalText.sanitize(m, limit: 120))."
        case .connectionLost: "The connection dropped before the whole answer arrived."
        case .invalidInput(let v): v.message
        case .readOnly: "Read-only mode: changes are disabled."
        case .journalUnavailable: "The journal could not record this action, so it was not sent."
        case .storeUnavailable: "The store did not answer; nothing was sent."
        case .cancelled: "Cancelled."
        case .notSent(let inner): inner.explanation + " Nothing was sent."
        }
    }

    public var detail: ErrorDetail? {
        switch self {
        case .unknownAPI(let d), .refused(let d), .missingParameters(let d), .missingToken(let d), .invalidToken(let d),
            .dailyQuotaExceeded(let d), .simultaneousLimit(let d), .maintenance(let d), .server(let d),
            .malformedResponse(let d), .unconfirmedAnswer(let d):
            d
        case .network(let m), .connectionLost(let m), .journalUnavailable(let m), .storeUnavailable(let m):
            ErrorDetail(status: nil, serverMessage: TerminalText.sanitize(m, limit: 200))
        case .redirected(let status, _):
            ErrorDetail(status: status)
        case .notSent(let inner):
            inner.detail
        default:
            nil
        }
    }

    /// True when the request certainly did not reach the service's business
    /// logic, so a write can be reported as "not applied" rather than "unknown".
    public var requestWasRejected: Bool {
        switch self {
        case .unknownAPI, .refused, .missingParameters, .missingToken, .invalidToken, .dailyQuotaExceeded,
            .simultaneousLimit, .maintenance, .invalidInput, .readOnly, .journalUnavailable, .storeUnavailable, .redirected, .notSent:
            true
        case .server, .malformedResponse, .unconfirmedAnswer, .answerTooLarge, .timeout, .network, .connectionLost, .cancelled:
            false
        }
    }

    /// The error itself, without the "not sent" wrapper.
    public var underlying: APIError {
        if case .notSent(let inner) = self { return inner.underlying }
        return self
    }

    /// The request never left this machine (see `notSent`).
    public var wasNotSent: Bool {
        if case .notSent = self { return true }
        return false
    }

    /// For a write: it left this machine and no answer says what happened,
    /// so it may have been applied (a lost or cut answer, a timeout, a
    /// cancel after it left).
    public var outcomeUnknown: Bool { !requestWasRejected }

    /// Errors that end a bulk job rather than a single chunk.
    public var stopsBatch: Bool {
        switch self {
        case .dailyQuotaExceeded, .invalidToken, .missingToken, .maintenance, .readOnly, .journalUnavailable, .storeUnavailable, .cancelled: true
        case .notSent(let inner): inner.stopsBatch
        default: false
        }
    }
}

extension ErrorDetail {
    func redacting(_ token: APIToken) -> ErrorDetail {
        var d = self
        d.serverMessage = token.redact(serverMessage)
        d.excerpt = token.redact(excerpt)
        return d
    }
}

extension APIError {
    /// The same error with the token replaced by its fingerprint in every
    /// text that came from outside (server messages, excerpts, transport text).
    public func redacting(_ token: APIToken) -> APIError {
        switch self {
        case .unknownAPI(let d): .unknownAPI(d.redacting(token))
        case .refused(let d): .refused(d.redacting(token))
        case .missingParameters(let d): .missingParameters(d.redacting(token))
        case .missingToken(let d): .missingToken(d.redacting(token))
        case .invalidToken(let d): .invalidToken(d.redacting(token))
        case .dailyQuotaExceeded(let d): .dailyQuotaExceeded(d.redacting(token))
        case .simultaneousLimit(let d): .simultaneousLimit(d.redacting(token))
        case .maintenance(let d): .maintenance(d.redacting(token))
        case .server(let d): .server(d.redacting(token))
        case .malformedResponse(let d): .malformedResponse(d.redacting(token))
        case .unconfirmedAnswer(let d): .unconfirmedAnswer(d.redacting(token))
        case .redirected(let status, let host): .redirected(status: status, host: token.redact(host))
        case .network(let m): .network(token.redact(m))
        case .connectionLost(let m): .connectionLost(token.redact(m))
        case .journalUnavailable(let m): .journalUnavailable(token.redact(m))
        case .storeUnavailable(let m): .storeUnavailable(token.redact(m))
        case .notSent(let inner): .notSent(inner.redacting(token))
        case .answerTooLarge, .timeout, .invalidInput, .readOnly, .cancelled: self
        }
    }

    /// "256 MB", "1.5 MB", "512 KB": limits as people say them.
    public static func megabytes(_ bytes: Int) -> String {
        if bytes >= 1_048_576 {
            let mb = Double(bytes) / 1_048_576
            return mb.rounded() == mb ? "\(Int(mb)) MB" : String(format: "%.1f MB", mb)
        }
        return "\(max(1, bytes / 1024)) KB"
    }

    /// The host a redirect pointed at, fit for one line on a terminal.
    public static func redirectHost(_ location: String?) -> String {
        guard let location, let url = URL(string: location.trimmingCharacters(in: .whitespaces)), let host = url.host, !host.isEmpty else { return "" }
        return TerminalText.sanitize(host + (url.port.map { ":\($0)" } ?? ""), limit: 80)
    }
}

extension APIError: CustomStringConvertible {
    public var description: String {
        if let d = detail, !d.summary.isEmpty, !explanation.contains(d.summary) { return "\(explanation) [\(d.summary)]" }
        return explanation
    }
}
