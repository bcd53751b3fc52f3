import TOMLKit

/// TOMLKit's parser (toml++ 3) asserts on some malformed table headers
/// (`[[[x`, found by `scripts/fuzz.sh`): an abort in a debug build and
/// undefined behaviour in a release one, from one bad line of a config or
/// theme file. Every TOML text wvconsole reads comes through here, which
/// refuses such a header with the line's number before the parser sees it.
public enum SafeTOML {
    public struct HeaderError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var description: String { "line \(line): a table header needs a name after its brackets" }
    }

    /// The first table header that would trip the parser, if any.
    public static func badHeader(in text: String) -> HeaderError? {
        var inMultiline: Substring?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Multi-line strings (""" or ''') hold any text, brackets included.
            for delimiter in [#"""""#[...], "'''"[...]] {
                var rest = line[...]
                while let range = rest.range(of: delimiter) {
                    if let open = inMultiline {
                        if open == delimiter { inMultiline = nil }
                    } else {
                        inMultiline = delimiter
                    }
                    rest = rest[range.upperBound...]
                }
            }
            if inMultiline != nil { continue }
            var cursor = line.drop { $0 == " " || $0 == "\t" }
            guard cursor.first == "[" else { continue }
            cursor = cursor.dropFirst().drop { $0 == " " || $0 == "\t" }
            if cursor.first == "[" { cursor = cursor.dropFirst().drop { $0 == " " || $0 == "\t" } }
            // Nothing after the brackets on the line is as bad (toml++ reads on into the next line).
            guard let next = cursor.first else { return HeaderError(line: index + 1) }
            let bare = next.isASCII && (next.isLetter || next.isNumber || next == "_" || next == "-")
            if !(bare || next == "\"" || next == "'" || next == "]") { return HeaderError(line: index + 1) }
        }
        return nil
    }

    /// `TOMLTable(string:)`, after the header check.
    public static func table(_ text: String) throws -> TOMLTable {
        if let bad = badHeader(in: text) { throw bad }
        return try TOMLTable(string: text)
    }
}
