import Foundation
import TUIKit
import WolkvoxAPI
import Messages

/// The search bar. Printable keys edit; Enter searches; Up/Down recall history.
func handleSearchField(_ state: inout AppState, _ key: Key) -> [Effect]? {
    switch key {
    case .enter:
        return startSearch(&state)
    case .up, .down:
        guard !state.history.isEmpty else { return [] }
        var i = state.historyIndex ?? -1
        i = key == .up ? min(state.history.count - 1, i + 1) : i - 1
        if i < 0 {
            state.historyIndex = nil
            state.query.set("")
        } else {
            state.historyIndex = i
            state.query.set(state.history[i])
        }
        return []
    case .char where state.query.value.isEmpty && [.quit, .help].contains(state.keymap.command(for: key, in: [.global])):
        // On an empty search bar, q quits and ? opens help, as everywhere else.
        return nil
    case .char:
        state.query.handle(key)
        return []
    case .backspace, .delete, .left, .right, .home, .end, .ctrl("u"), .ctrl("k"), .ctrl("w"), .ctrl("a"), .ctrl("e"):
        state.query.handle(key)
        // An emptied search bar forgets a manual phone/ID choice: the next
        // query is guessed again instead of silently searched as the old kind.
        if state.query.value.isEmpty { state.kindOverride = nil }
        return []
    default:
        return nil
    }
}

func startSearch(_ state: inout AppState) -> [Effect] {
    let text = state.query.value.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty else {
        toast(&state, state.catalog["toast.type_query"], .warning)
        return []
    }
    guard quotaAllows(&state) else { return [] }
    let kind = state.searchKind
    let query = FindQuery(phone: kind == .phone ? text : nil, customerID: kind == .id ? text : nil, campaignID: state.selectedCampaign?.id)
    do {
        _ = try query.validated()
    } catch let v as ValidationError {
        state.error = ErrorBanner(.invalid(v))
        return []
    } catch { return [] }
    var effects: [Effect] = []
    if let previous = state.search {
        effects.append(.cancelSearch(generation: previous.generation))
        state.inFlight = max(0, state.inFlight - 1)
    }
    state.generation += 1
    state.search = RunningSearch(generation: state.generation, query: query, started: state.now)
    state.inFlight += 1
    state.error = nil
    state.summary = nil
    state.historyIndex = nil
    if let i = state.history.firstIndex(of: text) { state.history.remove(at: i) }
    state.history.insert(text, at: 0)
    effects.append(.search(generation: state.generation, query))
    effects.append(.rememberSearch(campaignID: state.selectedCampaign?.id ?? "", kind: kind.rawValue, text: text))
    return effects
}

/// `/` in results: filter as you type over the precomputed search text.
func handleResultsFilter(_ state: inout AppState, _ key: Key) -> [Effect]? {
    switch key {
    case .escape:
        state.resultsFilter = nil
        state.results.setFilter("")
    case .enter, .down, .up, .tab:
        state.resultsFilter = nil  // keep the filter, leave editing
        return key == .enter ? [] : nil
    default:
        guard var field = state.resultsFilter, field.handle(key) else { return nil }
        state.resultsFilter = field
        state.results.setFilter(field.value)
    }
    return []
}

func handleCampaignFilter(_ state: inout AppState, _ key: Key) -> [Effect]? {
    switch key {
    case .escape:
        state.campaignFilter = nil
        state.campaignCursor = 0
    case .enter:
        let list = state.visibleCampaigns
        return selectCampaign(&state, list[min(state.campaignCursor, list.count - 1)])
    case .down, .up: return nil
    default:
        guard var field = state.campaignFilter, field.handle(key) else { return nil }
        state.campaignFilter = field
        state.campaignCursor = state.visibleCampaigns.count > 1 ? 1 : 0
    }
    return []
}

/// The `:` commands: one table drives the command line and the help overlay.
struct LineCommand: Sendable {
    enum Name: Sendable { case find, campaign, theme, lang, reload, history, quota, export, stats, quit }
    let name: Name
    /// What the operator may type; the first is the one help shows.
    let words: [String]
    /// How help shows it, argument included.
    let usage: String
    /// Its description in the catalogue.
    let help: String

    static let all: [LineCommand] = [
        .init(name: .find, words: ["find", "f"], usage: ":find X", help: "help.cmd_find"),
        .init(name: .campaign, words: ["campaign", "c"], usage: ":campaign ID", help: "help.cmd_campaign"),
        .init(name: .theme, words: ["theme"], usage: ":theme NAME", help: "help.cmd_theme"),
        .init(name: .lang, words: ["lang", "language"], usage: ":lang es|pt|en", help: "help.cmd_lang"),
        .init(name: .reload, words: ["reload", "campaigns"], usage: ":reload", help: "help.cmd_reload"),
        .init(name: .history, words: ["history", "h"], usage: ":history", help: "help.cmd_history"),
        .init(name: .quota, words: ["quota"], usage: ":quota", help: "help.cmd_quota"),
        .init(name: .export, words: ["export", "export!"], usage: ":export [PATH]", help: "help.cmd_export"),
        .init(name: .stats, words: ["stats"], usage: ":stats", help: "help.stats"),
        .init(name: .quit, words: ["q", "quit", "q!"], usage: ":q", help: "help.cmd_quit"),
    ]

