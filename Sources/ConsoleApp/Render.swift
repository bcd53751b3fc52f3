import Foundation
import LocalStore
import TUIKit
import WolkvoxAPI
import Messages

/// Draws the whole screen from state. Pure: the same state gives the same
/// buffer, which is what the snapshot tests compare.
public func render(_ state: AppState, into buffer: inout Buffer) {
    let t = state.theme
    buffer.fill(buffer.area, style: t[.background])
    let layout = Layout(size: state.size, focus: state.focus)
    if layout.mode == .tooSmall {
        // Wrapped, so the size it asks for is never the part cut off.
        let ask = state.catalog.text("terminal.too_small", ["size": "\(Layout.minimum.width)×\(Layout.minimum.height)"])
        buffer.centered(
            wordWrap(ask, width: max(8, buffer.width - 2)) + [state.catalog.text("terminal.now", ["size": "\(state.size.width)×\(state.size.height)"])],
            in: buffer.area, style: t[.warning])
        return
    }
    renderHeader(state, layout.header, &buffer)
    renderFooter(state, layout.footer, &buffer)
    let fullDetail = state.focus == .detail && state.detailFull
    if let c = layout.campaigns { renderCampaigns(state, c, &buffer) }
    if let p = layout.picker { renderPicker(state, p, &buffer) }
    renderSearch(state, layout.search, &buffer)
    if fullDetail {
        renderDetail(state, layout.results, &buffer)
    } else if layout.mode != .wide && state.focus == .campaigns {
        renderCampaigns(state, layout.results, &buffer)
    } else {
        renderResults(state, layout.results, &buffer)
    }
    if let d = layout.detail, !fullDetail { renderDetail(state, d, &buffer) }
    // Under an open dialog the banner would repeat the dialog's own line.
    if let e = state.error, state.dialog == nil { renderError(state, e, &buffer) }
    if let overlay = state.breakdown { renderBreakdown(state, overlay, &buffer) }
    if let help = state.help { renderHelp(state, help, &buffer) }
    if let log = state.historyLog { renderHistory(state, log, &buffer) }
    // Over the overlays (a read-back from :history answers in a toast), under a dialog.
    renderToasts(state, &buffer)
    if let dialog = state.dialog {
        renderDialog(state, dialog, &buffer)
        // Details asked for from inside a dialog are drawn over it.
        if let e = state.error, e.showingDetail { renderError(state, e, &buffer) }
    }
    if let line = state.commandLine {
        buffer.fill(layout.footer, style: t[.text])
        buffer.put(":", x: 0, y: layout.footer.y, style: t[.accent])
        line.render(into: &buffer, x: 1, y: layout.footer.y, width: layout.footer.width - 1, style: t[.text], focused: true)
    }
}

func clean(_ s: String, _ limit: Int = 300) -> String { TerminalText.sanitize(s, limit: limit) }

func renderHeader(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    var style = t[.header]
    style.attributes.insert(.reverse)
    b.fill(r, style: style)
    let server = state.catalog.text("status.server", ["server": state.server])
    let campaign = clean(state.campaignLabel, 60)
    let indicator =
        state.waitingForCancelled
        ? "◌ " + state.catalog["status.waiting_cancelled"]
        : state.waitingForSlot
        ? "◌ " + state.catalog["status.waiting_slot"]
        : state.inFlight > 0
            ? "◐ " + state.catalog.text("status.in_flight", ["count": String(state.inFlight)])
            : state.storeProblem != nil
                ? "⚠ " + state.catalog["status.store_down"]
                : (state.error != nil ? "✖ " + state.catalog["status.error"] : "● " + state.catalog["status.idle"])
    // Changes of this session whose outcome is unknown stay in sight until read back.
    let pending = state.pendingActions == 0 ? "" : "? " + state.catalog.plural("status.pending", state.pendingActions) + " · "
    let right =
        state.catalog.text("status.calls_today", ["used": state.catalog.number(state.callsToday), "quota": state.catalog.number(state.quota)]) + " · "
        + pending + indicator + " "
    let rw = DisplayWidth.of(right)
    // Narrow terminals (and longer Spanish/Portuguese words) lose the least
    // useful part first — the brand, then the server — and never cut the
    // campaign's name in the middle of a word.
    let room = max(0, r.width - rw - 1)
    let left =
        [" wvconsole  " + server + " · " + campaign, " " + server + " · " + campaign, " " + campaign]
        .first { DisplayWidth.of($0) <= room } ?? " " + truncateAtWord(campaign, to: room - 1)
    b.put(left, x: 0, y: r.y, style: style, maxWidth: room)
    var rs = style
    if state.storeProblem != nil || state.quotaLevel != .ok || state.pendingActions > 0 {
        rs = t[.warning]
        rs.attributes.insert(.reverse)
    }
    b.put(right, x: max(0, r.width - rw), y: r.y, style: rs)
}

