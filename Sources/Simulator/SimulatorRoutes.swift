import Foundation
import WolkvoxAPI

/// The API rules, in the order the service applies them: token, quota,
/// `api` value, method, faults, parameters, then the endpoint itself.
///
/// Decisions where the contract is silent (documented in README):
/// - a wrong method for a known `api` answers like an unknown API (400);
/// - faults that lose the answer (`truncated`, `empty`, `reset`, `stall`)
///   strike AFTER a write is applied — the worst case for a client, which
///   must then report the outcome as unknown; faults that refuse
///   (`maintenance`, `limit`, `quota`) strike before anything changes.
extension SimulatorCore {
    static let methods: [String: (script: String, method: String)] = [
        "campaigns": ("information.php", "GET"), "token_info": ("information.php", "GET"),
        "find_record": ("campaign.php", "GET"), "recall": ("campaign.php", "PUT"),
        "remove_record": ("campaign.php", "DELETE"), "add_dnc": ("campaign.php", "POST"),
        "add_record": ("campaign.php", "POST"),
    ]

    func handle(_ req: SimRequest) -> SimResponse {
        guard let token = req.headers[WolkvoxHeader.token], !token.isEmpty else {
            return SimResponse(status: 401, body: WireFormat.error(401, "PLEASE ENTER THE WOLKVOX-TOKEN"))
        }
        guard token == config.token else { return SimResponse(status: 403, body: WireFormat.error(403, "PLEASE VALIDATE TOKEN")) }
        guard countCall() else { return SimResponse(status: 403, body: WireFormat.error(403, "TOKEN LIMIT EXCEEDED")) }
        let api = req.query["api"] ?? ""
        let script = String(req.path.split(separator: "/").last ?? "")
        guard let rule = Self.methods[api], rule.script == script, rule.method == req.method else {
            return SimResponse(status: 400, body: WireFormat.error(400, "THE API YOU WANT TO CONSULT DOES NOT EXIST"))
        }
        var delay = 0, stall = false, reset = false, truncated = false, empty = false, flipCode = false, hugeMB = 0
        var bombMB = 0, trickle = 0, strays = false
        for fault in drawFaults(for: api) {
            switch fault {
            case .redirect(let status, let location):
                return SimResponse(
                    status: status, contentType: "text/html; charset=utf-8",
                    body: Data("<a href=\"\(location)\">moved</a>\n".utf8), location: location)
            case .deep(let levels):
                return SimResponse(
                    status: 200,
                    body: Data(
                        ("{\"code\":\"200\",\"msg\":\"deep\",\"data\":" + String(repeating: "[", count: levels)
                            + String(repeating: "]", count: levels) + "}").utf8))
            case .echo:
                // The token first, so the excerpt keeps it: the worst case for the client.
                let echoed = req.headers.sorted {
                    ($0.key.lowercased() == WolkvoxHeader.token ? "" : $0.key) < ($1.key.lowercased() == WolkvoxHeader.token ? "" : $1.key)
                }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
                return SimResponse(status: 500, body: WireFormat.envelope(code: .number(500), error: "ECHO", msg: "bad request; headers were:\n" + echoed))
            case .hollow: return SimResponse(status: 200, body: Data("{}".utf8))
            case .strays: strays = true
            case .huge(let mb): hugeMB = mb
            case .gzipBomb(let mb): bombMB = mb
            case .trickle(let kbps): trickle = kbps * 1024
            case .maintenance: return SimResponse(status: 403, contentType: "text/html; charset=utf-8", body: WireFormat.maintenancePage)
            case .limit: return SimResponse(status: 403, body: WireFormat.error(403, "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"))
            case .quota: return SimResponse(status: 403, body: WireFormat.error(403, "TOKEN LIMIT EXCEEDED"))
            case .latency(let ms): delay += ms
            case .stall: stall = true
            case .reset: reset = true
            case .drop:
                // Lost before the service acted: nothing applied, no answer.
                return SimResponse(status: 200, body: Data(), reset: true)
            case .truncated: truncated = true
            case .empty: empty = true
            case .codeType: flipCode = true
            }
        }
        var response: SimResponse
        switch api {
        case "campaigns": response = campaignList()
        case "token_info": response = tokenInfo()
        case "find_record": response = findRecord(req)
        case "recall": response = recall(req)
        case "remove_record": response = removeRecord(req)
        case "add_dnc": response = addDNC(req)
        default: response = addRecord(req)
        }
        if flipCode { response.body = Self.flipCodeType(response.body) }
        if strays { response.body = Self.withStrays(response.body) }
        if truncated { response.body = response.body.prefix(max(1, response.body.count / 2)) }
        if empty { response.body = Data() }
        if hugeMB > 0, response.body.last == UInt8(ascii: "}") {
            // Still one valid answer, padded with whitespace to the size asked for.
            var body = response.body.dropLast()
            body.append(Data(repeating: 0x20, count: max(0, hugeMB * 1_048_576 - response.body.count)))
            body.append(UInt8(ascii: "}"))
            response.body = Data(body)
        }
        if bombMB > 0 {
            // The answer padded with spaces to the size asked for, gzipped:
            // valid once inflated, and ~160 times smaller on the wire.
            let body = response.body
            let closes = body.last == UInt8(ascii: "}")
            let head = closes ? Data(body.dropLast()) : body
            let tail = closes ? Data("}".utf8) : Data()
            response.body = Gzip.encode(prefix: head, run: 0x20, count: max(0, bombMB * 1_048_576 - body.count), suffix: tail)
            response.contentEncoding = "gzip"
        }
        response.trickleBytesPerSecond = trickle
        response.delayMilliseconds = delay
        response.stall = stall
        response.reset = reset
        return response
    }

