import ArgumentParser
import ConsoleConfig
import Messages
import WolkvoxAPI

/// Documented exit codes, stable for scripts and cron:
/// 0 ok · 1 usage · 2 validation · 3 API error (nothing applied) ·
/// 4 quota/limit · 5 network/timeout (nothing applied) · 6 incomplete (part
/// applied, or a change that left and whose outcome is unknown) · 7 done, but
/// its outcome could not be written to the local journal (disk full) · 8 the
/// journal could not record a change before it was sent (nothing sent).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    public static var allCodes: [Int32] { allCases.map(\.rawValue) }
    case ok = 0, usage = 1, validation = 2, apiError = 3, quotaOrLimit = 4, network = 5, incomplete = 6, notRecorded = 7, journalUnavailable = 8

    /// A change's failure: one that left this machine without an answer that
    /// says what happened may be applied, so it is 6 whatever cut it short
    /// (a script that retries on 3 or 5 must never apply a change twice).
    public static func ofWrite(_ error: any Error) -> ExitStatus {
        if let api = error as? APIError, api.outcomeUnknown { return .incomplete }
        return of(error)
    }

    public static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is ConfigError, is BulkJobError: return .usage
        case is QuotaRefusal: return .quotaOrLimit
        case is CSVTable.ReadError: return .validation
        case is ArgumentParser.ValidationError: return .usage
        case is WolkvoxAPI.ValidationError: return .validation
        case let api as APIError:
            switch api {
            case .notSent(let inner): return of(inner)
            case .journalUnavailable: return .journalUnavailable
            case .invalidInput: return .validation
            case .dailyQuotaExceeded, .simultaneousLimit: return .quotaOrLimit
            case .timeout, .network, .connectionLost, .cancelled: return .network
            case .readOnly: return .usage
            default: return .apiError
            }
        default: return .apiError
        }
    }
}

/// After a change the server confirmed: if the journal could not record it,
/// say so on stderr and end with status 7 instead of a clean 0.
func requireRecorded(_ recorded: Bool) throws {
    guard !recorded else { return }
    CLIOutput.error(CLIText["cli.not_recorded"])
    throw ExitCode(ExitStatus.notRecorded.rawValue)
}

/// Errors go to stderr as one line; the process exits with the documented code.
public func fail(_ error: any Error) -> ExitCode {
    CLIOutput.error(failureLine(error))
    return ExitCode(ExitStatus.of(error).rawValue)
}

/// A change's failure: the line says whether it may have been applied (and
/// how to check) or was never sent, and the status follows `ofWrite`.
public func failWrite(_ error: any Error) -> ExitCode {
    CLIOutput.error(writeFailureLine(error))
    return ExitCode(ExitStatus.ofWrite(error).rawValue)
}

/// `failureLine`, plus what is known of the change: "nothing was sent", or
/// "it may have been applied: check with wvconsole audit --reconcile".
public func writeFailureLine(_ error: any Error, _ catalog: Catalog = CLIText.catalog) -> String {
    guard let api = error as? APIError else { return failureLine(error, catalog) }
    let line = failureLine(api, catalog)
    if api.wasNotSent { return line }
    return line + " " + catalog[api.outcomeUnknown ? "cli.may_be_applied" : "outcome.not_changed"]
}

/// The one line a failure prints: our sentence in the operator's language,
/// then what the server said, untranslated, in brackets.
public func failureLine(_ error: any Error, _ catalog: Catalog = CLIText.catalog) -> String {
    switch error {
    case let api as APIError:
        let sentence = catalog.explain(api)
        var detail = api.detail ?? ErrorDetail(status: nil)
        // A sentence that already quotes the server's words (network, refused) says them once.
        if !detail.serverMessage.isEmpty && sentence.contains(detail.serverMessage) {
            detail.serverMessage = ""
            detail.excerpt = ""
        }
        let summary = detail.summary
        return sentence + (summary.isEmpty || sentence.contains(summary) ? "" : " [\(summary)]")
    case let config as ConfigError: return config.message
    case let quota as QuotaRefusal: return quota.description
    case let v as WolkvoxAPI.ValidationError: return catalog.explain(v)
    default: return String(describing: error)
    }
}
