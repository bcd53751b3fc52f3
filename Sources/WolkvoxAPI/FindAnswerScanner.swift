import Foundation

/// A single-pass byte scanner for find_record answers, the one body that can
/// be 60,000 rows and tens of megabytes. `JSONDecoder` with lenient per-field
/// decoding took longer than `jq` on the same bytes; this reads each value
/// once, straight into `CustomerRecord`, with the same tolerance: `code` as
/// number or string, `data` absent/object/array, non-object elements skipped,
/// numbers/bools/null accepted where strings are documented, nested values
/// ignored. Anything that is not well-formed JSON returns nil and the caller
/// falls back to the general path, which classifies the error.
struct FindAnswerScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    struct Result: Sendable, Equatable {
        var code: Int?
        var error: String?
        var msg: String
        var rows: [CustomerRecord]
        /// `data` was an array or an object; how many of its elements were not records.
        var hasData = false
        var skippedRows = 0
    }

    static func scan(_ data: Data) -> Result? {
        data.withUnsafeBytes { raw in
            var s = FindAnswerScanner(bytes: raw.bindMemory(to: UInt8.self))
            return s.envelope()
        }
    }

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func envelope() -> Result? {
        skipSpace()
        if i + 3 <= bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF {
            i += 3
            skipSpace()
        }
        guard take(UInt8(ascii: "{")) else { return nil }
        var result = Result(code: nil, error: nil, msg: "", rows: [])
        var first = true
        while true {
            guard let member = member(&first) else { return nil }
            guard case .key(let key) = member else { break }
            if key == "data" {
                guard let rows = data(skipped: &result.skippedRows, present: &result.hasData) else { return nil }
                result.rows = rows
            } else {
                guard envelopeValue(key, into: &result) else { return nil }
            }
        }
        skipSpace()
        return i == bytes.count ? result : nil
    }

    /// The value of an envelope member other than `data`: false when malformed.
    mutating func envelopeValue(_ key: String, into result: inout Result) -> Bool {
        switch key {
        case "code":
            guard let v = scalar() else { return false }
            let t = v?.trimmingCharacters(in: .whitespaces) ?? ""
            result.code = Int(t) ?? Double(t).flatMap { $0.isFinite && $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil }
        case "error":
            guard let v = scalar() else { return false }
            result.error = (v?.isEmpty ?? true) ? nil : v
        case "msg":
            guard let v = scalar() else { return false }
            result.msg = v ?? ""
        default:
            return skipValue()
        }
        return true
    }

    private mutating func data(skipped: inout Int, present: inout Bool) -> [CustomerRecord]? {
        skipped = 0
        present = peek == UInt8(ascii: "{") || peek == UInt8(ascii: "[")
        if peek == UInt8(ascii: "{") { return record().map { [$0] } }
        guard take(UInt8(ascii: "[")) else {
            return skipValue() ? [] : nil
        }
        var rows: [CustomerRecord] = []
        var first = true
        while true {
            guard let more = nextItem(&first, closer: UInt8(ascii: "]")) else { return nil }
            guard more else { return rows }
            guard let element = element() else { return nil }
            switch element {
            case .record(let r): rows.append(r)
            case .skipped: skipped += 1
            }
        }
    }

    enum Element { case record(CustomerRecord), skipped }

    /// One `data` element: a record, or any other value, skipped. Nil when malformed.
    mutating func element() -> Element? {
        if peek == UInt8(ascii: "{") { return record().map { .record($0) } }
        return skipValue() ? .skipped : nil
    }

    enum Member { case key(String), end }

    /// The next member of an object, up to its value: `end` at `}`, nil when malformed.
    mutating func member(_ first: inout Bool) -> Member? {
        guard let more = nextItem(&first, closer: UInt8(ascii: "}")) else { return nil }
        guard more else { return .end }
        guard let key = string(), colon() else { return nil }
        return .key(key)
    }

    /// Up to the next member of an object or element of an array: false at
    /// its `closer`, nil when malformed.
    mutating func nextItem(_ first: inout Bool, closer: UInt8) -> Bool? {
        skipSpace()
        if take(closer) { return false }
        if !first {
            guard take(UInt8(ascii: ",")) else { return nil }
            skipSpace()
        }
        first = false
        return true
    }

    /// `:` after a key, with the space around it.
    private mutating func colon() -> Bool {
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return false }
        skipSpace()
        return true
    }

    private enum FieldMember { case field(Int?), end }

    /// Like `member`, for a record: the key as a field number (0 name, 1 last
    /// name, 2 ID, 3–5 tel1–3, 6 date, 7 calls, 8 conn_id, 9 result,
    /// 10 campaign, 11–22 opt1–12; nil for any other key).
    private mutating func fieldMember(_ first: inout Bool) -> FieldMember? {
        guard let more = nextItem(&first, closer: UInt8(ascii: "}")) else { return nil }
        guard more else { return .end }
        guard peek == UInt8(ascii: "\"") else { return nil }
        var end = i + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        let field: Int?
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            field = Self.field(UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]))
            i = end + 1
        } else {
            // Escapes in a key (or a malformed one): the general string reader decides.
            guard var key = string() else { return nil }
            field = key.withUTF8 { Self.field($0) }
        }
        return colon() ? .field(field) : nil
    }

    /// A find_record key's field number, from its UTF-8 bytes.
    static func field(_ k: UnsafeBufferPointer<UInt8>) -> Int? {
        func equals(_ word: StaticString) -> Bool {
            word.utf8CodeUnitCount == k.count && memcmp(word.utf8Start, k.baseAddress!, k.count) == 0
        }
        func opt(_ digits: Int) -> Int? {
            guard k[0] == UInt8(ascii: "o"), k[1] == UInt8(ascii: "p"), k[2] == UInt8(ascii: "t") else { return nil }
            if digits == 1 { return (49...57).contains(k[3]) ? 10 + Int(k[3] - 48) : nil }
            return k[3] == UInt8(ascii: "1") && (48...50).contains(k[4]) ? 20 + Int(k[4] - 48) : nil
        }
        switch k.count {
        case 4:
            if k[0] == UInt8(ascii: "t"), k[1] == UInt8(ascii: "e"), k[2] == UInt8(ascii: "l"), (49...51).contains(k[3]) { return 2 + Int(k[3] - 48) }
            return equals("date") ? 6 : opt(1)
        case 5: return equals("calls") ? 7 : opt(2)
        case 6: return equals("result") ? 9 : nil
        case 7: return equals("conn_id") ? 8 : nil
        case 11: return equals("customer_id") ? 2 : equals("campaign_id") ? 10 : nil
        case 13: return equals("customer_name") ? 0 : nil
        case 18: return equals("customer_last_name") ? 1 : nil
        default: return nil
        }
    }

    mutating func record() -> CustomerRecord? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var r = CustomerRecord(customerID: "")
        var seen: UInt32 = 0
        var first = true
        while true {
            // The key is matched on its bytes (no String per member: 25 per
            // record, 1.5 million in a 60,000-row answer).
            guard let member = fieldMember(&first) else { return nil }
            guard case .field(let known) = member else { return r }
            guard let value = scalar() else { return nil }
            let v = value ?? ""
            // A key given twice keeps its first value, as Foundation's decoder
            // does (found by the fuzz test), so both paths read the same record.
            guard let field = known, seen & (1 << field) == 0 else { continue }
            seen |= 1 << field
            switch field {
            case 0: r.customerName = v
            case 1: r.customerLastName = v
            case 2: r.customerID = v
            case 3: r.tel1 = v
            case 4: r.tel2 = v
            case 5: r.tel3 = v
            case 6: r.date = v
            case 7: r.calls = v
            case 8: r.connID = v
            case 9: r.result = v
            case 10: r.campaignID = v
            default: r.opts[field - 11] = v
            }
        }
    }

    // MARK: values

    /// A string, number, bool or null as text (null → nil); nested objects and
    /// arrays are skipped and read as nil. Outer nil means malformed.
    private mutating func scalar() -> String?? {
        guard let c = peek else { return nil }
        switch c {
        case UInt8(ascii: "\""): return string().map { .some($0) }
        case UInt8(ascii: "{"), UInt8(ascii: "["): return skipValue() ? .some(nil) : nil
        case UInt8(ascii: "t"): return literal("true") ? .some("true") : nil
        case UInt8(ascii: "f"): return literal("false") ? .some("false") : nil
        case UInt8(ascii: "n"): return literal("null") ? .some(nil) : nil
        default:
            let start = i
            while let b = peek,
                b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                    || (b >= 48 && b <= 57)
            { i += 1 }
            guard i > start, Self.isJSONNumber(bytes[start..<i]) else { return nil }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
        }
    }

    /// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    /// (Found by the fuzz test: `959039100-` was read as a number.)
    static func isJSONNumber(_ t: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var k = t.startIndex
        func digit() -> Bool { k < t.endIndex && t[k] >= 48 && t[k] <= 57 }
        func digits() -> Bool {
            guard digit() else { return false }
            while digit() { k += 1 }
            return true
        }
        if k < t.endIndex && t[k] == UInt8(ascii: "-") { k += 1 }
        if k < t.endIndex && t[k] == UInt8(ascii: "0") { k += 1 } else if !digits() { return false }
        if k < t.endIndex && t[k] == UInt8(ascii: ".") {
            k += 1
            guard digits() else { return false }
        }
        if k < t.endIndex && (t[k] == UInt8(ascii: "e") || t[k] == UInt8(ascii: "E")) {
            k += 1
            if k < t.endIndex && (t[k] == UInt8(ascii: "+") || t[k] == UInt8(ascii: "-")) { k += 1 }
            guard digits() else { return false }
        }
        return k == t.endIndex
    }

    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        // Fast path: no escapes — one copy, validated as UTF-8 by String(decoding:).
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { return nil }
            i += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        guard let low = hex4() else { return nil }
                        if (0xDC00..<0xE000).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) } else { code = 0xFFFD }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            default:
                if b < 0x20 { return nil }
                out.append(b)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            i += 1
            let d: UInt8
            switch b {
            case 48...57: d = b - 48
            case 65...70: d = b - 55
            case 97...102: d = b - 87
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Deeper nesting than this is refused as malformed (Foundation's own
    /// JSON parser stops at the same depth).
    static let maxDepth = 512

    /// Skips any JSON value; false if malformed or nested deeper than
    /// `maxDepth`. Iterative: a hostile body of 30,000 `[` cannot overflow
    /// the stack (it did when this recursed).
    mutating func skipValue() -> Bool {
        var closers: [UInt8] = []
        while true {
            // A value starts here.
            guard let c = peek else { return false }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                guard closers.count < Self.maxDepth else { return false }
                let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                i += 1
                skipSpace()
                if !take(close) {
                    closers.append(close)
                    if close == UInt8(ascii: "}") { guard member() else { return false } }
                    continue
                }
            } else {
                guard scalar() != nil else { return false }
            }
            // A value ended: close what is complete, then expect the next element.
            while true {
                guard let close = closers.last else { return true }
                skipSpace()
                if take(close) {
                    closers.removeLast()
                    continue
                }
                guard take(UInt8(ascii: ",")) else { return false }
                skipSpace()
                if close == UInt8(ascii: "}") { guard member() else { return false } }
                break
            }
        }
    }

    /// `"key" :` and the space after it, inside an object being skipped.
    private mutating func member() -> Bool {
        string() != nil && colon()
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        let w = UnsafeBufferPointer(start: word.utf8Start, count: n)
        for k in 0..<n where bytes[i + k] != w[k] { return false }
        i += n
        return true
    }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func take(_ b: UInt8) -> Bool {
        if i < bytes.count, bytes[i] == b {
            i += 1
            return true
        }
        return false
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }
}