/// Cuts at the last space that fits and adds "…"; a single over-long word is cut where it must be.
func truncateAtWord(_ text: String, to width: Int) -> String {
    guard DisplayWidth.of(text) > width else { return text }
    guard width > 1 else { return String(repeating: "…", count: max(0, width)) }
    let cut = DisplayWidth.truncate(text, to: width)  // ends in "…"
    let body = String(cut.dropLast())
    guard let space = body.lastIndex(of: " "), space > body.startIndex else { return cut }
    return String(body[..<space]) + "…"
}

func renderFooter(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    b.fill(r, style: t[.muted])
    var badges: [(String, Style)] = []
    if state.demo { badges.append((" " + state.catalog["badge.demo"] + " ", t[.badgeDemo])) }
    if state.readOnly { badges.append((" " + state.catalog["badge.read_only"] + " ", t[.badgeReadOnly])) }
    let badgeWidth = badges.reduce(0) { $0 + DisplayWidth.of($1.0) + 1 }
    let scopes: [Keymap.Scope]
    switch state.focus {
    case .campaigns: scopes = [.lists]
    case .search: scopes = [.search]
    case .results: scopes = [.record, .results]
    case .detail: scopes = [.record]
    }
    let visible = state.keymap.visible(readOnly: state.readOnly)
    let c = state.catalog
    func hints(in scope: Keymap.Scope) -> [String] {
        visible.filter { $0.scope == scope }.map {
            "\(Keymap.label($0.keys[0])) " + (c.has("hint.\($0.command.rawValue)") ? c["hint.\($0.command.rawValue)"] : $0.command.rawValue)
        }
    }
    // Where filter, the command line and help are: from the keymap, remapped or not.
    func hint(_ command: Command) -> String? {
        state.keymap.bindings.first { $0.command == command }.map { "\(Keymap.label($0.keys[0])) " + c["hint.\(command.rawValue)"] }
    }
    // In order of need: the focused pane's own keys (the record's actions),
    // filter and the command line, then the rest (marking, sorting).
    let own = scopes.filter { $0 != .lists }
    let ordered = (own.first.map { hints(in: $0) } ?? []) + [Command.filter, .commandLine].compactMap(hint) + own.dropFirst().flatMap { hints(in: $0) }
    // Help always has its place at the end: what does not fit is one key away.
    let help = hint(.help)
    let room = r.width - badgeWidth - (help.map { DisplayWidth.of($0) + 2 } ?? 0)
    var x = 1
    func put(_ h: String) {
        b.put(String(h.prefix(while: { $0 != " " })), x: x, y: r.y, style: t[.accent])
        b.put(String(h.drop(while: { $0 != " " })), x: x + DisplayWidth.of(String(h.prefix(while: { $0 != " " }))), y: r.y, style: t[.muted])
        x += DisplayWidth.of(h) + 2
    }
    for h in ordered {
        if x + DisplayWidth.of(h) + 2 > room { break }
        put(h)
    }
    if let help, x + DisplayWidth.of(help) <= r.width - badgeWidth { put(help) }
    var bx = r.width - badgeWidth
    for (text, style) in badges {
        b.put(text, x: bx, y: r.y, style: style)
        bx += DisplayWidth.of(text) + 1
    }
}

