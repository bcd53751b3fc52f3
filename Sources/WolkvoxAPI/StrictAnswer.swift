import Foundation

/// What a 2xx answer to a change must look like before it counts as a
/// confirmation: one well-formed JSON object, no key twice (which of two
/// `code`s would the service mean?), `code` spelled as the API writes it
/// (`202` or `"202"`: digits, no sign, exponent, spaces or leading zero),
/// `error` absent or `null`, and no raw control byte inside a string (that
/// is not JSON; a lenient reader would blank the field). Anything else may
/// or may not have been applied: the change is recorded unknown.
public enum StrictAnswer {
    /// Why `body` is not a clean confirmation, or nil when it is.
    public static func problem(_ body: Data) -> String? {
        var scanner = Scanner(bytes: [UInt8](body))
        do {
            let members = try scanner.topLevelObject()
            var seen = Set<String>()
            for (key, _) in members where !seen.insert(key).inserted {
                return "the answer names \"\(TerminalText.sanitize(key, limit: 20))\" twice"
            }
            let values = Dictionary(members.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
            if let code = values["code"], !isDocumentedCode(code) {
                return "the answer's code is not written as the API writes it (\(TerminalText.sanitize(code, limit: 20)))"
            }
            // An answer whose code is an error's (403, 400…) is the server's refusal: classified, not judged here.
            if let code = values["code"], !code.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).hasPrefix("2") { return nil }
            if let error = values["error"], error != "null" {
                return "the answer carries an error field that is not null"
            }
            return nil
        } catch let failure as Failure {
            return failure.reason
        } catch {
            return "the answer is not one JSON object"
        }
    }

    /// Whether `body` holds a raw control byte (below 0x20) inside a JSON
    /// string: not JSON, though Foundation's decoder takes it and a lenient
    /// reading then blanks the field. One pass over the bytes.
    public static func hasRawControlInString(_ body: Data) -> Bool {
        body.withUnsafeBytes { raw in
            var inString = false
            var escaped = false
            for b in raw {
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == UInt8(ascii: "\\") {
                        escaped = true
                    } else if b == UInt8(ascii: "\"") {
                        inString = false
                    } else if b < 0x20 {
                        return true
                    }
                } else if b == UInt8(ascii: "\"") {
                    inString = true
                }
            }
            return false
        }
    }

    /// `202`, `"202"`: three digits, the first not 0.
    static func isDocumentedCode(_ raw: String) -> Bool {
        var digits = Substring(raw)
        if digits.hasPrefix("\"") {
            guard digits.hasSuffix("\""), digits.count >= 2 else { return false }
            digits = digits.dropFirst().dropLast()
        }
        return digits.count == 3 && digits.allSatisfy { $0.isASCII && $0.isNumber } && digits.first != "0"
    }

    struct Failure: Error {
        var reason: String
    }

    /// A byte scanner for the top level of one JSON object: each member's
    /// key (unescaped) and the raw text of its value.
    struct Scanner {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func topLevelObject() throws -> [(String, String)] {
            skipSpace()
            try expect(UInt8(ascii: "{"))
            var members: [(String, String)] = []
            skipSpace()
            if peek == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    let start = i
                    try value()
                    members.append((key, String(decoding: bytes[start..<i], as: UTF8.self)))
                    skipSpace()
                    if peek == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"))
                    break
                }
            }
            skipSpace()
            guard i == bytes.count else { throw Failure(reason: "the answer goes on after its JSON object") }
            return members
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
        }

        mutating func expect(_ b: UInt8) throws {
            guard peek == b else { throw Failure(reason: "the answer is not one well-formed JSON object") }
            i += 1
        }

        /// A string, unescaped; a raw control byte inside it is refused.
        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while let b = peek {
                i += 1
                switch b {
                case UInt8(ascii: "\""):
                    guard let s = String(validating: out, as: UTF8.self) else { throw Failure(reason: "the answer is not UTF-8") }
                    return s
                case UInt8(ascii: "\\"):
                    // Only JSON's escapes: `\ ` or `\u12` is not JSON (found by the fuzzer).
                    guard let e = peek else { break }
                    i += 1
                    if e == UInt8(ascii: "u") {
                        guard i + 4 <= bytes.count, bytes[i..<(i + 4)].allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }) else {
                            throw Failure(reason: "the answer is not one well-formed JSON object")
                        }
                        i += 4
                        out.append(UInt8(ascii: "?"))
                    } else {
                        guard Array("\"\\/bfnrt".utf8).contains(e) else { throw Failure(reason: "the answer is not one well-formed JSON object") }
                        out.append(e)
                    }
                case 0x00..<0x20:
                    throw Failure(reason: "the answer holds a raw control character inside a string (not JSON)")
                default:
                    out.append(b)
                }
            }
            throw Failure(reason: "the answer is cut inside a string")
        }

        /// Skips one value of any kind, checking its strings the same way.
        /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`: not `041`, `+1`,
        /// `.5`, `1.` or `inf`, which `Double(_:)` takes (found by the fuzzer).
        static func isJSONNumber(_ word: String) -> Bool {
            var b = Array(word.utf8)[...]
            func digits() -> Int {
                let n = b.prefix { $0 >= 48 && $0 <= 57 }.count
                b = b.dropFirst(n)
                return n
            }
            if b.first == UInt8(ascii: "-") { b = b.dropFirst() }
            if b.first == UInt8(ascii: "0") { b = b.dropFirst() } else if digits() == 0 { return false }
            if b.first == UInt8(ascii: ".") {
                b = b.dropFirst()
                if digits() == 0 { return false }
            }
            if b.first == UInt8(ascii: "e") || b.first == UInt8(ascii: "E") {
                b = b.dropFirst()
                if b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-") { b = b.dropFirst() }
                if digits() == 0 { return false }
            }
            return b.isEmpty
        }

        mutating func value() throws {
            guard let b = peek else { throw Failure(reason: "the answer is cut") }
            switch b {
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                i += 1
                skipSpace()
                if peek == close {
                    i += 1
                    return
                }
                while true {
                    skipSpace()
                    if b == UInt8(ascii: "{") {
                        _ = try string()
                        skipSpace()
                        try expect(UInt8(ascii: ":"))
                        skipSpace()
                    }
                    try value()
                    skipSpace()
                    if peek == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    try expect(close)
                    return
                }
            default:
                let start = i
                while let c = peek, c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != UInt8(ascii: "]"), c > 0x20 { i += 1 }
                let word = String(decoding: bytes[start..<i], as: UTF8.self)
                guard word == "null" || word == "true" || word == "false" || Self.isJSONNumber(word) else {
                    throw Failure(reason: "the answer is not one well-formed JSON object")
                }
            }
        }
    }
}
