import Foundation
import LocalStore
import TUIKit
import WolkvoxAPI
import Messages

func renderDialog(_ state: AppState, _ dialog: Dialog, _ b: inout Buffer) {
    switch dialog {
    case .recall(let d): renderRecall(state, d, &b)
    case .delete(let d): renderDelete(state, d, &b)
    case .dnc(let d): renderDNC(state, d, &b)
    case .addRecord(let d): renderAddRecord(state, d, &b)
    case .unconfirmed(let count):
        let r = dialogRect(b, width: 70, height: 8)
        let inner = box(state, r, state.catalog["unconfirmed.title"], danger: true, &b)
        wrap(state.catalog.plural("unconfirmed.text", count), inner, &b, state.theme[.text])
    }
}

func dialogRect(_ b: Buffer, width: Int, height: Int) -> Rect {
    b.area.centered(width: min(width, b.width), height: min(height, b.height))
}

func box(_ state: AppState, _ r: Rect, _ title: String, danger: Bool = false, _ b: inout Buffer) -> Rect {
    b.fill(r, style: state.theme[.text])
    let style = danger ? state.theme[.danger] : state.theme[.borderFocused]
    return b.frame(r, title: title, style: style, titleStyle: style, heavy: danger)
}

/// Word-wraps `text` into `r`; returns rows used.
@discardableResult
func wrap(_ text: String, _ r: Rect, _ b: inout Buffer, _ style: Style, startRow: Int = 0) -> Int {
    let lines = wordWrap(text, width: r.width - 2)
    for (i, line) in lines.enumerated() where startRow + i < r.height {
        b.put(line, x: r.x + 1, y: r.y + startRow + i, style: style, maxWidth: r.width - 2)
    }
    return lines.count
}

/// Splits `text` at spaces into rows of at most `width` columns. Words never
/// split mid-way unless longer than a row (then `put` cuts them).
func wordWrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
        let candidate = line.isEmpty ? String(word) : line + " " + word
        if DisplayWidth.of(candidate) > width && !line.isEmpty {
            lines.append(line)
            line = String(word)
        } else {
            line = candidate
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}

func button(_ label: String, focused: Bool, enabled: Bool = true, danger: Bool = false, _ state: AppState) -> (String, Style) {
    let t = state.theme
    var style = enabled ? (danger ? t[.danger] : t[.accent]) : t[.muted]
    if focused { style.attributes.insert(.reverse) }
    return ("[ " + label + " ]", style)
}

func buttons(_ items: [(String, Style)], y: Int, in r: Rect, _ b: inout Buffer) {
    let total = items.reduce(0) { $0 + DisplayWidth.of($1.0) } + 4 * (items.count - 1)
    var x = r.x + max(0, (r.width - total) / 2)
    for (text, style) in items {
        b.put(text, x: x, y: y, style: style, maxWidth: r.maxX - x)
        x += DisplayWidth.of(text) + 4
    }
}

/// The dialog's buttons, or — once its action succeeded or failed — a single
/// focused `[ Close ]`, so nothing invites sending the same change twice.
func dialogButtons(_ state: AppState, _ s: SendState, _ items: [(String, Style)], y: Int, in r: Rect, _ b: inout Buffer) {
    if s.isFinished {
        buttons([button(state.catalog["button.close"], focused: true, state)], y: y, in: r, &b)
    } else {
        buttons(items, y: y, in: r, &b)
    }
}

