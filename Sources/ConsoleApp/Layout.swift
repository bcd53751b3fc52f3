import TUIKit

/// Where each pane goes for a given terminal size (UX.md):
/// ≥ 100 columns: campaigns left, search and results right, detail below
/// (from 28 rows); 60–99: a one-line campaign picker on top; smaller: one
/// pane at a time; below 40×10: a notice to enlarge the terminal.
struct Layout {
    enum Mode { case tooSmall, single, medium, wide }
    /// Every size threshold of the console, here and nowhere else.
    static let minimum = Size(width: 40, height: 10)
    static let wide = Size(width: 100, height: 20)
    static let medium = Size(width: 60, height: 16)
    /// From this many rows a wide screen shows the detail pane below.
    static let detailRows = 28

    var mode: Mode
    var header: Rect
    var footer: Rect
    var campaigns: Rect?
    var picker: Rect?
    var search: Rect
    var results: Rect
    var detail: Rect?

    init(size: Size, focus: Pane) {
        let w = size.width, h = size.height
        header = Rect(x: 0, y: 0, width: w, height: 1)
        footer = Rect(x: 0, y: h - 1, width: w, height: 1)
        campaigns = nil
        picker = nil
        detail = nil
        if w < Self.minimum.width || h < Self.minimum.height {
            mode = .tooSmall
            search = Rect(x: 0, y: 0, width: 0, height: 0)
            results = search
            return
        }
        let body = Rect(x: 0, y: 1, width: w, height: h - 2)
        if w >= Self.wide.width && h >= Self.wide.height {
            mode = .wide
            let left = min(34, max(24, w / 4))
            campaigns = Rect(x: 0, y: body.y, width: left, height: body.height)
            let detailHeight = h >= Self.detailRows ? min(9, body.height / 3) : 0
            search = Rect(x: left, y: body.y, width: w - left, height: 4)
            results = Rect(x: left, y: body.y + 4, width: w - left, height: body.height - 4 - detailHeight)
            if detailHeight > 0 { detail = Rect(x: 0, y: body.maxY - detailHeight, width: w, height: detailHeight) }
            campaigns!.height = body.height - detailHeight
        } else if w >= Self.medium.width && h >= Self.medium.height {
            mode = .medium
            picker = Rect(x: 0, y: body.y, width: w, height: 1)
            search = Rect(x: 0, y: body.y + 1, width: w, height: 4)
            results = Rect(x: 0, y: body.y + 5, width: w, height: body.height - 5)
        } else {
            mode = .single
            search = Rect(x: 0, y: body.y, width: w, height: 4)
            results = Rect(x: 0, y: body.y + 4, width: w, height: body.height - 4)
        }
    }

    /// Whether the detail pane is on screen beside the results (else Enter opens it full-screen).
    static func showsDetailPane(_ size: Size) -> Bool { Layout(size: size, focus: .results).detail != nil }

    /// Result rows on screen: the results pane less its frame and header.
    /// A page key moves this many.
    static func resultRows(_ size: Size) -> Int { max(1, Layout(size: size, focus: .results).results.height - 3) }
}
