import Foundation
import Messages
import TUIKit
import WolkvoxAPI

/// The breakdown overlay's own state: which bar is selected.
public struct BreakdownOverlay: Sendable, Equatable {
    public var cursor = 0
    /// Computed when it opens and again whenever the rows change under it
    /// (a new answer, a delete), not per frame or keypress.
    public var data: Breakdown
}

/// The breakdown of the rows shown (text filter, campaign and pin applied),
/// computed afresh from them, so it follows every change.
func breakdownOf(_ state: AppState) -> Breakdown {
    Breakdown((0..<state.results.count).lazy.map(state.results.row), now: state.now, timeZone: state.timeZone)
}

/// The bars Enter can filter to, in the order ↑ ↓ walk them.
func selectableBars(_ b: Breakdown) -> [Breakdown.Bar] {
    b.results + b.calls.filter { $0.count > 0 } + [b.never, b.older, b.otherDates].filter { $0.count > 0 } + b.campaigns
}

func handleBreakdownKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard let data = state.breakdown?.data else { return [] }
    let bars = selectableBars(data)
    let cursor = min(state.breakdown?.cursor ?? 0, max(0, bars.count - 1))
    switch key {
    case .escape, .char("q"), .char("B"): state.breakdown = nil
    case .down, .char("j"): state.breakdown?.cursor = min(bars.count - 1, cursor + 1)
    case .up, .char("k"): state.breakdown?.cursor = max(0, cursor - 1)
    case .home: state.breakdown?.cursor = 0
    case .end: state.breakdown?.cursor = max(0, bars.count - 1)
    case .enter:
        guard cursor < bars.count else { return [] }
        // The rows narrow to the bar's records; Esc in the results lets go.
        let kind = bars[cursor].kind
        state.results.pin(kind) { data.matches(kind, $0) }
        state.breakdown = nil
        state.focus = .results
        toast(&state, state.catalog.plural("toast.pinned", state.results.count, ["bar": clean(state.catalog.pinLabel(kind), 60)]), .info)
    default: break
    }
    return []
}

/// One row of a chart: label, count, share and a bar as long as its share of the largest.
func barRow(_ bar: Breakdown.Bar, of largest: Int, total: Int, width: Int, ascii: Bool, _ c: Catalog) -> (text: String, bar: String) {
    let label = DisplayWidth.pad(DisplayWidth.truncate(clean(c.barLabel(bar.kind), 40), to: 16), to: 16)
    let pct = total > 0 ? Int((Double(bar.count) * 100 / Double(total)).rounded()) : 0
    let text = label + " " + DisplayWidth.pad(c.number(bar.count), to: 6, alignRight: true) + " " + DisplayWidth.pad("\(pct)%", to: 4, alignRight: true) + " "
    let room = max(0, width - DisplayWidth.of(text))
    let length = largest > 0 && bar.count > 0 ? max(1, Int((Double(bar.count) / Double(largest) * Double(room)).rounded())) : 0
    return (text, String(repeating: ascii ? "#" : "█", count: min(room, length)))
}

func resultStyle(_ value: String, _ t: Theme) -> Style {
    switch value {
    case "answer": t[.success]
    case "do-not-call", "failed": t[.danger]
    case "no-answer", "busy", "answer-machine", "abandon": t[.warning]
    default: t[.accent]
    }
}

func renderBreakdown(_ state: AppState, _ overlay: BreakdownOverlay, _ b: inout Buffer) {
    let t = state.theme
    let c = state.catalog
    let data = overlay.data
    let r = b.area.centered(width: min(b.width - 2, 110), height: b.height - 2)
    b.fill(r, style: t[.text])
    let title = c.text("stats.title", ["count": c.number(data.total)])
    let inner = b.frame(r, title: title, style: t[.borderFocused], titleStyle: t[.borderFocused])
    guard inner.height > 2, inner.width > 20 else { return }
    let bars = selectableBars(data)
    let cursor = min(overlay.cursor, max(0, bars.count - 1))
    let ascii = state.asciiOnly
    // Lines of one column: a section title, or a bar (with its place in `bars`), or plain text.
    enum Line { case title(String), bar(Breakdown.Bar, Int?, largest: Int, style: Style), text(String, Style), blank }
    var left: [Line] = [.title(c["stats.results"])]
    let largestResult = data.results.first?.count ?? 0
    var index = 0
    for bar in data.results {
        if case .result(let value) = bar.kind { left.append(.bar(bar, index, largest: largestResult, style: resultStyle(value, t))) }
        index += 1
    }
    left += [.blank, .title(c["stats.calls"])]
    let largestCalls = data.calls.map(\.count).max() ?? 0
    for bar in data.calls {
        left.append(.bar(bar, bar.count > 0 ? index : nil, largest: largestCalls, style: t[.accent]))
        if bar.count > 0 { index += 1 }
    }
    var right: [Line] = [.title(c["stats.last_contact"]), .text(data.sparkline(ascii: ascii), t[.accent]), .text(c["stats.axis"], t[.muted])]
    for bar in [data.never, data.older, data.otherDates] where bar.count > 0 {
        right.append(.bar(bar, index, largest: data.total, style: t[.muted]))
        index += 1
    }
    if !data.campaigns.isEmpty {
        right += [.blank, .title(c["stats.campaigns"])]
        for bar in data.campaigns {
            right.append(.bar(bar, index, largest: data.campaigns.first?.count ?? 0, style: t[.accent]))
            index += 1
        }
    }
    // Side by side when there is room (80 columns and up), else one column that scrolls to the selection.
    let twoColumns = inner.width >= 74
    let columns: [(lines: [Line], x: Int, width: Int)] =
        twoColumns
        ? [(left, inner.x + 1, inner.width / 2 - 2), (right, inner.x + inner.width / 2 + 1, inner.width - inner.width / 2 - 2)]
        : [(left + [.blank] + right, inner.x + 1, inner.width - 2)]
    let rows = inner.height - 1
    for column in columns {
        let selectedLine = column.lines.firstIndex { if case .bar(_, let i, _, _) = $0 { i == cursor } else { false } } ?? 0
        let top = max(0, min(selectedLine - rows + 1, column.lines.count - rows))
        for (n, line) in column.lines.dropFirst(top).prefix(rows).enumerated() {
            let y = inner.y + n
            switch line {
            case .title(let text): b.put(text, x: column.x, y: y, style: t[.header], maxWidth: column.width)
            case .text(let text, let style): b.put(text, x: column.x, y: y, style: style, maxWidth: column.width)
            case .blank: break
            case .bar(let bar, let i, let largest, let style):
                let (text, glyphs) = barRow(bar, of: largest, total: data.total, width: column.width, ascii: ascii, c)
                let selected = i != nil && i == cursor
                let x = b.put(text, x: column.x, y: y, style: selected ? t[.selection] : (i == nil ? t[.muted] : t[.text]), maxWidth: column.width)
                b.put(glyphs, x: column.x + x, y: y, style: style, maxWidth: max(0, column.width - x))
            }
        }
    }
    b.put(c["stats.keys"], x: inner.x + 1, y: inner.maxY - 1, style: t[.muted], maxWidth: inner.width - 2)
}