    static func named(_ word: String) -> LineCommand? { all.first { $0.words.contains(word) } }
}

func handleCommandLine(_ state: inout AppState, _ key: Key) -> [Effect] {
    switch key {
    case .escape:
        state.commandLine = nil
        return []
    case .enter:
        let line = state.commandLine?.value.trimmingCharacters(in: .whitespaces) ?? ""
        state.commandLine = nil
        return runCommand(&state, line)
    default:
        state.commandLine?.handle(key)
        return []
    }
}

func runCommand(_ state: inout AppState, _ line: String) -> [Effect] {
    let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
    let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    guard let word = parts.first else { return [] }
    guard let command = LineCommand.named(word) else {
        // The hint lists the table, so a new command cannot be left out of it.
        let commands = LineCommand.all.map { ":" + $0.words[0] }.joined(separator: ", ")
        toast(&state, state.catalog.text("toast.unknown_command", ["command": TerminalText.sanitize(word, limit: 30), "commands": commands]), .error)
        return []
    }
    switch command.name {
    case .quit: return perform(&state, .quit)
    case .find:
        state.query.set(arg)
        state.kindOverride = nil
        state.focus = .search
        return startSearch(&state)
    case .campaign:
        if arg.isEmpty || arg.lowercased() == "all" { return selectCampaign(&state, nil) }
        guard let c = state.campaigns.first(where: { $0.id == arg }) ?? state.campaigns.first(where: { $0.name.lowercased().contains(arg.lowercased()) }) else {
            toast(&state, state.catalog.text("toast.no_campaign", ["name": TerminalText.sanitize(arg, limit: 40)]), .error)
            return []
        }
        return selectCampaign(&state, c)
    case .history: return [.loadHistoryLog]
    case .stats: return perform(&state, .stats)
    case .export: return exportShown(&state, to: arg, overwrite: word.hasSuffix("!"))
    case .quota: return [.checkQuota]
    case .reload:
        // One call, on request: a list that failed at start (maintenance,
        // network blip) can be fetched again without restarting.
        state.campaignsLoading = true
        state.campaignsNote = nil
        return [.loadCampaigns]
    case .theme:
        guard !arg.isEmpty else {
            toast(&state, state.catalog["toast.theme_usage"], .warning)
            return []
        }
        return [.loadTheme(arg)]
    case .lang:
        guard let language = Language(rawValue: arg.lowercased()) else {
            toast(&state, state.catalog["toast.lang_usage"], .warning)
            return []
        }
        return setLanguage(&state, language)
    }
}

/// `:export [PATH]`: the records as shown (filter and sort kept) to a CSV
/// file; the default name says what and when. `:export!` replaces a file.
func exportShown(_ state: inout AppState, to path: String, overwrite: Bool) -> [Effect] {
    guard state.results.count > 0 else {
        toast(&state, state.catalog["toast.export_empty"], .warning)
        return []
    }
    let records = (0..<state.results.count).map(state.results.row)
    var name = path
    if name.isEmpty {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = state.timeZone
        f.dateFormat = "yyyyMMdd-HHmmss"
        let scope = state.selectedCampaign.map { "campaign-\($0.id)" } ?? "all"
        name = "wvconsole-\(scope)-\(f.string(from: state.now)).csv"
    }
    return [.export(path: name, records, bom: state.exportBOM, raw: state.exportRaw, overwrite: overwrite)]
}

/// Every field of a record, in display order, for the detail view and copying.
enum DetailFields {
    /// Labels are translated; the value of `date` is shown in the language's
    /// order (24/11/2026 14:05) while copying still gives the raw value.
    /// `labels` names a campaign's opt fields (`[labels."101"]` in config).
    static func of(_ r: CustomerRecord, _ c: Catalog = .shared(.en), labels: [String: [String: String]] = [:]) -> [(label: String, value: String)] {
        var out: [(String, String)] = [
            (c["col.name"], r.customerName), (c["field.last_name"], r.customerLastName), (c["col.id"], r.customerID),
            ("tel1", r.tel1), ("tel2", r.tel2), ("tel3", r.tel3), (c["col.result"], r.result), (c["col.calls"], r.calls),
            (c["col.date"], r.date), ("conn_id", r.connID), (c["col.campaign"], r.campaignID),
        ]
        let named = labels[r.campaignID] ?? [:]
        for (i, v) in r.opts.enumerated() { out.append((named["opt\(i + 1)"] ?? "opt\(i + 1)", v)) }
        return out
    }
}

/// At 100 % of the day's quota, ask once (a second Enter) before spending more.
func quotaAllows(_ state: inout AppState) -> Bool {
    guard state.quotaLevel == .exhausted, !state.overQuotaConfirmed else { return true }
    state.overQuotaConfirmed = true
    let figures = ["used": String(state.callsToday), "quota": String(state.quota)]
    toast(&state, state.catalog.text("quota.confirm", figures), .warning)
    state.error = ErrorBanner(.text(key: "quota.confirm", args: figures))
    return false
}
