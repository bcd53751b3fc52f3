import Foundation
import TUIKit
import WolkvoxAPI
import Messages

/// A results column: what it shows, how wide it wants to be, and how soon it
/// is dropped when the terminal is narrow (higher priority stays longer).
struct Column {
    var title: String
    var sort: ResultsModel.SortColumn
    var width: Int
    var priority: Int
    var alignRight = false
    var value: (CustomerRecord) -> String
}

func resultColumns(_ state: AppState, width: Int) -> [Column] {
    let c = state.catalog
    // A campaign's own columns (`[columns]` in config) while it is selected.
    if let id = state.selectedCampaign?.id, let names = state.columns[id], !names.isEmpty {
        let labels = state.labels[id] ?? [:]
        return fit(names.enumerated().map { i, name in configuredColumn(name, labels: labels, priority: 100 - i, c) }, width: width)
    }
    // The default columns and how soon each is dropped on a narrow screen
    // (higher stays longer). Across all campaigns the campaign is what tells
    // two rows apart: it stays.
    let defaults = [
        ("name", 9), ("customer_id", 8), ("phones", 7), ("result", 6), ("calls", 4), ("date", 3),
        ("campaign_id", state.selectedCampaign == nil ? 7 : 5),
    ]
    return fit(defaults.map { configuredColumn($0.0, labels: [:], priority: $0.1, c) }, width: width)
}

/// One of the columns `[columns]` may name; an opt column is titled with its label.
func configuredColumn(_ name: String, labels: [String: String], priority: Int, _ c: Catalog) -> Column {
    if name.hasPrefix("opt"), let n = Int(name.dropFirst(3)), (1...12).contains(n) {
        let title = labels[name] ?? name
        return Column(title: title, sort: .none, width: max(14, min(22, DisplayWidth.of(title) + 4)), priority: priority, value: { $0.opts[n - 1] })
    }
    switch name {
    case "name": return Column(title: c["col.name"], sort: .name, width: 18, priority: priority, value: { $0.fullName })
    case "customer_id": return Column(title: c["col.id"], sort: .id, width: 12, priority: priority, value: { $0.customerID })
    case "phones":
        return Column(
            title: c["col.phones"], sort: .none, width: 16, priority: priority,
            value: { r in r.phones.isEmpty ? "" : r.phones[0] + (r.phones.count > 1 ? " +\(r.phones.count - 1)" : "") })
    case "tel1": return Column(title: "tel1", sort: .none, width: 13, priority: priority, value: { $0.tel1 })
    case "tel2": return Column(title: "tel2", sort: .none, width: 13, priority: priority, value: { $0.tel2 })
    case "tel3": return Column(title: "tel3", sort: .none, width: 13, priority: priority, value: { $0.tel3 })
    case "result": return Column(title: c["col.result"], sort: .result, width: 14, priority: priority, value: { $0.result })
    case "calls": return Column(title: c["col.calls"], sort: .calls, width: 5, priority: priority, alignRight: true, value: { $0.calls })
    case "date": return Column(title: c["col.date"], sort: .date, width: 16, priority: priority, value: { DateText.record(String($0.date.prefix(16)), c.language) })
    default: return Column(title: c["col.campaign"], sort: .campaign, width: 8, priority: priority, value: { $0.campaignID })
    }
}

/// Drops the least important columns until the rest fit, and gives the
/// spare width to the name column (or the first one).
func fit(_ columns: [Column], width: Int) -> [Column] {
    var cols = columns
    // Drop the least important columns until the rest fit (2 = marker + gaps).
    func total(_ cs: [Column]) -> Int { cs.reduce(2) { $0 + $1.width + 1 } }
    while total(cols) > width, cols.count > 2, let drop = cols.enumerated().min(by: { $0.element.priority < $1.element.priority }) {
        cols.remove(at: drop.offset)
    }
    // Give the spare width to the name column.
    let wide = cols.firstIndex { $0.sort == .name } ?? (cols.isEmpty ? nil : 0)
    if let name = wide { cols[name].width += max(0, width - total(cols)) }
    if total(cols) > width, let name = wide { cols[name].width = max(6, cols[name].width - (total(cols) - width)) }
    return cols
}

