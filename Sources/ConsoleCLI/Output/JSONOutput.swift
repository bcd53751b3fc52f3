import Foundation
import WolkvoxAPI

/// The `--json` schema, one object per run, keys sorted so the output is
/// stable and diffable. Every object has `ok` and `command`; failures carry
/// `error: {kind, message, status?, server_message?}`. Documented in README.
public enum JSONOutput {
    public static func emit<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(value)) ?? Data(#"{"ok":false}"#.utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
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
    }

    public static func failure(_ command: String, _ error: any Error) -> Failure {
        if let api = error as? APIError {
            return Failure(command: command, error: ErrorBody(kind: api.kind, message: api.explanation,
                                                              status: api.detail?.status,
                                                              serverMessage: api.detail.map(\.serverMessage).flatMap { $0.isEmpty ? nil : $0 }))
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
            customerName = r.customerName; customerLastName = r.customerLastName; customerId = r.customerID
            opt = r.opts; tel1 = r.tel1; tel2 = r.tel2; tel3 = r.tel3; date = r.date; calls = r.calls
            connId = r.connID; result = r.result; campaignId = r.campaignID
        }
    }
}