func statusLine(_ state: AppState, _ s: SendState, y: Int, in r: Rect, _ b: inout Buffer) {
    // `c` is offered only where the change can be read back (not a recall, not a DNC block).
    let checkable = state.dialog?.canBeReadBack ?? true
    let t = state.theme
    let text: String, style: Style
    /// What the keys do now, kept whole on the last rows whatever the message's length.
    var keys: String?
    switch s {
    case .editing: return
    case .sending:
        text = state.catalog["dialog.sending"]
        style = t[.accent]
    case .done(let m):
        text = "✔ " + m + " — " + state.catalog["dialog.enter_closes"]
        style = t[.success]
    case .failed(let m, let unknown, let check):
        let c = state.catalog
        // Once a read-back settled it, there is nothing more to check.
        var settled = false, applied = false
        if case .done(let r) = check {
            settled = Reconciler.settles(r.verdict)
            applied = r.verdict == .applied
        }
        // Applied: nothing to check and nothing to send again.
        let keyText = applied ? "dialog.enter_closes" : (unknown && checkable && !settled ? "dialog.unknown_keys" : "dialog.failed_keys")
        keys = c[keyText] + (state.error?.detail.isEmpty == false ? " · " + c["dialog.ctrl_o"] : "")
        switch check {
        case .none:
            text = "✖ " + m
            style = t[.danger]
        case .checking:
            text = "✖ " + m + " — " + c["check.checking"]
            style = t[.danger]
        case .done(let r):
            // What the server shows now replaces the advice to check it.
            text = (Reconciler.settles(r.verdict) ? "✔ " : "? ") + checkText(r, c)
            style = Reconciler.settles(r.verdict) ? t[.success] : t[.warning]
        case .failed(let reason):
            text = "✖ " + m + " — " + c.text("check.failed", ["reason": reason])
            style = t[.danger]
        }
    }
    // The outcome is read whole: it wraps upward over the form (at most 5
    // rows, the keys' own rows last and never cut).
    let keyLines = keys.map { wordWrap($0, width: r.width - 2) } ?? []
    var lines = wordWrap(text, width: r.width - 2)
    let room = max(1, (keys == nil ? 4 : 5) - keyLines.count)
    if lines.count > room {
        lines = Array(lines.prefix(room))
        lines[room - 1] = DisplayWidth.truncate(lines[room - 1], to: r.width - 3) + "…"
    }
    let all = lines.map { ($0, style) } + keyLines.map { ($0, t[.accent]) }
    for (i, (line, lineStyle)) in all.enumerated() {
        let row = y - (all.count - 1) + i
        guard row >= r.y else { continue }
        b.fill(Rect(x: r.x, y: row, width: r.width, height: 1), style: t[.text])
        b.put(line, x: r.x + 1, y: row, style: lineStyle, maxWidth: r.width - 2)
    }
}

func field(_ label: String, _ f: TextField, focused: Bool, x: Int, y: Int, width: Int, _ state: AppState, _ b: inout Buffer) {
    let t = state.theme
    b.put(label, x: x, y: y, style: focused ? t[.accent] : t[.muted])
    let lw = label.isEmpty ? 0 : DisplayWidth.of(label) + 1
    b.put("[", x: x + lw, y: y, style: t[.border])
    f.render(into: &b, x: x + lw + 1, y: y, width: max(1, width - lw - 2), style: t[.text], focused: focused)
    b.put("]", x: x + width - 1, y: y, style: t[.border])
}

func renderRecall(_ state: AppState, _ d: RecallDialog, _ b: inout Buffer) {
    let t = state.theme
    let r = dialogRect(b, width: 72, height: 14)
    // The dialog speaks the language it was opened in, like its date field.
    let c = Catalog.shared(d.language)
    let inner = box(state, r, c.text("recall.title", ["id": clean(d.record.customerID, 30)]), &b)
    guard inner.height >= 6 else { return }
    var y = inner.y
    func label(_ key: String) -> String { DisplayWidth.pad(c[key], to: 10) }
    b.put(label("recall.customer") + clean(d.record.fullName, 60), x: inner.x + 1, y: y, style: t[.text], maxWidth: inner.width - 2)
    y += 1
    b.put(label("col.campaign") + clean(d.record.campaignID, 40), x: inner.x + 1, y: y, style: t[.muted], maxWidth: inner.width - 2)
    y += 2
    // Label, then room for all 16 characters of the date; the presets go
    // beside it when they fit, on the next line when the label is long.
    let whenLabel = c.text("recall.when", ["pattern": DateText.inputHint(d.language)])
    let fieldWidth = min(DisplayWidth.of(whenLabel) + 20, inner.width - 2)
    field(whenLabel, d.date, focused: d.focus == .date, x: inner.x + 1, y: y, width: fieldWidth, state, &b)
    let presets = c["recall.presets"]
    if fieldWidth + 3 + DisplayWidth.of(presets) <= inner.width - 1 {
        b.put(presets, x: inner.x + fieldWidth + 3, y: y, style: t[.muted])
        y += 1
    } else {
        b.put(presets, x: inner.x + 25, y: y + 1, style: t[.muted], maxWidth: max(0, inner.width - 26))
        y += 2
    }
    let choices = d.phoneChoices + [c["recall.typed"] + " " + (d.typedPhone.value.isEmpty ? "…" : d.typedPhone.value)]
    let phoneText = "◂ " + choices[min(d.phoneIndex, choices.count - 1)] + " ▸"
    b.put(c["recall.phone"], x: inner.x + 1, y: y, style: d.focus == .phone ? t[.accent] : t[.muted], maxWidth: 23)
    b.put(phoneText, x: inner.x + 25, y: y, style: d.focus == .phone ? t[.selection] : t[.text], maxWidth: inner.width - 26)
    y += 1
    b.put(c["recall.type"], x: inner.x + 1, y: y, style: d.focus == .type ? t[.accent] : t[.muted], maxWidth: 23)
    b.put("◂ " + d.campaignType.rawValue + " ▸", x: inner.x + 25, y: y, style: d.focus == .type ? t[.selection] : t[.text], maxWidth: max(0, inner.width - 26))
    y += 2
    var preview = d
    // While sending and once done, the outcome (which wraps upward) takes the
    // preview's place rather than covering half of it; after a failure the
    // preview stays, since Enter sends again.
    if d.state.isSending || d.state.isDone {
    } else if let order = preview.order(now: state.now, timeZone: state.timeZone) {
        let when = DateText.long(order.when, d.language, timeZone: state.timeZone)
        // Two rows if needed: the phone at the end must never be cut off.
        wrap(
            c.text("recall.preview", ["name": clean(d.record.fullName, 30), "when": when, "phone": order.phone]),
            Rect(x: inner.x, y: y, width: inner.width, height: max(1, min(2, inner.maxY - 2 - y))), &b, t[.text])
    } else if let e = preview.error {
        b.put(e, x: inner.x + 1, y: y, style: t[.warning], maxWidth: inner.width - 2)
    }
    statusLine(state, d.state, y: inner.maxY - 2, in: inner, &b)
    dialogButtons(
        state, d.state,
        [
            button(c["button.cancel"], focused: d.focus == .cancel, state),
            button(c["recall.button"], focused: d.focus == .send, enabled: preview.error == nil, state),
        ],
        y: inner.maxY - 1, in: inner, &b)
}

