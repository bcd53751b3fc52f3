import Foundation

/// The message catalogue: one JSON table per language in `Catalog/`, keys
/// shared, placeholders named (`{count}`, `{id}`) so translators can reorder
/// them. English is the fallback for a key a table lacks (a test fails on
/// any such gap, so it only matters for hand-edited files).
public struct Catalog: Sendable {
    public let language: Language
    private let table: [String: String]
    private let fallback: [String: String]

    public init(_ language: Language) {
        self.language = language
        self.table = Self.load(language)
        self.fallback = language == .en ? [:] : Self.load(.en)
    }

    /// The text for `key` with `{name}` placeholders filled from `args`.
    public func text(_ key: String, _ args: [String: String] = [:]) -> String {
        var s = table[key] ?? fallback[key] ?? key
        for (name, value) in args { s = s.replacingOccurrences(of: "{\(name)}", with: value) }
        return s
    }

    public subscript(_ key: String) -> String { text(key) }

    public var keys: Set<String> { Set(table.keys) }

    /// Raw table, for the consistency tests.
    public static func load(_ language: Language) -> [String: String] {
        guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Catalog"),
              let data = try? Data(contentsOf: url),
              let table = try? JSONDecoder().decode([String: String].self, from: data) else { return [:] }
        return table
    }

    /// Names of the `{placeholders}` in a message, for the consistency tests.
    public static func placeholders(in text: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            out.insert(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return out
    }
}
