import Foundation
import TUIKit
import WolkvoxAPI
import Messages

func renderError(_ state: AppState, _ e: ErrorBanner, _ b: inout Buffer) {
    let t = state.theme
    let width = min(b.width - 4, 100)
    let c = state.catalog
    // The hint names a key that works where the operator is: in the search
    // field `i` is a letter of the query, so only Ctrl-O is offered there.
    let inSearch = state.focus == .search
    let hint: String? =
        e.detail.isEmpty
        ? c["error.dismiss"]
        : c[(e.showingDetail ? "error.hide_details" : "error.show_details") + (inSearch ? "_search" : "")]
    var texts: [(String, Style)] = [(clean(e.sentence(in: state.catalog), 400), t[.text])]
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
        if lines.count > 4 {
            lines = Array(lines.prefix(4))
            lines[3] = DisplayWidth.truncate(lines[3], to: width - 3) + "…"
        }
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
    let shown = helpRows(state)
    for (i, row) in shown.dropFirst(min(help.scroll, helpMaxScroll(state))).prefix(inner.height - 2).enumerated() {
        let y = inner.y + 2 + i
        b.put(row.scope, x: inner.x + 1, y: y, style: t[.muted], maxWidth: 9)
        b.put(row.keys, x: inner.x + 11, y: y, style: t[.accent], maxWidth: 16)
        b.put(row.text, x: inner.x + 28, y: y, style: t[.text], maxWidth: inner.width - 29)
    }
}

/// One line of help: where it holds, the keys (or `:` usage), what it does.
struct HelpRow {
    var scope: String
    var keys: String
    var text: String
}

/// The help overlay's rows after its filter: every binding and every `:`
/// command, searchable in the operator's language and by the English name.
func helpRows(_ state: AppState) -> [HelpRow] {
    let c = state.catalog
    let f = state.help?.filter.value.lowercased() ?? ""
    let bindings = state.keymap.visible(readOnly: state.readOnly).map { b in
        (HelpRow(scope: c["scope.\(b.scope.rawValue)"], keys: b.keys.map(Keymap.label).joined(separator: " "), text: c["help.\(b.command.rawValue)"]),
         b.command.rawValue)
    }
    let lines = LineCommand.all.map { (HelpRow(scope: c["scope.command"], keys: $0.usage, text: c[$0.help]), $0.usage) }
    return (bindings + lines).filter { f.isEmpty || ($0.0.text + " " + $0.1).lowercased().contains(f) }.map(\.0)
}

/// Rows the help overlay shows at once, and how far it can scroll.
func helpPage(_ state: AppState) -> Int { max(1, state.size.height - 6) }
func helpMaxScroll(_ state: AppState) -> Int { max(0, helpRows(state).count - helpPage(state)) }