/// Where the delete dialog's parts go at a given terminal size. Render draws
/// from it and `update` asks it too: Delete is never enabled while the
/// irreversibility warning does not fit whole on screen.
struct DeleteLayout {
    var rect: Rect
    var inner: Rect
    var narrowPrompt: Bool
    var promptY: Int
    var resultY: Int
    /// Rows above the result filter: campaign, IDs, "more", blank, warning.
    var listRows: Int
    var warningY: Int
    var warningLines: [String]
    var warningFits: Bool

    init(_ d: DeleteDialog, size: Size, catalog c: Catalog) {
        let n = d.records.count
        rect = Rect(x: 0, y: 0, width: size.width, height: size.height)
            .centered(width: min(74, size.width), height: min(size.height, 16 + min(5, max(0, n - 1)) + d.noteRows))
        inner = Rect(x: rect.x + 1, y: rect.y + 1, width: max(0, rect.width - 2), height: max(0, rect.height - 2))
        let prompt = n == 1 ? c["delete.type_id"] : c.text("delete.type_count", ["count": String(n)])
        narrowPrompt = DisplayWidth.of(prompt) + 12 > inner.width
        promptY = inner.maxY - 2 - (narrowPrompt ? 2 : 1)
        resultY = promptY - 1
        listRows = min(n, 5)
        let top = 1 + listRows + (n > listRows ? 1 : 0) + d.noteRows + 1
        warningY = inner.y + top
        warningLines = wordWrap(c["delete.warning"], width: inner.width - 2)
        warningFits = inner.height >= 5 && warningY + warningLines.count <= resultY - 1
    }
}

