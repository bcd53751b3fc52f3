import TOMLKit

/// TOMLKit's parser (toml++ 3) asserts on some malformed table headers
/// (`[[[x`, found by `scripts/fuzz.sh`): an abort in a debug build and
/// undefined behaviour in a release one, from one bad line of a config or
/// theme file. Every TOML text wvconsole reads comes through here, which
/// refuses such a header with the line's number before the parser sees it.
public enum SafeTOML {
    public struct HeaderError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var description: String { "line \(line): not valid TOML" }
    }

    /// The first table header that would trip the parser, if any.
    public static func badHeader(in text: String) -> HeaderError? {
        // Every line, even one inside a multi-line string: telling those
        // apart needs a TOML reader (a `"""` in a comment fooled a simple one,
        // found by the fuzzer), and refusing an odd line in a string is
        // better than a parser that aborts. Bytes, not Characters: a
        // combining mark after `[` makes one Character of the two, and a BOM
        // (which the parser skips) is not a space.
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var line = 1
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var i = start
            func skipBlanks() { while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
            skipBlanks()
            if i < end, bytes[i] == UInt8(ascii: "[") {
                i += 1
                skipBlanks()
                if i < end, bytes[i] == UInt8(ascii: "[") {
                    i += 1
                    skipBlanks()
                }
                // Nothing after the brackets on the line is as bad (the parser reads on into the next line).
                guard i < end else { return HeaderError(line: line) }
                let b = bytes[i]
                let bare = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
                if !(bare || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "]")) { return HeaderError(line: line) }
            }
            line += 1
            start = end + 1
        }
        return nil
    }

    /// A `}` where an array's element should be (`r = [}`): the parser
    /// asserts on that too. Strings and comments are skipped; nil when none.
    public static func braceInArray(in text: String) -> HeaderError? {
        let bytes = Array(text.utf8)
        var i = 0
        var line = 1
        var stack: [UInt8] = []
        var expectElement = false
        var atLineStart = true
        func skipString(_ quote: UInt8) {
            let triple = i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote
            i += triple ? 3 : 1
            while i < bytes.count {
                if bytes[i] == 0x0A {
                    if !triple { return }
                    line += 1
                }
                if quote == UInt8(ascii: "\"") && bytes[i] == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if bytes[i] == quote {
                    if !triple {
                        i += 1
                        return
                    }
                    if i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote {
                        i += 3
                        return
                    }
                }
                i += 1
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x0A:
                line += 1
                atLineStart = stack.isEmpty
                i += 1
                continue
            case 0x20, 0x09, 0x0D:
                i += 1
                continue
            case UInt8(ascii: "#"):
                while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                continue
            default: break
            }
            if expectElement && b == UInt8(ascii: "}") { return HeaderError(line: line) }
            expectElement = false
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString(b)
                atLineStart = false
                continue
            case UInt8(ascii: "["):
                if atLineStart && stack.isEmpty {
                    // A table header: to the end of its line.
                    while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                    continue
                }
                stack.append(b)
                expectElement = true
            case UInt8(ascii: "{"): stack.append(b)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): _ = stack.popLast()
            case UInt8(ascii: ","): expectElement = stack.last == UInt8(ascii: "[")
            default: break
            }
            atLineStart = false
            i += 1
        }
        return nil
    }

    /// A bare value shaped like a date with a space before a time
    /// (`2002----se 9`: ten characters, `-` at the fifth and eighth, then a
    /// space and a digit) that is not `YYYY-MM-DD`: the parser's
    /// date-time look-ahead asserts on it (found by the fuzzer). wvconsole's
    /// files hold no dates, so such a line is refused.
    public static func badDateLike(in text: String) -> HeaderError? {
        for (index, line) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line)
            var k = 0
            while k + 12 <= bytes.count {
                if bytes[k + 4] == UInt8(ascii: "-"), bytes[k + 7] == UInt8(ascii: "-"), bytes[k + 10] == 0x20,
                    (48...57).contains(bytes[k + 11]), k == 0 || [0x20, 0x09, UInt8(ascii: "="), UInt8(ascii: "["), UInt8(ascii: ",")].contains(bytes[k - 1])
                {
                    let date = bytes[k..<(k + 10)]
                    let digits = date.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || (48...57).contains($0.element) }
                    if !digits { return HeaderError(line: index + 1) }
                }
                k += 1
            }
        }
        return nil
    }

    /// `TOMLTable(string:)`, after the checks above.
    public static func table(_ text: String) throws -> TOMLTable {
        if let bad = badHeader(in: text) ?? braceInArray(in: text) ?? badDateLike(in: text) { throw bad }
        return try TOMLTable(string: text)
    }
}