    static func missing() -> SimResponse { SimResponse(status: 400, body: WireFormat.error(400, "SOME PARAMETERS ARE REQUIRED")) }

    /// The `strays` fault: `null`, `7` and `[1]` first in `data`, the records after them.
    static func withStrays(_ body: Data) -> Data {
        let text = String(decoding: body, as: UTF8.self)
        guard let open = text.range(of: "\"data\":[") else { return body }
        let empty = text[open.upperBound...].first == "]"
        return Data(text.replacingCharacters(in: open, with: "\"data\":[null,7,[1]" + (empty ? "" : ",")).utf8)
    }

    static func flipCodeType(_ body: Data) -> Data {
        var text = String(decoding: body, as: UTF8.self)
        if let r = text.range(of: #"^\{"code":"(\d+)""#, options: .regularExpression) {
            let digits = text[r].filter(\.isNumber)
            text.replaceSubrange(r, with: "{\"code\":\(digits)")
        } else if let r = text.range(of: #"^\{"code":(\d+)"#, options: .regularExpression) {
            let digits = text[r].filter(\.isNumber)
            text.replaceSubrange(r, with: "{\"code\":\"\(digits)\"")
        }
        return Data(text.utf8)
    }

    func campaignList() -> SimResponse {
        var counts: [String: Int] = [:]
        for key in records.keys { counts[key.campaignID, default: 0] += 1 }
        let rows = campaigns.map { c in
            WireFormat.object([
                ("campaign_id", c.id), ("campaign_name", c.name), ("campaign_description", c.description),
                ("type_campaign", c.type.rawValue), ("status", c.status), ("records", String(counts[c.id] ?? 0)),
                ("speed", "1.5"), ("dial_mode", c.type == .predictive ? "predictive" : "preview"),
                ("last_use", "2026-11-24 08:00:00"), ("recycled", "0"), ("turbo_dial", "no"),
            ])
        }
        return SimResponse(
            status: 200,
            body: WireFormat.envelope(
                code: .number(200), msg: "\(rows.count) campaigns were found",
                data: "[" + rows.joined(separator: ",") + "]"))
    }

    /// The vendor's figures, all strings: this call is already counted (it
    /// costs one use), `token_use_today` is this token's calls and
    /// `all_token_today` the whole account's, against `token_limit`.
    func tokenInfo() -> SimResponse {
        let limit = config.licenses * 1000
        let all = callsToday + config.otherTokensToday
        let row = WireFormat.object([
            ("description", "Simulator token"), ("token_limit", String(limit)),
            ("token_use_today", String(callsToday)), ("all_token_today", String(all)),
            ("available_consumption_options", String(max(0, limit - all))),
        ])
        return SimResponse(status: 200, body: WireFormat.envelope(code: .number(200), msg: "token information", data: "[\(row)]"))
    }

    static func digits(_ s: String) -> String { s.filter { $0.isASCII && $0.isNumber } }
}
