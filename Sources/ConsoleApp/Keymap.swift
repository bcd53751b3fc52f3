import TUIKit

/// Every key binding in one table: `update` dispatches from it, and help and
/// the bottom line are generated from it, so they can never disagree.
public struct Keymap: Sendable {
    public enum Scope: String, Sendable, CaseIterable { case global, lists, results, search, record }

    public struct Binding: Sendable, Equatable {
        public var scope: Scope
        public var keys: [Key]
        public var command: String
        public var help: String
        /// Hidden (and refused) in read-only mode.
        public var mutating: Bool
    }

    public var bindings: [Binding]

    public static let `default` = Keymap(bindings: [
        .init(scope: .global, keys: [.char("?")], command: "help", help: "help (searchable)", mutating: false),
        .init(scope: .global, keys: [.char(":")], command: "command", help: "command line", mutating: false),
        .init(scope: .global, keys: [.tab], command: "next-pane", help: "next pane", mutating: false),
        .init(scope: .global, keys: [.backTab], command: "prev-pane", help: "previous pane", mutating: false),
        .init(scope: .global, keys: [.char("q"), .ctrl("c")], command: "quit", help: "quit", mutating: false),
        .init(scope: .global, keys: [.ctrl("l")], command: "redraw", help: "redraw", mutating: false),
        .init(scope: .global, keys: [.char("i")], command: "error-detail", help: "show/hide error details", mutating: false),
        .init(scope: .lists, keys: [.down, .char("j")], command: "down", help: "move down", mutating: false),
        .init(scope: .lists, keys: [.up, .char("k")], command: "up", help: "move up", mutating: false),
        .init(scope: .lists, keys: [.pageDown, .ctrl("d")], command: "page-down", help: "page down", mutating: false),
        .init(scope: .lists, keys: [.pageUp, .ctrl("u")], command: "page-up", help: "page up", mutating: false),
        .init(scope: .lists, keys: [.home, .char("g")], command: "top", help: "first row", mutating: false),
        .init(scope: .lists, keys: [.end, .char("G")], command: "bottom", help: "last row", mutating: false),
        .init(scope: .lists, keys: [.char("/")], command: "filter", help: "filter as you type (Esc clears)", mutating: false),
        .init(scope: .lists, keys: [.enter], command: "open", help: "open", mutating: false),
        .init(scope: .results, keys: [.char(" ")], command: "mark", help: "mark for a bulk action", mutating: false),
        .init(scope: .results, keys: [.ctrl("a")], command: "mark-all", help: "mark all shown", mutating: false),
        .init(scope: .results, keys: [.char("o")], command: "sort", help: "cycle sort column", mutating: false),
        .init(scope: .results, keys: [.char("O")], command: "reverse", help: "reverse sort", mutating: false),
        .init(scope: .search, keys: [.char("s"), .char("f")], command: "focus-search", help: "focus search", mutating: false),
        .init(scope: .search, keys: [.ctrl("t")], command: "toggle-kind", help: "phone ↔ ID", mutating: false),
        .init(scope: .search, keys: [.escape], command: "cancel", help: "cancel a running search", mutating: false),
        .init(scope: .record, keys: [.char("r")], command: "recall", help: "recall (reschedule)", mutating: true),
        .init(scope: .record, keys: [.char("d")], command: "delete", help: "delete (irreversible)", mutating: true),
        .init(scope: .record, keys: [.char("b")], command: "block", help: "block numbers (DNC)", mutating: true),
        .init(scope: .record, keys: [.char("a")], command: "add", help: "add record", mutating: true),
        .init(scope: .record, keys: [.char("y")], command: "copy", help: "copy field (OSC 52)", mutating: false),
    ])

    /// The command bound to `key` in any of `scopes`, honouring read-only.
    public func command(for key: Key, in scopes: [Scope], readOnly: Bool) -> String? {
        for scope in scopes {
            if let b = bindings.first(where: { $0.scope == scope && $0.keys.contains(key) && !(readOnly && $0.mutating) }) { return b.command }
        }
        return nil
    }

    /// Bindings shown in help and the bottom line (mutating ones vanish in read-only mode).
    public func visible(readOnly: Bool) -> [Binding] { bindings.filter { !(readOnly && $0.mutating) } }

    /// Applies `[keys]` from config: command → key spec ("D", "ctrl-x", "F5", "enter").
    public func remapped(_ overrides: [String: String]) -> (Keymap, [String]) {
        var map = self
        var problems: [String] = []
        for (command, spec) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let i = map.bindings.firstIndex(where: { $0.command == command }) else { problems.append("unknown command \"\(command)\" in [keys]"); continue }
            guard let key = Self.parse(spec) else { problems.append("cannot read key \"\(spec)\" for \(command)"); continue }
            map.bindings[i].keys = [key]
        }
        return (map, problems)
    }

    public static func parse(_ spec: String) -> Key? {
        let s = spec.trimmingCharacters(in: .whitespaces)
        let lower = s.lowercased()
        if lower.hasPrefix("ctrl-"), lower.count == 6, let c = lower.last { return .ctrl(c) }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
        switch lower {
        case "enter": return .enter
        case "esc", "escape": return .escape
        case "tab": return .tab
        case "space": return .char(" ")
        case "up": return .up
        case "down": return .down
        default: break
        }
        return s.count == 1 ? .char(s.first!) : nil
    }

    public static func label(_ key: Key) -> String {
        switch key {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-" + String(c).uppercased()
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .function(let n): "F\(n)"
        case .resize: "resize"
        case .mouse: "mouse"
        }
    }
}

/// The help overlay: generated from the keymap, searchable with typing.
public struct HelpOverlay: Sendable, Equatable {
    public var filter = TextField()
    public var scroll = 0
}
