import Foundation

/// How a set of records is doing, at a glance: their results, how often
/// they were called, when they were last contacted, and per campaign. One
/// pass over the records (60,000 in a few milliseconds); the console draws
/// it as charts and `find --stats` as text.
public struct Breakdown: Sendable, Equatable {
    /// What a bar counts, so it can filter the records to itself.
    public enum Kind: Sendable, Hashable {
        case result(String)
        /// A range of call counts; nil upper bound = and more; `unreadable` for a non-number.
        case calls(Int, Int?)
        case unreadableCalls
        case day(String)
        case neverContacted
        case olderContact
        /// A date that does not read as one, or after today.
        case otherDate
        case campaign(String)
    }

    public struct Bar: Sendable, Equatable {
        public var kind: Kind
        public var count: Int
    }

    public var total: Int
    /// Every result value present, most frequent first (ties by name).
    public var results: [Bar]
    /// 0, 1, 2, 3–5, 6–10, more than 10 (and unreadable, when there are any).
    public var calls: [Bar]
    /// The last 31 days, oldest first, by the record's last contact.
    public var days: [Bar]
    /// Records never contacted, contacted before the 31 days, and with a
    /// date that is not one (or is after today).
    public var never: Bar
    public var older: Bar
    public var otherDates: Bar
    /// The 31 days as yyyymmdd numbers, for `matches`.
    private var window: Set<Int> = []
    private var windowStart = 0
    /// Per campaign, most first; empty when all records are in one campaign.
    public var campaigns: [Bar]

    static let callBuckets: [(Int, Int?)] = [(0, 0), (1, 1), (2, 2), (3, 5), (6, 10), (11, nil)]

    public init(_ records: some Collection<CustomerRecord>, now: Date, timeZone: TimeZone) {
        let calendar = Calendar.gregorian(timeZone)
        let today = calendar.startOfDay(for: now)
        // The 31 days as yyyymmdd numbers (records' dates are read the same
        // way, from their bytes: no string work per record) and as keys.
        let dayNumbers = (0..<31).reversed().compactMap { calendar.date(byAdding: .day, value: -$0, to: today) }.map { day in
            let c = calendar.dateComponents([.year, .month, .day], from: day)
            return (c.year ?? 0) * 10_000 + (c.month ?? 0) * 100 + (c.day ?? 0)
        }
        let dayKeys = dayNumbers.map { String(format: "%04d-%02d-%02d", $0 / 10_000, $0 / 100 % 100, $0 % 100) }
        var dayIndex: [Int: Int] = [:]
        for (i, n) in dayNumbers.enumerated() { dayIndex[n] = i }
        // Counted by the raw value first (a handful of distinct strings), normalised after.
        var rawResults: [String: Int] = [:]
        var calls = [Int](repeating: 0, count: Self.callBuckets.count)
        var unreadable = 0
        var days = [Int](repeating: 0, count: dayKeys.count)
        var never = 0, older = 0, other = 0
        let first = dayNumbers.first ?? 0
        var campaigns: [String: Int] = [:]
        for r in records {
            rawResults[r.result, default: 0] += 1
            if let n = Self.callCount(r) {
                calls[n <= 2 ? n : (n <= 5 ? 3 : (n <= 10 ? 4 : 5))] += 1
            } else {
                unreadable += 1
            }
            if Self.neverContacted(r) {
                never += 1
            } else if let n = Self.dayNumber(r.date) {
                if let i = dayIndex[n] {
                    days[i] += 1
                } else if n < first {
                    older += 1
                } else {
                    other += 1  // after today
                }
            } else {
                other += 1
            }
            campaigns[r.campaignID, default: 0] += 1
        }
        var results: [String: Int] = [:]
        for (raw, n) in rawResults { results[Self.resultKey(raw), default: 0] += n }
        total = records.count
        self.results = results.map { Bar(kind: .result($0.key), count: $0.value) }.sorted(by: Self.mostFirst)
        self.calls = zip(Self.callBuckets, calls).map { Bar(kind: .calls($0.0.0, $0.0.1), count: $0.1) }
        if unreadable > 0 { self.calls.append(Bar(kind: .unreadableCalls, count: unreadable)) }
        self.days = zip(dayKeys, days).map { Bar(kind: .day($0.0), count: $0.1) }
        self.never = Bar(kind: .neverContacted, count: never)
        self.older = Bar(kind: .olderContact, count: older)
        self.otherDates = Bar(kind: .otherDate, count: other)
        window = Set(dayIndex.keys)
        windowStart = first
        self.campaigns = campaigns.count > 1 ? campaigns.map { Bar(kind: .campaign($0.key), count: $0.value) }.sorted(by: Self.mostFirst) : []
    }

