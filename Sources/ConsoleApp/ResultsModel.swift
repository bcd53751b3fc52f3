import WolkvoxAPI

/// The results of one search, kept ready for instant filtering and sorting
/// at 60,000 rows: each record's lower-cased search text is computed once
/// when the answer arrives; a keystroke in the filter only scans those
/// strings and rebuilds an index array — nothing is re-decoded or re-copied.
public struct ResultsModel: Sendable {
    public enum SortColumn: Int, CaseIterable, Sendable { case none, name, id, result, calls, date, campaign }

    public private(set) var records: [CustomerRecord] = []
    private var searchText: [String] = []
    /// Indexes into `records`, filtered and sorted: what the table shows.
    public private(set) var visible: [Int] = []
    public private(set) var filter = ""
    public private(set) var sort: SortColumn = .none
    public private(set) var ascending = true
    public var cursor = 0
    public var scroll = 0
    public var marked: Set<RecordKey> = []
    /// How many times search text was computed (tests prove it is once per answer).
    public private(set) var indexBuilds = 0

    public init() {}

    public init(records: [CustomerRecord]) {
        self.records = records
        searchText = records.map { r in
            (r.customerName + " " + r.customerLastName + " " + r.customerID + " " + r.tel1 + " " + r.tel2 + " " + r.tel3 + " "
                + r.result + " " + r.campaignID + " " + r.date).lowercased()
        }
        indexBuilds = 1
        visible = Array(records.indices)
    }

    public var count: Int { visible.count }
    public var isEmpty: Bool { records.isEmpty }
    public var current: CustomerRecord? { visible.indices.contains(cursor) ? records[visible[cursor]] : nil }
    public func row(_ i: Int) -> CustomerRecord { records[visible[i]] }

    /// Narrows to rows whose text contains every word of `text` (any order).
    public mutating func setFilter(_ text: String) {
        let currentKey = current?.key
        filter = text
        let words = text.lowercased().split(separator: " ").map(String.init)
        if words.isEmpty {
            visible = Array(records.indices)
        } else {
            // Refining a filter only needs to look at what the previous one kept.
            visible = records.indices.filter { i in words.allSatisfy { searchText[i].contains($0) } }
        }
        applySort()
        restoreCursor(to: currentKey)
    }

    public mutating func cycleSort() {
        let all = SortColumn.allCases
        sort = all[(sort.rawValue + 1) % all.count]
        ascending = true
        let key = current?.key
        visible = filter.isEmpty ? Array(records.indices) : visible.sorted()
        applySort()
        restoreCursor(to: key)
    }

    public mutating func reverseSort() {
        ascending.toggle()
        let key = current?.key
        visible.reverse()
        restoreCursor(to: key)
    }

    private mutating func applySort() {
        guard sort != .none else { return }
        let r = records
        func key(_ i: Int) -> String {
            switch sort {
            case .none: ""
            case .name: r[i].fullName.lowercased()
            case .id: r[i].customerID
            case .result: r[i].result
            case .calls: String(repeating: "0", count: max(0, 6 - r[i].calls.count)) + r[i].calls
            case .date: r[i].date
            case .campaign: r[i].campaignID
            }
        }
        let keys = Dictionary(uniqueKeysWithValues: visible.map { ($0, key($0)) })
        visible.sort { a, b in
            let ka = keys[a]!, kb = keys[b]!
            return ka == kb ? a < b : (ascending ? ka < kb : ka > kb)
        }
    }

    private mutating func restoreCursor(to key: RecordKey?) {
        if let key, let i = visible.firstIndex(where: { records[$0].key == key }) { cursor = i } else { cursor = min(cursor, max(0, visible.count - 1)) }
    }

    public mutating func move(by delta: Int) {
        guard !visible.isEmpty else { cursor = 0; return }
        cursor = max(0, min(visible.count - 1, cursor + delta))
    }

    public mutating func moveTo(_ index: Int) { cursor = max(0, min(max(0, visible.count - 1), index)) }

    /// Keeps the cursor inside a window of `height` rows.
    public mutating func keepVisible(height: Int) {
        guard height > 0 else { return }
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + height { scroll = cursor - height + 1 }
        scroll = max(0, min(scroll, max(0, visible.count - height)))
    }

    public mutating func toggleMark() {
        guard let key = current?.key else { return }
        if marked.contains(key) { marked.remove(key) } else { marked.insert(key) }
    }

    public mutating func markAllVisible() {
        let keys = visible.map { records[$0].key }
        if keys.allSatisfy(marked.contains) { marked.subtract(keys) } else { marked.formUnion(keys) }
    }

    public var markedRecords: [CustomerRecord] { records.filter { marked.contains($0.key) } }

    /// Drops records that were deleted, keeping the cursor near where it was.
    public mutating func remove(_ keys: Set<RecordKey>) {
        let f = filter, s = sort, asc = ascending, c = cursor
        self = ResultsModel(records: records.filter { !keys.contains($0.key) })
        marked = []
        sort = s; ascending = asc
        setFilter(f)
        cursor = min(c, max(0, visible.count - 1))
    }
}
