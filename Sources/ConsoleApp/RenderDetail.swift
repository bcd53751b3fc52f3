import Foundation
import TUIKit
import WolkvoxAPI
import Messages

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
    let fields = DetailFields.of(rec, state.catalog, labels: state.labels)
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
