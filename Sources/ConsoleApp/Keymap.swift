import TUIKit

/// Everything a key can ask the console to do. `perform` dispatches on it
/// exhaustively, so a command without a handler does not compile; the raw
/// value is the name `[keys]` in config uses, and `help.<name>` is its
/// description in the catalogue.
public enum Command: String, Sendable, CaseIterable {
    case help, commandLine = "command", nextPane = "next-pane", prevPane = "prev-pane", quit, redraw
    case errorDetail = "error-detail"
    case down, up, pageDown = "page-down", pageUp = "page-up", top, bottom, filter, open
    case mark, markAll = "mark-all", sort, reverse, stats
    case focusSearch = "focus-search", toggleKind = "toggle-kind", cancel
    case recall, delete, block, add, copy

    /// Hidden (and refused) in read-only mode.
    public var mutating: Bool {
        switch self {
        case .recall, .delete, .block, .add: true
        default: false
        }
    }
}

/// Every key binding in one table: `update` dispatches from it, and help and
/// the bottom line are generated from it, so they can never disagree.
public struct Keymap: Sendable {
    /// Where a binding holds. `anywhere` also holds inside dialogs and overlays.
    public enum Scope: String, Sendable, CaseIterable { case anywhere, global, lists, results, search, record }

    public struct Binding: Sendable, Equatable {
        public var scope: Scope
        public var keys: [Key]
        public var command: Command
        public var mutating: Bool { command.mutating }
    }

    public var bindings: [Binding]

    public static let `default` = Keymap(bindings: [
        // The server's own words behind an error, from inside a dialog too.
        .init(scope: .anywhere, keys: [.ctrl("o")], command: .errorDetail),
        .init(scope: .global, keys: [.char("?")], command: .help),
        .init(scope: .global, keys: [.char(":")], command: .commandLine),
        .init(scope: .global, keys: [.tab], command: .nextPane),
        .init(scope: .global, keys: [.backTab], command: .prevPane),
        .init(scope: .global, keys: [.char("q"), .ctrl("c")], command: .quit),
        .init(scope: .global, keys: [.ctrl("l")], command: .redraw),
        .init(scope: .global, keys: [.char("i")], command: .errorDetail),
        .init(scope: .lists, keys: [.down, .char("j")], command: .down),
        .init(scope: .lists, keys: [.up, .char("k")], command: .up),
        .init(scope: .lists, keys: [.pageDown, .ctrl("d")], command: .pageDown),
        .init(scope: .lists, keys: [.pageUp, .ctrl("u")], command: .pageUp),
        .init(scope: .lists, keys: [.home, .char("g")], command: .top),
        .init(scope: .lists, keys: [.end, .char("G")], command: .bottom),
        .init(scope: .lists, keys: [.char("/")], command: .filter),
        .init(scope: .lists, keys: [.enter], command: .open),
        .init(scope: .results, keys: [.char(" ")], command: .mark),
        .init(scope: .results, keys: [.ctrl("a")], command: .markAll),
        .init(scope: .results, keys: [.char("o")], command: .sort),
        .init(scope: .results, keys: [.char("O")], command: .reverse),
        .init(scope: .search, keys: [.char("s"), .char("f")], command: .focusSearch),
        .init(scope: .search, keys: [.ctrl("t")], command: .toggleKind),
        // Esc steps back: closes an error, leaves the detail view, clears a
        // filter, cancels a search (every pane's scopes include `search`).
        .init(scope: .search, keys: [.escape], command: .cancel),
        .init(scope: .record, keys: [.char("r")], command: .recall),
        .init(scope: .record, keys: [.char("d")], command: .delete),
        .init(scope: .record, keys: [.char("b")], command: .block),
        .init(scope: .record, keys: [.char("a")], command: .add),
        .init(scope: .record, keys: [.char("y")], command: .copy),
        // From any pane but a text field; last, so the bottom line names the record's actions first.
        .init(scope: .global, keys: [.char("B")], command: .stats),
    ])

    /// The command bound to `key` in any of `scopes`, honouring read-only.
    public func command(for key: Key, in scopes: [Scope], readOnly: Bool = false) -> Command? {
        for scope in scopes {
            if let b = bindings.first(where: { $0.scope == scope && $0.keys.contains(key) && !(readOnly && $0.mutating) }) { return b.command }
        }
        return nil
    }

    /// Bindings shown in help and the bottom line (mutating ones vanish in read-only mode).
    public func visible(readOnly: Bool) -> [Binding] { bindings.filter { !(readOnly && $0.mutating) } }

    /// Applies `[keys]` from config: command → key spec ("D", "ctrl-x", "F5",
    /// "enter"). The new key replaces the command's keys in its main scope.
    /// An unknown command, an unreadable key, or a key another command already
    /// has is a problem naming both; the map is then not to be used.
    public func remapped(_ overrides: [String: String]) -> (Keymap, [String]) {
        var map = self
        var problems: [String] = []
        for (name, spec) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let command = Command(rawValue: name), let i = map.bindings.lastIndex(where: { $0.command == command }) else {
                problems.append("unknown command \"\(name)\" in [keys] (known: \(Command.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            guard let key = Self.parse(spec) else {
                problems.append("cannot read key \"\(spec)\" for \(name) in [keys]")
                continue
            }
            map.bindings[i].keys = [key]
        }
        // Checked after every override: swapping two keys is fine, sharing one is not.
        for (i, a) in map.bindings.enumerated() {
            for b in map.bindings[(i + 1)...] where a.command != b.command {
                for key in a.keys where b.keys.contains(key) {
                    let remapped = [a, b].filter { overrides[$0.command.rawValue] != nil }.map(\.command.rawValue)
                    guard !remapped.isEmpty else { continue }
                    problems.append("[keys] gives \(Self.label(key)) to both \(a.command.rawValue) and \(b.command.rawValue)")
                }
            }
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
        }
    }
}

/// The help overlay: generated from the keymap, searchable with typing.
public struct HelpOverlay: Sendable, Equatable {
    public var filter = TextField()
    public var scroll = 0
}
