import Foundation

extension KeyedDecodingContainer {
    /// A value the contract documents as a string, accepted as string, number,
    /// bool or null; missing or unreadable becomes "" rather than failing the row.
    func lenient(_ key: Key) -> String {
        guard contains(key) else { return "" }
        if let s = try? decode(String.self, forKey: key) { return s }
        if let i = try? decode(Int64.self, forKey: key) { return String(i) }
        if let d = try? decode(Double.self, forKey: key) { return String(d) }
        if let b = try? decode(Bool.self, forKey: key) { return b ? "true" : "false" }
        return ""
    }

    /// A count that may arrive as `"3"`, `3`, `" "` or `""`; blanks are nil.
    func lenientInt(_ key: Key) -> Int? {
        if let i = try? decode(Int.self, forKey: key) { return i }
        let s = lenient(key).trimmingCharacters(in: .whitespaces)
        if let i = Int(s) { return i }
        if let d = Double(s), d.isFinite, d.rounded() == d, abs(d) < 1e15 { return Int(d) }
        return nil
    }
}

/// Decodes an element without letting one bad element fail the whole array.
struct Lenient<Value: Decodable>: Decodable {
    var value: Value?
    init(from decoder: Decoder) throws {
        value = try? Value(from: decoder)
    }
}
