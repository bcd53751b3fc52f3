import Foundation

/// Where requests go: `https://wv{server}.wolkvox.com/api/v2/`, or a base URL
/// override (the simulator on loopback).
public struct ServiceEndpoint: Sendable, Equatable {
    public let server: String
    public let baseURL: URL

    public init(server: String, baseURL: URL? = nil) throws {
        self.server = try Validate.serverName(server)
        if let baseURL {
            guard let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https", baseURL.host != nil else {
                throw ValidationError(.baseURL, "base_url must be an http(s) URL with a host.")
            }
            // `…/api/v2/?x=1#f` would swallow the path and the api parameter of every request.
            guard baseURL.query == nil, baseURL.fragment == nil, !baseURL.absoluteString.contains("?"), !baseURL.absoluteString.contains("#") else {
                throw ValidationError(.baseURL, "base_url must not carry a query (?…) or a fragment (#…).")
            }
            var text = baseURL.absoluteString
            if !text.hasSuffix("/") { text += "/" }
            self.baseURL = URL(string: text)!
        } else {
            self.baseURL = URL(string: "https://wv\(self.server).wolkvox.com/api/v2/")!
        }
    }
}

/// The one place that turns an `APICall` into method, URL, query, headers and body
/// exactly as `wolkvox-api.md` says.
public struct RequestBuilder: Sendable {
    public let endpoint: ServiceEndpoint
    let token: APIToken

    public init(endpoint: ServiceEndpoint, token: APIToken) {
        self.endpoint = endpoint
        self.token = token
    }

    public func request(for call: APICall, timeZone: TimeZone = .current) throws -> HTTPRequest {
        let api = call.api
        var query: [(String, String)] = [("api", api.rawValue)]
        var body: Data?
        switch call {
        case .campaigns, .tokenInfo:
            break
        case .findRecord(let q):
            query += [("campaign_id", q.campaignID ?? ""), ("customer_phone", q.phone ?? ""), ("customer_id", q.customerID ?? "")]
        case .recall(let o):
            query += [("type_campaign", o.campaignType.rawValue), ("campaign_id", o.campaignID)]
            body = Self.json([
                ("recall_date", Validate.apiFormatter(timeZone).string(from: o.when)),
                ("recall_telephone", o.phone),
                ("customer_id", o.customerID),
            ])
        case .removeRecord(let o):
            query += [("type_campaign", o.campaignType.rawValue), ("campaign_id", o.campaignID)]
            if let r = o.onlyResult { query.append(("result", r.rawValue)) }
            body = Self.json([("customer_id", o.customerIDs.joined(separator: ","))])
        case .addDNC(let entries):
            body = Self.jsonArray(entries.map { [("telephone", $0.telephone), ("days_block", String($0.days))] })
        case .addRecord(let b):
            query += [
                ("type_campaign", CampaignType.predictive.rawValue), ("campaign_id", b.campaignID),
                ("campaign_status", b.campaignStatus),
            ]
            body = Self.jsonArray(b.records.map { $0.orderedPairs() })
        }
        let text = endpoint.baseURL.absoluteString + api.script + "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        guard let url = URL(string: text) else { throw ValidationError(.baseURL, "Could not build a URL for \(api.rawValue).") }
        var headers = [WolkvoxHeader.token: token.secret, "Accept": "application/json"]
        if api.method != .GET { headers[WolkvoxHeader.contentType] = "application/json" }
        var request = HTTPRequest(method: api.method, url: url, headers: headers, body: body)
        request.answerIsFindRecord = api == .findRecord
        return request
    }

    /// RFC 3986 unreserved characters pass; everything else (`&`, `#`, `=`, `+`, space, non-ASCII) is percent-encoded,
    /// so a value can never inject a parameter.
    public static func encode(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        let hex = Array("0123456789ABCDEF")
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(b)))
            default:
                out.append("%")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return out
    }

    /// Objects with keys in a fixed order (JSONSerialization would shuffle them), all values strings.
    static func json(_ pairs: [(String, String)]) -> Data {
        Data(object(pairs).utf8)
    }

    static func jsonArray(_ rows: [[(String, String)]]) -> Data {
        var out = "["
        out.reserveCapacity(rows.count * 64)
        for (i, row) in rows.enumerated() {
            if i > 0 { out += "," }
            out += object(row)
        }
        out += "]"
        return Data(out.utf8)
    }

    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(quote($0.0)):\(quote($0.1))" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal (shared with the simulator so both sides escape alike).
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