func renderResults(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    let (border, titleStyle) = paneStyle(state, .results)
    let c = state.catalog
    var title =
        c["pane.results"] + " ("
        + (state.results.count != state.results.records.count
            ? c.text("results.count_of", ["shown": c.number(state.results.count), "total": c.number(state.results.records.count)])
            : c.number(state.results.count)) + ")"
    if !state.results.marked.isEmpty { title += " · " + c.text("results.marked", ["count": c.number(state.results.marked.count)]) }
    // The breakdown bar the rows are narrowed to (Esc lets go).
    if !state.results.pins.isEmpty {
        title += " · " + c.text("results.pinned", ["bar": state.results.pins.map { clean(c.pinLabel($0), 40) }.joined(separator: " + ")])
    }
    if let f = state.resultsFilter { title += " /" + f.value + "▏" } else if !state.results.filter.isEmpty { title += " /" + state.results.filter }
    let inner = b.frame(r, title: title, style: border, titleStyle: titleStyle)
    guard inner.height >= 2, inner.width > 4 else { return }
    let cols = resultColumns(state, width: inner.width)
    // Header
    var x = inner.x + 2
    for col in cols {
        var head = col.title
        if state.results.sort == col.sort && col.sort != .none {
            // The arrow always shows; the title gives way to it.
            let arrow = state.results.ascending ? " ▲" : " ▼"
            head = DisplayWidth.truncate(head, to: max(1, col.width - 2), ellipsis: false) + arrow
        }
        b.put(DisplayWidth.pad(head, to: col.width, alignRight: col.alignRight), x: x, y: inner.y, style: t[.header], maxWidth: col.width)
        x += col.width + 1
    }
    let height = inner.height - 1
    if state.results.isEmpty {
        let key: String
        switch state.summary {
        case _ where state.search != nil: key = state.waitingForCancelled ? "search.waiting_cancelled" : "search.searching"
        case .found?: key = "results.none"
        case .failed?: key = "results.failed"
        case .cancelled?, nil: key = "results.hint_empty"  // a cancelled search found nothing, nor "no records"
        }
        let msg = c[key]
        let y = inner.y + 2 < inner.maxY ? inner.y + 2 : inner.y + 1
        b.put(msg, x: inner.x + 2, y: y, style: t[.muted], maxWidth: inner.width - 2)
        // Nothing for "+57…": the hint, wrapped to the pane, under "No records found".
        if state.search == nil, case .found = state.summary, state.resultsPhone?.hasPrefix("+") == true {
            for (i, line) in wordWrap(c["search.plus_hint"], width: inner.width - 4).enumerated() where y + 2 + i < inner.maxY {
                b.put(line, x: inner.x + 2, y: y + 2 + i, style: t[.text])
            }
        }
        return
    }
    // Virtual scrolling: only the rows on screen are looked at.
    var model = state.results
    model.keepVisible(height: height)
    for row in 0..<height {
        let i = model.scroll + row
        guard i < model.count else { break }
        let rec = model.row(i)
        let y = inner.y + 1 + row
        let selected = i == model.cursor
        let marked = model.marked.contains(rec.key)
        var style = marked ? t[.marked] : t[.text]
        if selected { style = state.focus == .results || state.focus == .detail ? t[.selection] : t[.accent] }
        b.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style)
        b.put(marked ? "●" : (selected ? "▸" : " "), x: inner.x, y: y, style: style)
        // A change of this session to this record has an unknown outcome.
        if state.pendingChanges[rec.key] != nil { b.put("?", x: inner.x + 1, y: y, style: selected ? style : t[.warning]) }
        var cx = inner.x + 2
        for col in cols {
            b.put(DisplayWidth.pad(clean(col.value(rec), 200), to: col.width, alignRight: col.alignRight), x: cx, y: y, style: style, maxWidth: col.width)
            cx += col.width + 1
        }
    }
    // Scroll position, on the right border.
    if model.count > height {
        let pos = inner.y + 1 + (height - 1) * model.cursor / max(1, model.count - 1)
        b.put("█", x: r.maxX - 1, y: pos, style: border)
    }
}
