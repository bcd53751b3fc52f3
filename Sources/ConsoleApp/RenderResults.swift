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
    var cols = [
        Column(title: c["col.name"], sort: .name, width: 18, priority: 9, value: { $0.fullName }),
        Column(title: c["col.id"], sort: .id, width: 12, priority: 8, value: { $0.customerID }),
        Column(title: c["col.phones"], sort: .none, width: 16, priority: 7, value: { r in
            let p = r.phones; return p.isEmpty ? "" : p[0] + (p.count > 1 ? " +\(p.count - 1)" : "") }),
        Column(title: c["col.result"], sort: .result, width: 14, priority: 6, value: { $0.result }),
        Column(title: c["col.calls"], sort: .calls, width: 5, priority: 4, alignRight: true, value: { $0.calls }),
        Column(title: c["col.date"], sort: .date, width: 16, priority: 3, value: { DateText.record(String($0.date.prefix(16)), c.language) }),
        // Across all campaigns the campaign is what tells two rows apart: it stays.
        Column(title: c["col.campaign"], sort: .campaign, width: 8, priority: state.selectedCampaign == nil ? 7 : 5, value: { $0.campaignID }),
    ]
    // Drop the least important columns until the rest fit (2 = marker + gaps).
    func total(_ cs: [Column]) -> Int { cs.reduce(2) { $0 + $1.width + 1 } }
    while total(cols) > width, cols.count > 2, let drop = cols.enumerated().min(by: { $0.element.priority < $1.element.priority }) {
        cols.remove(at: drop.offset)
    }
    // Give the spare width to the name column.
    if let name = cols.firstIndex(where: { $0.sort == .name }) { cols[name].width += max(0, width - total(cols)) }
    if total(cols) > width, let name = cols.firstIndex(where: { $0.sort == .name }) { cols[name].width = max(6, cols[name].width - (total(cols) - width)) }
    return cols
}