    /// Whether `record` is one of the records `kind` counts.
    public static func matches(_ kind: Kind, _ r: CustomerRecord) -> Bool {
        switch kind {
        case .result(let value): return resultKey(r.result) == value
        case .calls(let low, let high):
            guard let n = callCount(r) else { return false }
            return n >= low && (high.map { n <= $0 } ?? true)
        case .unreadableCalls: return callCount(r) == nil
        case .day(let key):
            guard !neverContacted(r), let n = dayNumber(r.date) else { return false }
            return n == dayNumber(key)
        case .neverContacted: return neverContacted(r)
        case .olderContact, .otherDate: return false  // decided against the window: see the instance `matches`
        case .campaign(let id): return r.campaignID == id
        }
    }

    /// Last contact by day as one line of columns, oldest left, today right;
    /// a day with none is a dot (ASCII: an underscore).
    public func sparkline(ascii: Bool) -> String {
        let levels: [Character] = ascii ? ["_", ".", ":", "|", "#"] : ["·", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let top = days.map(\.count).max() ?? 0
        return String(
            days.map { day in
                guard top > 0, day.count > 0 else { return levels[0] }
                return levels[max(1, Int((Double(day.count) / Double(top) * Double(levels.count - 1)).rounded()))]
            })
    }

    /// The records a bar of this breakdown counts (older contact depends on the 31 days).
    public func matches(_ kind: Kind, _ r: CustomerRecord) -> Bool {
        switch kind {
        case .olderContact, .otherDate:
            guard !Self.neverContacted(r) else { return false }
            guard let n = Self.dayNumber(r.date) else { return kind == .otherDate }
            if window.contains(n) { return false }
            let before = n < windowStart
            return kind == .olderContact ? before : !before
        default: return Self.matches(kind, r)
        }
    }

    /// The result as the API spells it, lower-cased; an empty one is "(none)".
    static func resultKey(_ raw: String) -> String {
        let v = raw.trimmingCharacters(in: .whitespaces).lowercased()
        return v.isEmpty ? "(none)" : v
    }

    /// A whole number of calls (spaces around it allowed; none given is 0), or nil.
    static func callCount(_ r: CustomerRecord) -> Int? {
        if let n = Int(r.calls) { return n >= 0 ? n : nil }
        if r.calls.allSatisfy({ $0 == " " }) { return 0 }
        return Int(r.calls.trimmingCharacters(in: .whitespaces)).flatMap { $0 >= 0 ? $0 : nil }
    }

    static func neverContacted(_ r: CustomerRecord) -> Bool {
        guard let first = r.date.utf8.first(where: { $0 != 0x20 }) else { return true }
        return first == UInt8(ascii: "0") && r.date.trimmingCharacters(in: .whitespaces).hasPrefix("0000")
    }

    /// "2026-11-24…" as 20261124, or nil when it does not start with a date.
    static func dayNumber(_ date: String) -> Int? {
        var n = 0
        var digits = 0
        for (i, b) in date.utf8.prefix(10).enumerated() {
            if i == 4 || i == 7 {
                guard b == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
            digits += 1
        }
        return digits == 8 ? n : nil
    }

    static func mostFirst(_ a: Bar, _ b: Bar) -> Bool {
        if a.count != b.count { return a.count > b.count }
        return "\(a.kind)" < "\(b.kind)"
    }
}
