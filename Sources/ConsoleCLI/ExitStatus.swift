import ArgumentParser
import ConsoleConfig
import WolkvoxAPI

/// Documented exit codes, stable for scripts and cron:
/// 0 ok · 1 usage · 2 validation · 3 API error · 4 quota/limit · 5 network/timeout.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    public static var allCodes: [Int32] { allCases.map(\.rawValue) }
    case ok = 0, usage = 1, validation = 2, apiError = 3, quotaOrLimit = 4, network = 5

    public static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is ConfigError, is BulkJobError: return .usage
        case is CSVTable.ReadError: return .validation
        case is ArgumentParser.ValidationError: return .usage
        case is WolkvoxAPI.ValidationError: return .validation
        case let api as APIError:
            switch api {
            case .invalidInput: return .validation
            case .dailyQuotaExceeded, .simultaneousLimit: return .quotaOrLimit
            case .timeout, .network, .cancelled: return .network
            case .readOnly: return .usage
            default: return .apiError
            }
        default: return .apiError
        }
    }
}

/// Errors go to stderr as one line; the process exits with the documented code.
public func fail(_ error: any Error) -> ExitCode {
    let line: String
    switch error {
    case let api as APIError: line = api.description
    case let config as ConfigError: line = config.message
    case let v as WolkvoxAPI.ValidationError: line = v.message
    default: line = String(describing: error)
    }
    CLIOutput.error(line)
    return ExitCode(ExitStatus.of(error).rawValue)
}