func renderResults(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    let (border, titleStyle) = paneStyle(state, .results)
    let c = state.catalog
    var title = c["pane.results"] + " (" + (state.results.count != state.results.records.count
        ? c.text("results.count_of", ["shown": c.number(state.results.count), "total": c.number(state.results.records.count)])
        : c.number(state.results.count)) + ")"
    if !state.results.marked.isEmpty { title += " · " + c.text("results.marked", ["count": c.number(state.results.marked.count)]) }
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
        let msg = c[state.search != nil ? "search.searching" : (state.summary == nil ? "results.hint_empty" : "results.none")]
        b.put(msg, x: inner.x + 2, y: inner.y + 2 < inner.maxY ? inner.y + 2 : inner.y + 1, style: t[.muted], maxWidth: inner.width - 2)
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

func renderDetail(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    let (border, titleStyle) = paneStyle(state, .detail)
    guard let rec = state.results.current else {
        let inner = b.frame(r, title: state.catalog.text("pane.record", ["id": ""]), style: border, titleStyle: titleStyle)
        if inner.height > 0 { b.put(state.catalog["detail.none"], x: inner.x + 1, y: inner.y, style: t[.muted]) }
        return
    }
    let inner = b.frame(r, title: state.catalog.text("pane.record", ["id": clean(rec.customerID, 40)]), style: border, titleStyle: titleStyle)
    guard inner.height > 0 else { return }
    let fields = DetailFields.of(rec, state.catalog)
    let dateLabel = state.catalog["col.date"]
    // Columns of label/value pairs, as many as fit side by side.
    let cellWidth = 38
    let perRow = max(1, inner.width / cellWidth)
    let rows = (fields.count + perRow - 1) / perRow
    let cursor = min(state.detailCursor, fields.count - 1)
    let top = max(0, min(cursor / perRow - inner.height + 1, rows - inner.height))
    for (i, field) in fields.enumerated() {
        let row = i / perRow - top, col = i % perRow
        guard row >= 0, row < inner.height else { continue }
        let x = inner.x + 1 + col * cellWidth, y = inner.y + row
        let focused = state.focus == .detail && i == cursor
        b.put(DisplayWidth.pad(field.label, to: 11), x: x, y: y, style: t[.muted])
        let value = field.value.isEmpty ? "—" : clean(field.label == dateLabel ? DateText.record(field.value, state.catalog.language) : field.value, 200)
        b.put(value, x: x + 12, y: y, style: focused ? t[.selection] : (field.value.isEmpty ? t[.muted] : t[.text]), maxWidth: cellWidth - 13)
    }
}

func renderError(_ state: AppState, _ e: ErrorBanner, _ b: inout Buffer) {
    let t = state.theme
    let width = min(b.width - 4, 100)
    let c = state.catalog
    // The hint names a key that works where the operator is: in the search
    // field `i` is a letter of the query, so only Ctrl-O is offered there.
    let inSearch = state.focus == .search
    let hint: String? = e.detail.isEmpty ? c["error.dismiss"]
        : c[(e.showingDetail ? "error.hide_details" : "error.show_details") + (inSearch ? "_search" : "")]
    var texts: [(String, Style)] = [(clean(e.sentence, 400), t[.text])]
    if e.showingDetail && !e.detail.isEmpty { texts.append((clean(e.detail, 600), t[.text])) }
    if let hint { texts.append((hint, t[.muted])) }
    // Whole sentences, wrapped at words — never cut at the frame.
    let maxRows = max(1, b.height / 2 - 2)
    var rows: [(String, Style)] = []
    for (text, style) in texts { rows += wordWrap(text, width: width - 4).map { ($0, style) } }
    if rows.count > maxRows { rows = Array(rows.prefix(maxRows - 1)) + [rows[rows.count - 1]] }
    let r = Rect(x: (b.width - width) / 2, y: max(1, b.height - 2 - rows.count - 1), width: width, height: rows.count + 2)
    b.fill(r, style: t[.text])
    let inner = b.frame(r, title: c["error.title"], style: t[.danger], titleStyle: t[.danger])
    for (i, row) in rows.enumerated() where i < inner.height {
        b.put(row.0, x: inner.x + 1, y: inner.y + i, style: row.1, maxWidth: inner.width - 2)
    }
}

func renderToasts(_ state: AppState, _ b: inout Buffer) {
    let t = state.theme
    var y = 1
    for toast in state.toasts.reversed() {
        // Long toasts wrap onto more rows (at most 4) instead of losing their end.
        let width = min(b.width - 4, max(30, b.width * 2 / 3))
        var lines = wordWrap(clean(toast.text, 600), width: width - 2)
        if lines.count > 4 { lines = Array(lines.prefix(4)); lines[3] = DisplayWidth.truncate(lines[3], to: width - 3) + "…" }
        let w = lines.map(DisplayWidth.of).max().map { $0 + 2 } ?? 2
        guard y + lines.count <= b.height - 1 else { break }
        var style: Style
        switch toast.level {
        case .info: style = t[.accent]
        case .success: style = t[.success]
        case .warning: style = t[.warning]
        case .error: style = t[.danger]
        }
        style.attributes.insert(.reverse)
        for line in lines {
            b.put(" " + DisplayWidth.pad(line, to: w - 2) + " ", x: max(0, b.width - w - 1), y: y, style: style)
            y += 1
        }
    }
}

func renderHelp(_ state: AppState, _ help: HelpOverlay, _ b: inout Buffer) {
    let t = state.theme
    let r = b.area.centered(width: min(b.width - 2, 76), height: b.height - 2)
    b.fill(r, style: t[.text])
    let c = state.catalog
    let inner = b.frame(r, title: c["help.title"], style: t[.borderFocused], titleStyle: t[.borderFocused])
    guard inner.height > 2 else { return }
    b.put("/ ", x: inner.x + 1, y: inner.y, style: t[.accent])
    help.filter.render(into: &b, x: inner.x + 3, y: inner.y, width: inner.width - 4, style: t[.text], focused: true)
    let f = help.filter.value.lowercased()
    // Searchable in the operator's language and by the English command name.
    let rows = state.keymap.visible(readOnly: state.readOnly)
        .map { b in (c["scope.\(b.scope.rawValue)"], b.keys.map(Keymap.label).joined(separator: " "), c["help.\(b.command.rawValue)"], b.command.rawValue) }
        + LineCommand.all.map { (c["scope.command"], $0.usage, c[$0.help], $0.usage) }
    let shown = rows.filter { f.isEmpty || ($0.2 + " " + $0.3).lowercased().contains(f) }
    for (i, row) in shown.dropFirst(help.scroll).prefix(inner.height - 2).enumerated() {
        let y = inner.y + 2 + i
        b.put(row.0, x: inner.x + 1, y: y, style: t[.muted], maxWidth: 8)
        b.put(row.1, x: inner.x + 10, y: y, style: t[.accent], maxWidth: 16)
        b.put(row.2, x: inner.x + 28, y: y, style: t[.text], maxWidth: inner.width - 29)
    }
}
