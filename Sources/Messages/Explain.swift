import Foundation
import WolkvoxAPI

extension Catalog {
    /// Our one-sentence explanation of a failed call, in this language. The
    /// server's own words stay in `APIError.detail` (shown under "details",
    /// untranslated), so nothing the server said is lost in translation.
    public func explain(_ error: APIError) -> String {
        switch error {
        case .invalidInput(let v): return explain(v)
        case .notSent(let inner): return explain(inner) + " " + self["outcome.not_sent"]
        case .timeout(let s): return text("error.timeout", ["seconds": String(s)])
        case .network(let m): return text("error.network_detail", ["detail": TerminalText.sanitize(m, limit: 120)])
        case .connectionLost: return text("error.connection_lost")
        case .redirected(_, let host):
            return text("error.redirected", ["host": host.isEmpty ? self["error.another_address"] : host])
        case .answerTooLarge(let limit):
            return text("error.answer_too_large", ["limit": APIError.megabytes(limit)])
        case .refused(let d):
            return text("error.refused", ["message": TerminalText.sanitize(d.serverMessage, limit: 200)])
        case .server(let d):
            return d.status.map { text("error.server_error_status", ["status": String($0)]) } ?? text("error.server_error")
        default:
            let key = "error." + error.kind
            return has(key) ? text(key) : error.explanation
        }
    }

    /// A refused input, in this language; English from the validator when
    /// the catalogue has no entry for it.
    public func explain(_ v: ValidationError) -> String {
        guard let key = v.key.map({ "validation." + $0 }), has(key) else { return v.message }
        var args = v.args
        if let epoch = args["epoch"].flatMap(TimeInterval.init) {
            args["time"] = DateText.dateTime(Date(timeIntervalSince1970: epoch), language)
        }
        return text(key, args)
    }

    /// The explanation plus what is known about whether anything changed.
    public func explainWrite(_ error: APIError) -> String {
        if error.wasNotSent { return explain(error) }
        return explain(error) + " " + (error.requestWasRejected ? self["outcome.not_changed"] : self["outcome.unknown"])
    }
}