func paneStyle(_ state: AppState, _ pane: Pane) -> (Style, Style) {
    let focused = state.focus == pane && state.dialog == nil
    return (focused ? state.theme[.borderFocused] : state.theme[.border], focused ? state.theme[.borderFocused] : state.theme[.header])
}

func renderCampaigns(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    let (border, title) = paneStyle(state, .campaigns)
    let list = state.visibleCampaigns
    var heading = state.catalog["pane.campaigns"] + " (\(state.campaigns.count))"
    if let f = state.campaignFilter { heading += " /" + f.value }
    let inner = b.frame(r, title: heading, style: border, titleStyle: title)
    guard inner.height > 0 else { return }
    if state.campaignsLoading {
        b.put(state.catalog["common.loading"], x: inner.x + 1, y: inner.y, style: t[.muted])
        return
    }
    let top = max(0, min(state.campaignCursor - inner.height + 1, list.count - inner.height))
    for row in 0..<inner.height {
        let i = top + row
        guard i < list.count else { break }
        let selectedHere = (list[i]?.id == state.selectedCampaign?.id)
        let marker = selectedHere ? "▸ " : "  "
        let text: String
        var suffix = ""
        if let c = list[i] {
            text = c.id + " " + clean(c.name, 80)
            suffix = (c.isStarted ? " ▶" : " ■") + (c.campaignType == .preview ? "p" : " ")
        } else {
            text = state.catalog["pane.all_campaigns"]
        }
        let style = (i == state.campaignCursor && state.focus == .campaigns) ? t[.selection] : (selectedHere ? t[.accent] : t[.text])
        b.fill(Rect(x: inner.x, y: inner.y + row, width: inner.width, height: 1), style: style)
        b.put(marker + text, x: inner.x, y: inner.y + row, style: style, maxWidth: inner.width - DisplayWidth.of(suffix))
        b.put(suffix, x: inner.maxX - DisplayWidth.of(suffix), y: inner.y + row, style: style)
    }
    // The note wraps at word boundaries in the narrow pane, at its foot.
    if let note = state.campaignsNote {
        let lines = wordWrap(note, width: inner.width)
        if inner.height > list.count + lines.count {
            for (i, line) in lines.enumerated() {
                b.put(line, x: inner.x, y: inner.maxY - lines.count + i, style: t[.muted], maxWidth: inner.width)
            }
        }
    }
}

func renderPicker(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    b.put(" " + state.catalog["pane.campaigns"] + ": ", x: 0, y: r.y, style: t[.muted])
    let x = DisplayWidth.of(" " + state.catalog["pane.campaigns"] + ": ")
    // While the picker has focus it shows the entry under the cursor — the one
    // Enter will choose — with its place in the list; otherwise the selection.
    let focused = state.focus == .campaigns
    let list = state.visibleCampaigns
    let cursor = min(state.campaignCursor, list.count - 1)
    var label = state.campaignLabel
    var hint = state.catalog["picker.tab"]
    if focused {
        label = list[cursor]?.label ?? state.catalog["pane.all_campaigns"]
        hint = state.catalog.text("picker.position", ["n": String(cursor + 1), "total": String(list.count)])
        if let f = state.campaignFilter { hint = "/" + f.value + " " + hint }
    }
    let hw = DisplayWidth.of(hint) + 1
    b.put("◂ " + clean(label, 80) + " ▸", x: x, y: r.y, style: focused ? t[.selection] : t[.accent], maxWidth: r.width - x - hw)
    b.put(hint, x: r.width - hw, y: r.y, style: t[.muted])
}

