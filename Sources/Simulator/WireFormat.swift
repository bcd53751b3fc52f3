import Foundation
import WolkvoxAPI

/// Writes answers byte-compatible with the documented ones: key order
/// `code, error, msg, data`, `code` as a string for find_record ("200") and
/// add_record ("201") but a number for recall/remove (202) and add_dnc (201),
/// and every data value a string.
enum WireFormat {
    enum Code { case number(Int), string(Int) }

    static func envelope(code: Code, error: String? = nil, msg: String, data: String? = nil) -> Data {
        var out = "{\"code\":"
        switch code {
        case .number(let n): out += String(n)
        case .string(let n): out += "\"\(n)\""
        }
        out += ",\"error\":" + (error.map(quote) ?? "null")
        out += ",\"msg\":" + quote(msg)
        if let data { out += ",\"data\":" + data }
        out += "}"
        return Data(out.utf8)
    }

    static func error(_ status: Int, _ msg: String) -> Data {
        let label = [400: "BAD REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN"][status] ?? "ERROR"
        return envelope(code: .number(status), error: label, msg: msg)
    }

    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { quote($0.0) + ":" + quote($0.1) }.joined(separator: ",") + "}"
    }

    static func records(_ rows: [CustomerRecord]) -> String {
        var out = "["
        out.reserveCapacity(rows.count * 400)
        for (i, r) in rows.enumerated() {
            if i > 0 { out += "," }
            out += "{\"customer_name\":" + quote(r.customerName)
            out += ",\"customer_last_name\":" + quote(r.customerLastName)
            out += ",\"customer_id\":" + quote(r.customerID)
            for (n, v) in r.opts.enumerated() { out += ",\"opt\(n + 1)\":" + quote(v) }
            out += ",\"tel1\":" + quote(r.tel1) + ",\"tel2\":" + quote(r.tel2) + ",\"tel3\":" + quote(r.tel3)
            out += ",\"date\":" + quote(r.date) + ",\"calls\":" + quote(r.calls) + ",\"conn_id\":" + quote(r.connID)
            out += ",\"result\":" + quote(r.result) + ",\"campaign_id\":" + quote(r.campaignID) + "}"
        }
        return out + "]"
    }

    /// Same escaping as the client's request bodies; a fast path for plain text.
    static func quote(_ s: String) -> String {
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { return RequestBuilder.quote(s) }
        return "\"" + s + "\""
    }

    static let maintenancePage = Data(
        """
        <!DOCTYPE html>
        <html><head><title>Mantenimiento</title></head>
        <body><h1>Estamos realizando tareas de mantenimiento</h1>
        <p>Platform maintenance (backups) in progress. API calls are temporarily disabled.</p></body></html>
        """.utf8)
}
