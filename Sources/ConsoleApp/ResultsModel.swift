import CSupport
import WolkvoxAPI

/// The results of one search, kept ready for instant filtering and sorting
/// at 60,000 rows: each record's folded search text (`SearchFolding`) is computed once
/// when the answer arrives; a keystroke in the filter only scans those
/// strings and rebuilds an index array — nothing is re-decoded or re-copied.
public struct ResultsModel: Sendable {
    public enum SortColumn: Int, CaseIterable, Sendable { case none, name, id, result, calls, date, campaign }

    public private(set) var records: [CustomerRecord] = []
    /// All records' folded search text in one contiguous UTF-8 buffer,
    /// record i at `textStart[i]..<textStart[i + 1]`: a filter keystroke is a
    /// `memmem` per record over bytes already in cache, not a String scan.
    private var text: [UInt8] = []
    private var textStart: [Int] = [0]
    /// Indexes into `records`, filtered and sorted: what the table shows.
    public private(set) var visible: [Int] = []
    public private(set) var filter = ""
    /// The breakdown bars the rows are narrowed to (Enter on one; a second
    /// narrows further), on top of the text filter.
    public private(set) var pins: [Breakdown.Kind] = []
    public var pin: Breakdown.Kind? { pins.last }
    /// Per record: kept by the pin.
    private var pinned: [Bool]?

    public private(set) var sort: SortColumn = .none
    public private(set) var ascending = true
    public var cursor = 0
    /// The first row on screen, kept between frames (`update` keeps the cursor inside the window).
    public var scroll = 0
    public var marked: Set<RecordKey> = []
    /// How many times search text was computed (tests prove it is once per answer).
    public private(set) var indexBuilds = 0

    public init() {}

    public init(records: [CustomerRecord]) {
        self.records = records
        text.reserveCapacity(records.count * 96)
        textStart.reserveCapacity(records.count + 1)
        // Field by field, not through an array of the nine per record (60,000 allocations).
        func add(_ part: String) {
            SearchFolding.append(part, to: &text)
            text.append(0x20)
        }
        for r in records {
            add(r.customerName)
            add(r.customerLastName)
            add(r.customerID)
            add(r.tel1)
            add(r.tel2)
            add(r.tel3)
            add(r.result)
            add(r.campaignID)
            add(r.date)
            textStart.append(text.count)
        }
        indexBuilds = 1
        visible = Array(records.indices)
    }

    public var count: Int { visible.count }
    public var isEmpty: Bool { records.isEmpty }
    public var current: CustomerRecord? { currentIndex.map { records[$0] } }
    public func row(_ i: Int) -> CustomerRecord { records[visible[i]] }

    /// Narrows to rows whose text contains every word of `text` (any order).
    /// Typing on (the new filter extends the old) only rescans the rows still
    /// shown — each old word is part of a new one, so nothing else can match —
    /// and keeps their order; anything else scans every row.
    public mutating func setFilter(_ text: String) {
        let currentRecord = currentIndex
        let narrowing = !filter.isEmpty && text.hasPrefix(filter)
        filter = text
        var needles: [UInt8] = []
        var words: [Range<Int>] = []
        for w in text.split(separator: " ") {
            let start = needles.count
            SearchFolding.append(String(w), to: &needles)
            words.append(start..<needles.count)
        }
        if words.isEmpty || records.isEmpty {
            visible = allowedIndices()
            applySort()
        } else {
            let starts = textStart
            var kept: [Int] = []
            kept.reserveCapacity(narrowing ? visible.count : 1024)
            self.text.withUnsafeBytes { all in
                needles.withUnsafeBytes { n in
                    let base = all.baseAddress!
                    func matchesRest(_ i: Int, from first: Int) -> Bool {
                        let start = starts[i], length = starts[i + 1] - start
                        for w in words[first...] where wv_memmem(base + start, length, n.baseAddress! + w.lowerBound, w.count) == nil { return false }
                        return true
                    }
                    if narrowing {
                        for i in visible where matchesRest(i, from: 0) && allowed(i) { kept.append(i) }
                        return
                    }
                    // Every row: one memmem run over the whole buffer for the
                    // first word, jumping to the next row after each hit (a
                    // word has no space and every row's text ends in one, so
                    // a hit never spans two rows); other words per hit row.
                    let first = words[0], total = all.count
                    var row = 0, position = 0
                    while position < total,
                        let hit = wv_memmem(base + position, total - position, n.baseAddress! + first.lowerBound, first.count)
                    {
                        let offset = UnsafeRawPointer(hit) - base
                        while starts[row + 1] <= offset { row += 1 }
                        if matchesRest(row, from: 1) && allowed(row) { kept.append(row) }
                        position = starts[row + 1]
                    }
                }
            }
            visible = kept
            if !narrowing { applySort() }
        }
        restoreCursor(to: currentRecord)
    }

    public mutating func cycleSort() {
        let all = SortColumn.allCases
        sort = all[(sort.rawValue + 1) % all.count]
        ascending = true
        let record = currentIndex
        visible = filter.isEmpty ? allowedIndices() : visible.sorted()
        applySort()
        restoreCursor(to: record)
    }

    /// Narrows the rows further to the records `kind` counts (nil: all
    /// again), keeping the text filter.
    public mutating func pin(_ kind: Breakdown.Kind?, matching: (CustomerRecord) -> Bool) {
        if let kind {
            pins.append(kind)
            pinned = records.enumerated().map { i, r in (pinned?[i] ?? true) && matching(r) }
        } else {
            pins = []
            pinned = nil
        }
        let f = filter
        filter = "\u{0}"  // not a prefix of anything: the next filter is computed afresh
        setFilter(f)
    }

    private func allowed(_ i: Int) -> Bool { pinned?[i] ?? true }

    private func allowedIndices() -> [Int] { pinned == nil ? Array(records.indices) : records.indices.filter(allowed) }

    public mutating func reverseSort() {
        ascending.toggle()
        let record = currentIndex
        visible.reverse()
        restoreCursor(to: record)
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

    /// The index into `records` of the row under the cursor.
    private var currentIndex: Int? { visible.indices.contains(cursor) ? visible[cursor] : nil }

    /// Puts the cursor back on the same record after the rows were re-filtered
    /// or re-ordered (compared by index: exact, and no key built per row).
    private mutating func restoreCursor(to record: Int?) {
        if let record, let i = visible.firstIndex(of: record) { cursor = i } else { cursor = min(cursor, max(0, visible.count - 1)) }
    }

    public mutating func move(by delta: Int) {
        guard !visible.isEmpty else {
            cursor = 0
            return
        }
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
    /// The marked records the table shows now, in its order (the `/` filter and the breakdown's pins keep them).
    public var visibleMarkedRecords: [CustomerRecord] { marked.isEmpty ? [] : visible.map { records[$0] }.filter { marked.contains($0.key) } }

    /// Drops records that were deleted, keeping the cursor near where it was.
    /// Drops the records the server confirmed as deleted; marks on records
    /// that are still there stay, so a retry targets exactly what is left.
    public mutating func remove(_ keys: Set<RecordKey>) {
        guard !keys.isEmpty else { return }
        let f = filter, s = sort, asc = ascending, c = cursor, m = marked.subtracting(keys), p = pins
        let keptPins = pinned.map { mask in zip(records, mask).filter { !keys.contains($0.0.key) }.map(\.1) }
        self = ResultsModel(records: records.filter { !keys.contains($0.key) })
        marked = m
        pins = p
        pinned = keptPins
        sort = s
        ascending = asc
        setFilter(f)
        cursor = min(c, max(0, visible.count - 1))
    }
}