func renderDelete(_ state: AppState, _ d: DeleteDialog, _ b: inout Buffer) {
    let t = state.theme
    let c = state.catalog
    let n = d.records.count
    let layout = DeleteLayout(d, size: b.size, catalog: c)
    let title = n == 1 ? c["delete.title_one"] : c.text("delete.title_many", ["count": String(n)])
    let inner = box(state, layout.rect, title, danger: true, &b)
    guard inner.height >= 5 else { return }
    // The essentials are pinned to the bottom so they survive a small terminal:
    // buttons, status, the typed confirmation, the result filter.
    let enabled = d.confirmed && layout.warningFits && d.matching > 0
    let deleteLabel = c["button.delete"] + (enabled ? "" : " " + c["button.disabled"])
    dialogButtons(
        state, d.state,
        [
            button(c["button.cancel"], focused: d.focus == .cancel, state),
            button(deleteLabel, focused: d.focus == .delete, enabled: enabled, danger: true, state),
        ], y: inner.maxY - 1, in: inner, &b)
    defer {
        // Last, so a long outcome wraps over the form rather than under it.
        statusLine(state, d.state, y: inner.maxY - 2, in: inner, &b)
    }
    let prompt = n == 1 ? c["delete.type_id"] : c.text("delete.type_count", ["count": String(n)])
    let promptY = layout.promptY
    if layout.narrowPrompt {
        b.put(prompt, x: inner.x + 1, y: promptY, style: d.focus == .confirm ? t[.accent] : t[.muted], maxWidth: inner.width - 2)
        field("", d.confirm, focused: d.focus == .confirm, x: inner.x + 1, y: promptY + 1, width: inner.width - 2, state, &b)
    } else {
        field(prompt, d.confirm, focused: d.focus == .confirm, x: inner.x + 1, y: promptY, width: inner.width - 2, state, &b)
    }
    let resultY = layout.resultY
    var result = d.onlyResult?.rawValue ?? c["delete.any_result"]
    if let only = d.onlyResult {
        // How many of the records in the dialog the filter keeps, before anything is sent.
        _ = only
        result += " ▸ " + c.text("delete.matching", ["count": c.number(d.matching), "total": c.number(n)])
    } else {
        result += " ▸"
    }
    if resultY > inner.y {
        b.put(c["delete.only_result"], x: inner.x + 1, y: resultY, style: d.focus == .result ? t[.accent] : t[.muted], maxWidth: inner.width - 2)
        b.put(
            "◂ " + result, x: inner.x + 2 + DisplayWidth.of(c["delete.only_result"]), y: resultY,
            style: d.focus == .result ? t[.selection] : t[.text], maxWidth: max(0, inner.maxX - inner.x - 3 - DisplayWidth.of(c["delete.only_result"])))
    }
    // Above: campaign, the IDs, and the warning, in the rows that remain.
    var y = inner.y
    let limit = resultY - 1
    func line(_ text: String, _ style: Style) {
        if y < limit { b.put(text, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 2) }
        y += 1
    }
    line("\(c["col.campaign"]) \(d.campaignID) \(clean(d.campaignName, 40)) (\(d.campaignType.rawValue))", t[.text])
    for i in 0..<layout.listRows {
        let rec = d.records[min(n - 1, d.listScroll + i)]
        line("\(c["col.id"]) \(clean(rec.customerID, 30))  \(clean(rec.fullName, 40))", t[.text])
    }
    if n > layout.listRows { line("… " + c.text("delete.more", ["count": String(n - layout.listRows)]), t[.muted]) }
    if d.hiddenMarked > 0 { line("⚠ " + c.plural("delete.hidden_marked", d.hiddenMarked), t[.warning]) }
    switch d.precheck {
    case .checking: line(c["delete.prechecking"], t[.accent])
    case .answered(let warning?): line("? " + clean(warning, 200) + " " + c["delete.enter_anyway"], t[.warning])
    case .answered(nil): line(c["delete.still_there"], t[.text])
    case .none:
        if !d.pending.isEmpty {
            line("? " + c.text("delete.pending", ["ids": d.pending.prefix(2).map { clean($0, 16) }.joined(separator: ", ") + (d.pending.count > 2 ? " …" : "")]), t[.warning])
        }
    }
    if layout.warningFits {
        for (i, w) in layout.warningLines.enumerated() { b.put(w, x: inner.x + 1, y: layout.warningY + i, style: t[.danger], maxWidth: inner.width - 2) }
    } else {
        // Too small to read the warning: say so where it would be, and Delete stays disabled.
        let top = max(inner.y, min(layout.warningY - 1, resultY - 1))
        wrap(c["delete.enlarge"], Rect(x: inner.x, y: top, width: inner.width, height: max(1, resultY - top)), &b, t[.danger])
    }
}