func renderSearch(_ state: AppState, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    let (border, title) = paneStyle(state, .search)
    let kind = state.searchKind == .phone ? state.catalog["search.phone"] : state.catalog["search.id"]
    let auto = state.kindOverride == nil ? " (" + state.catalog["search.auto"] + ")" : ""
    let inner = b.frame(r, title: state.catalog["search.label"] + ": " + kind + auto, style: border, titleStyle: title)
    guard inner.height > 0 else { return }
    let hint = "[" + state.catalog["search.toggle_hint"] + "]"
    let fieldWidth = max(4, inner.width - DisplayWidth.of(hint) - 3)
    b.put("▸ ", x: inner.x, y: inner.y, style: t[.accent])
    state.query.render(
        into: &b, x: inner.x + 2, y: inner.y, width: fieldWidth, style: t[.text], focused: state.focus == .search,
        placeholder: state.catalog["search.placeholder"])
    if inner.width > DisplayWidth.of(hint) + 10 { b.put(hint, x: inner.maxX - DisplayWidth.of(hint), y: inner.y, style: t[.muted]) }
    guard inner.height > 1 else { return }
    let status: String
    var style = t[.muted]
    if let s = state.search {
        let frames = ["◐", "◓", "◑", "◒"]
        let elapsed = state.now.timeIntervalSince(s.started)
        // After a moment, how long it has waited and when it gives up (a customer is on the line).
        let waited =
            elapsed < 2
            ? "" : " " + state.catalog.text("search.elapsed", ["elapsed": String(Int(elapsed)), "limit": String(WolkvoxClient.timeLimit.components.seconds)])
        // Not "Searching…" while it has not left: the slot is still the cancelled search's.
        let doing = state.waitingForCancelled ? state.catalog["search.waiting_cancelled"] + "…" : state.catalog["search.searching"] + waited
        status = frames[Int(elapsed * 4) & 3] + " " + doing + "  (" + state.catalog["search.esc_cancels"] + ")"
        style = t[.accent]
    } else if let summary = state.summaryText {
        status = summary
    } else {
        status =
            state.selectedCampaign == nil
            ? state.catalog["search.scope_all"] : state.catalog.text("search.scope_one", ["campaign": clean(state.campaignLabel, 60)])
    }
    b.put(DisplayWidth.truncate(status, to: inner.width), x: inner.x, y: inner.y + 1, style: style, maxWidth: inner.width)
}

