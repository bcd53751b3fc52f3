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
    /// One pass over the template, so a value that itself contains `{name}`
    /// (a server message, a typed ID) is never substituted again.
    public func text(_ key: String, _ args: [String: String] = [:]) -> String {
        let template = table[key] ?? fallback[key] ?? key
        guard !args.isEmpty, template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = args[String(after[..<close])] {
                out += value
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// A counted message: `KEY.one` when `count` is 1 (and the table has
    /// it), else `KEY`; `{count}` is the number with this language's
    /// thousands separator. So "1 record", "2 records", "59.996 registros".
    public func plural(_ key: String, _ count: Int, _ args: [String: String] = [:]) -> String {
        var a = args
        a["count"] = number(count)
        return text(count == 1 && has(key + ".one") ? key + ".one" : key, a)
    }

    /// `59996` → "59,996" (en) or "59.996" (es, pt).
    public func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        let separator: Character = language == .en ? "," : "."
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(separator) }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `x` with `digits` decimals, written this language's way: 1.78 s in
    /// English, 1,78 s in Spanish and Portuguese (beside 60.000, not 60.000 and 1.78).
    public func decimal(_ x: Double, digits: Int) -> String {
        let fixed = String(format: "%.\(digits)f", x.magnitude)
        let parts = fixed.split(separator: ".", maxSplits: 1)
        let whole = number(Int(parts[0]) ?? 0)
        let sign = x < 0 && fixed.contains { $0 != "0" && $0 != "." } ? "-" : ""
        guard parts.count > 1 else { return sign + whole }
        return sign + whole + (language == .en ? "." : ",") + parts[1]
    }

    /// Whether this language (or the English fallback) has `key`.
    public func has(_ key: String) -> Bool { table[key] != nil || fallback[key] != nil }

    public subscript(_ key: String) -> String { text(key) }

    private static let loaded: [Language: Catalog] = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, Catalog($0)) })

    /// The catalogue for `language`, parsed once per process.
    public static func shared(_ language: Language) -> Catalog { loaded[language]! }

    public var keys: Set<String> { Set(table.keys) }

    /// Raw table, for the consistency tests.
    public static func load(_ language: Language) -> [String: String] {
        // Compiled in (Package.swift embeds Catalog/*.json): no file is read at run time.
        let bytes: [UInt8] =
            switch language {
            case .en: PackageResources.en_json
            case .es: PackageResources.es_json
            case .pt: PackageResources.pt_json
            }
        guard let table = try? JSONDecoder().decode([String: String].self, from: Data(bytes)) else { return [:] }
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