func renderDNC(_ state: AppState, _ d: DNCDialog, _ b: inout Buffer) {
    let t = state.theme
    let r = dialogRect(b, width: 72, height: 15)
    let c = Catalog.shared(d.language)
    let inner = box(state, r, c["dnc.title"], &b)
    guard inner.height >= 6 else { return }
    let w = inner.width - 2
    var y = inner.y
    b.put(c["dnc.numbers_label"], x: inner.x + 1, y: y, style: t[.muted], maxWidth: w)
    y += 1
    field("", d.numbers, focused: d.focus == .numbers, x: inner.x + 1, y: y, width: w, state, &b)
    y += 1
    field(c["dnc.days_label"], d.days, focused: d.focus == .days, x: inner.x + 1, y: y, width: 30, state, &b)
    y += 2
    let p = d.parsed
    let bottom = inner.maxY - 2
    var lines: [(String, Style)] = []
    lines.append((c.text("dnc.summary", ["valid": c.number(p.valid.count), "invalid": c.number(p.invalid.count)]), p.invalid.isEmpty ? t[.text] : t[.warning]))
    if !p.invalid.isEmpty {
        lines.append((c.text("dnc.invalid_list", ["numbers": p.invalid.map { clean($0, 24) }.joined(separator: ", ")]), t[.warning]))
    }
    if !p.valid.isEmpty {
        // The normalised numbers exactly as they will be sent.
        lines.append((c.text("dnc.will_block", ["numbers": p.valid.joined(separator: ", ")]), t[.text]))
    } else if !d.recordPhones.isEmpty {
        lines.append((c.text("dnc.record_phones", ["numbers": d.recordPhones.map { clean($0, 20) }.joined(separator: ", ")]), t[.muted]))
    }
    if d.countryCode == nil, p.valid.contains(where: { $0.hasPrefix("+") }) {
        // Stored numbers are national: a +CC number would block nothing that dials.
        lines.append((c["dnc.plus_warning"], t[.warning]))
    }
    for number in p.valid {
        guard let n = d.sharedCounts[number], n > 1 else { continue }
        lines.append((c.text("dnc.shared", ["number": number, "count": c.number(n)]), t[.warning]))
    }
    if let e = d.error { lines.append((e, t[.warning])) }
    for (text, style) in lines {
        for part in wordWrap(text, width: w) where y < bottom {
            b.put(part, x: inner.x + 1, y: y, style: style, maxWidth: w)
            y += 1
        }
    }
    statusLine(state, d.state, y: inner.maxY - 2, in: inner, &b)
    dialogButtons(
        state, d.state,
        [
            button(c["button.cancel"], focused: d.focus == .cancel, state),
            button(c.text("dnc.button", ["count": c.number(p.valid.count)]), focused: d.focus == .send, enabled: p.invalid.isEmpty && !p.valid.isEmpty, state),
        ],
        y: inner.maxY - 1, in: inner, &b)
}

func renderAddRecord(_ state: AppState, _ d: AddRecordDialog, _ b: inout Buffer) {
    let t = state.theme
    let r = dialogRect(b, width: 72, height: b.height - 2)
    let c = Catalog.shared(d.language)
    let inner = box(
        state, r, c.text("add.title", ["campaign": "\(clean(d.campaign.id, 20)) \(clean(d.campaign.name, 30))", "status": clean(d.campaign.status, 20)]), &b)
    guard inner.height >= 5 else { return }
    let rows = inner.height - 3
    let top = max(0, min(d.focus - rows / 2, AddRecordDialog.fields.count - rows))
    for i in 0..<rows {
        let idx = top + i
        guard idx < AddRecordDialog.fields.count else { break }
        let name = AddRecordDialog.fields[idx]
        var label = AddRecordDialog.label(name, c)
        if name == "tel1" { label += " *" }
        if name == "recall_date" { label += " (" + DateText.inputHint(d.language) + ")" }
        field(
            DisplayWidth.pad(DisplayWidth.truncate(label, to: 30), to: 30), d.values[idx], focused: d.focus == idx, x: inner.x + 1, y: inner.y + i,
            width: inner.width - 2, state, &b)
    }
    // The look-up before the add: what it found is said before anything is replaced.
    let id = clean(d.values[AddRecordDialog.fields.firstIndex(of: "customer_id")!].value, 40)
    var note: (String, Style)?
    switch d.existing {
    case .checking: note = (c.text("add.checking", ["id": id]), t[.accent])
    case .found(let records):
        let who = records.first.map { clean($0.fullName, 40) } ?? ""
        note = (c.text("add.exists", ["id": id, "campaign": clean(d.campaign.id, 20), "name": who]), t[.danger])
    case .failed(let reason): note = (c.text("add.check_failed", ["id": id, "reason": clean(reason, 120)]), t[.warning])
    case .unchecked, .none: note = d.error.map { ($0, t[.warning]) }
    }
    if let note {
        // Up to three rows above the status line, whole words.
        let lines = wordWrap(note.0, width: inner.width - 2).prefix(3)
        for (i, line) in lines.enumerated() {
            let y = inner.maxY - 2 - lines.count + i
            b.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: t[.text])
            b.put(line, x: inner.x + 1, y: y, style: note.1, maxWidth: inner.width - 2)
        }
    }
    statusLine(state, d.state, y: inner.maxY - 2, in: inner, &b)
    var addLabel = c["add.button"]
    if case .found = d.existing { addLabel = c["add.button_replace"] }
    dialogButtons(
        state, d.state,
        [
            button(c["button.cancel"], focused: d.focus == d.cancelIndex, state),
            button(
                addLabel, focused: d.focus == d.sendIndex,
                danger: {
                    if case .found = d.existing { return true }
                    return false
                }(), state),
        ],
        y: inner.maxY - 1, in: inner, &b)
}
