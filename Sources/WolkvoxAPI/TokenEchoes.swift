import Foundation

/// Rows whose decoded texts may carry an echo of the token. The raw bytes
/// are redacted before decoding, but a server that writes the token with
/// JSON escapes (`ab\/cd`, as PHP writes `/`; `\u0041`) puts it back
/// together only when decoded: each such row is looked at again after.
protocol TokenEchoes {
    mutating func redactToken(_ token: APIToken)
}

extension CustomerRecord: TokenEchoes {
    mutating func redactToken(_ token: APIToken) {
        token.redact(field: &customerName)
        token.redact(field: &customerLastName)
        token.redact(field: &customerID)
        for i in opts.indices { token.redact(field: &opts[i]) }
        token.redact(field: &tel1)
        token.redact(field: &tel2)
        token.redact(field: &tel3)
        token.redact(field: &date)
        token.redact(field: &calls)
        token.redact(field: &connID)
        token.redact(field: &result)
        token.redact(field: &campaignID)
    }
}

extension Campaign: TokenEchoes {
    mutating func redactToken(_ token: APIToken) {
        token.redact(field: &id)
        token.redact(field: &name)
        token.redact(field: &description)
        token.redact(field: &type)
        token.redact(field: &status)
    }
}

extension Envelope {
    /// Every row's texts, and the message and error, free of the token
    /// however it was spelled in the answer.
    mutating func redactEchoes(_ token: APIToken) {
        msg = token.redact(msg)
        error = error.map(token.redact)
        guard Row.self is any TokenEchoes.Type else { return }
        for i in data.indices {
            guard var row = data[i] as? any TokenEchoes else { continue }
            row.redactToken(token)
            if let back = row as? Row { data[i] = back }
        }
    }
}
