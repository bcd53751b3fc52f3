import Foundation
import Messages
import TUIKit
import WolkvoxAPI

/// `find --stats`: the console's breakdown as aligned text, and as the
/// `stats` object of `find --json --stats`.
enum StatsOutput {
    struct JSON: Encodable {
        struct Count: Encodable {
            var value: String
            var count: Int
        }
        struct Calls: Encodable {
            var from: Int?
            var to: Int?
            var count: Int
        }
        struct LastContact: Encodable {
            var days: [Count]
            var never: Int
            var older: Int
            /// Dates that do not read as dates, or are after today.
            var other: Int
        }
        var total: Int
        var results: [Count]
        var calls: [Calls]
        var lastContact: LastContact
        var campaigns: [Count]

        init(_ b: Breakdown) {
            total = b.total
            results = b.results.map { Count(value: Self.value($0.kind), count: $0.count) }
            calls = b.calls.map { bar in
                if case .calls(let low, let high) = bar.kind { return Calls(from: low, to: high, count: bar.count) }
                return Calls(from: nil, to: nil, count: bar.count)  // not a number
            }
            lastContact = LastContact(days: b.days.map { Count(value: Self.value($0.kind), count: $0.count) }, never: b.never.count, older: b.older.count, other: b.otherDates.count)
            campaigns = b.campaigns.map { Count(value: Self.value($0.kind), count: $0.count) }
        }

        static func value(_ kind: Breakdown.Kind) -> String {
            switch kind {
            case .result(let v), .day(let v), .campaign(let v): v
            default: ""
            }
        }
    }

    /// Sections of aligned rows: label, count, share, and a bar of `#` or `█`.
    static func text(_ b: Breakdown, _ c: Catalog, ascii: Bool) -> String {
        func rows(_ bars: [Breakdown.Bar]) -> [[String]] {
            let largest = bars.map(\.count).max() ?? 0
            return bars.map { bar in
                let pct = b.total > 0 ? Int((Double(bar.count) * 100 / Double(b.total)).rounded()) : 0
                let length = largest > 0 && bar.count > 0 ? max(1, Int((Double(bar.count) / Double(largest) * 30).rounded())) : 0
                return [c.barLabel(bar.kind), c.number(bar.count), "\(pct)%", String(repeating: ascii ? "#" : "█", count: length)]
            }
        }
        var sections: [(String, [[String]], after: String)] = [
            (c["stats.results"], rows(b.results), ""), (c["stats.calls"], rows(b.calls), ""),
            (c["stats.last_contact"], rows([b.never, b.older, b.otherDates].filter { $0.count > 0 }), b.sparkline(ascii: ascii) + "  " + c["stats.axis"] + "\n"),
        ]
        if !b.campaigns.isEmpty { sections.append((c["stats.campaigns"], rows(b.campaigns), "")) }
        var out = c.text("stats.title", ["count": c.number(b.total)]) + "\n"
        for (title, table, after) in sections {
            out += "\n" + TextTable(columns: [title, "", "", ""], rows: table, rightAligned: [1, 2]).render() + "\n" + after
        }
        return out
    }
}