func renderHistory(_ state: AppState, _ entries: [HistoryLine], _ b: inout Buffer) {
    let t = state.theme
    let r = b.area.centered(width: b.width - 2, height: b.height - 2)
    b.fill(r, style: t[.text])
    let c = state.catalog
    let inner = b.frame(r, title: c[state.teamStore ? "history.title_team" : "history.title"], style: t[.borderFocused], titleStyle: t[.borderFocused])
    if let problem = state.historyProblem {
        for (i, line) in wordWrap(c.text("history.unavailable", ["problem": problem]), width: inner.width - 2).enumerated() where i < inner.height {
            b.put(line, x: inner.x + 1, y: inner.y + i, style: t[.warning], maxWidth: inner.width - 2)
        }
        return
    }
    if entries.isEmpty {
        b.put(c["history.empty"], x: inner.x + 1, y: inner.y, style: t[.muted])
        return
    }
    // The keys, on the last row; the entries above it.
    let hint = c[entries.contains(where: \.pending) ? "history.keys_pending" : "history.keys"]
    b.put(DisplayWidth.truncate(hint, to: inner.width - 2), x: inner.x + 1, y: inner.maxY - 1, style: t[.muted], maxWidth: inner.width - 2)
    let listBottom = inner.maxY - 1
    let cursor = min(state.historyCursor, entries.count - 1)
    if state.historyOpen {
        renderHistoryEntry(state, entries[cursor], Rect(x: inner.x, y: inner.y, width: inner.width, height: listBottom - inner.y), &b)
        return
    }
    // Columns as wide as their widest entry (operator and campaign capped),
    // so a team's lines read down as a table.
    let rows = entries.map { e in
        [
            DateText.record(e.time, c.language), clean(e.operatorName, 20), e.api, clean(e.campaign, 12), c.plural("history.items", e.items),
            historyOutcome(e, c),
        ]
    }
    let widths = (0..<6).map { i in rows.map { DisplayWidth.of($0[i]) }.max() ?? 0 }
    func columns(_ row: [String], _ range: Range<Int>) -> String {
        range.filter { widths[$0] > 0 }.map { i in
            let pad = String(repeating: " ", count: widths[i] - DisplayWidth.of(row[i]))
            return i == 4 ? pad + row[i] : row[i] + pad  // counts right-aligned
        }.joined(separator: "  ").replacingTrailingSpaces()
    }
    let room = inner.width - 2
    // Too narrow for the outcome beside the rest: it starts the wrapped part instead.
    let outcomeBeside = DisplayWidth.of(columns(rows.first ?? [], 0..<6)) <= room || rows.allSatisfy { DisplayWidth.of(columns($0, 0..<6)) <= room }
    // Each entry wraps its message under its own line rather than losing it;
    // the list starts far enough down that the highlighted entry shows.
    var y = inner.y
    let first = max(0, cursor - max(0, (listBottom - inner.y) / 2 - 1))
    for (index, (e, row)) in zip(entries, rows).enumerated().dropFirst(first) {
        guard y < listBottom else { break }
        let head = (index == cursor ? "▸ " : "  ") + columns(row, outcomeBeside ? 0..<6 : 0..<5)
        let pending = e.pending
        var style = pending ? t[.warning] : t[.text]
        if index == cursor { style = t[.selection] }
        if state.reconciling.contains(e.id) { style = t[.accent] }
        let message = [outcomeBeside ? "" : row[5], clean(e.message, 300)].filter { !$0.isEmpty }.joined(separator: " · ")
        let oneLine = message.isEmpty ? head : head + "  " + message
        let lines = outcomeBeside && DisplayWidth.of(oneLine) <= room ? [oneLine] : [head] + wordWrap(message, width: inner.width - 4)
        for (i, line) in lines.enumerated() where y < listBottom {
            b.put(i == 0 ? line : "    " + line, x: inner.x + 1, y: y, style: i == 0 ? style : (pending ? t[.warning] : t[.muted]), maxWidth: inner.width - 2)
            y += 1
        }
    }
}

/// An entry's outcome as the list shows it: a checked unknown says what the
/// check found ("unknown → applied").
func historyOutcome(_ e: HistoryLine, _ c: Catalog) -> String {
    let base = e.outcome.map { clean($0, 20) } ?? c[e.resolved ? "history.checked" : "history.unconfirmed"]
    guard e.resolved, !e.resolution.isEmpty else { return base }
    return (e.outcome.map { clean($0, 20) } ?? c["history.unconfirmed"]) + " → " + clean(Reconciler.finding(ofNote: e.resolution), 20)
}

/// One `:history` entry in full (Enter): what was sent, what came back,
/// and who checked it with what evidence.
func renderHistoryEntry(_ state: AppState, _ e: HistoryLine, _ r: Rect, _ b: inout Buffer) {
    let t = state.theme
    let c = state.catalog
    let outcome = historyOutcome(e, c)
    var lines: [(String, Style)] = [
        ("#\(e.id) · \(DateText.record(e.time, c.language)) · \(clean(e.operatorName, 40)) · \(e.api) · \(clean(e.campaign, 40)) · "
            + c.plural("history.items", e.items), t[.accent]),
        (c.text("history.outcome", ["outcome": outcome]), e.pending ? t[.warning] : t[.text]),
    ]
    if !e.message.isEmpty { lines.append((clean(e.message, 600), t[.text])) }
    if !e.resolution.isEmpty { lines.append((c.text("history.resolution", ["note": clean(e.resolution, 800)]), t[.text])) }
    if e.pending { lines.append((c["history.pending_hint"], t[.warning])) }
    var y = r.y
    for (text, style) in lines {
        for line in wordWrap(text, width: r.width - 2) where y < r.maxY {
            b.put(line, x: r.x + 1, y: y, style: style, maxWidth: r.width - 2)
            y += 1
        }
        y += 1
    }
}
