import Foundation
import TUIKit
import WolkvoxAPI
import Messages

/// The one place state changes. Pure: no I/O; work is returned as effects.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    let effects = reduce(&state, action)
    // The rows under an open breakdown changed: count them again.
    if state.breakdown != nil {
        switch action {
        case .searchFinished, .actionFinished:
            let data = breakdownOf(state)
            state.breakdown?.data = data
        default: break
        }
    }
    // The results keep their scroll offset: the cursor moves inside the
    // window, and the window moves only when the cursor leaves it.
    state.results.keepVisible(height: Layout.resultRows(state.size))
    return effects
}

private func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .key(let key): return handleKey(&state, key)
    case .resize(let size):
        state.size = size
        return [.redraw]
    case .tick(let now):
        state.now = now
        state.toasts.removeAll { $0.expires <= now }
        return []
    case .campaignsLoaded(.success(let list)):
        state.campaignsLoading = false
        state.campaigns = list
        state.campaignsNote = list.isEmpty ? state.catalog["campaigns.none"] : nil
        return []
    case .campaignsLoaded(.failure(let error)):
        state.campaignsLoading = false
        state.campaigns = state.configCampaigns
        state.campaignsNote = state.catalog[state.configCampaigns.isEmpty ? "campaigns.unavailable_all" : "campaigns.unavailable_config"]
        showError(&state, error)
        return []
    case .searchFinished(let generation, let result, let seconds):
        // An answer to anything but the newest search is stale: drop it.
        guard let running = state.search, running.generation == generation else { return [] }
        state.search = nil
        state.inFlight = max(0, state.inFlight - 1)
        switch result {
        case .success(let answer):
            state.results = ResultsModel(records: answer.records)
            state.resultsPhone = answer.query.phone
            state.resultsFilter = nil
            state.summary = .found(count: answer.records.count, campaignID: running.query.campaignID, seconds: seconds, unreadable: answer.unreadable)
            // At the cap the whole sentence comes as a notice that wraps (the status line is cut at the pane's edge).
            if answer.atCap {
                toast(&state, state.catalog.text("search.at_cap_toast", ["max": state.catalog.number(WolkvoxClient.maxRecordsPerDownload)]), .warning)
            }
            state.error = nil
            if !answer.records.isEmpty && state.focus == .search { state.focus = .results }
            state.lastOutcome = "find: \(answer.records.count) rows"
        case .failure(.cancelled):
            state.summary = .cancelled(stale: !state.results.isEmpty)
        case .failure(let error):
            showError(&state, error)
            // Not "Searching in …", and not the old list passed off as the answer.
            state.summary = .failed(stale: !state.results.isEmpty, reason: error)
            state.lastOutcome = "find: \(error.kind)"
        }
        return []
    case .actionFinished(let id, let result): return finishAction(&state, id: id, result: result)
    case .existingChecked(let id, let result): return existingChecked(&state, id: id, result)
    case .outcomeChecked(let id, let result): return outcomeChecked(&state, id: id, result)
    case .historyLoaded(let campaignID, let items):
        if campaignID == (state.selectedCampaign?.id ?? "") {
            state.history = items
            state.historyIndex = nil
        }
        return []
    case .meter(let reading):
        applyMeter(&state, reading)
        return []
    case .quotaChecked(let outcome, let onDemand):
        quotaChecked(&state, outcome, onDemand: onDemand)
        return []
    case .waitingForSlot(let waiting):
        state.waitingForSlot = waiting
        return []
    case .waitingForCancelled(let waiting):
        state.waitingForCancelled = waiting
        return []
    case .storeProblem(let problem):
        let was = state.storeProblem
        state.storeProblem = problem
        if let problem {
            toast(&state, state.catalog.text("toast.store_down", ["problem": clean(problem, 200)]), .warning)
        } else if was != nil {
            toast(&state, state.catalog["toast.store_back"], .info)
        }
        return []
    case .gateFallback(let problem):
        if let problem { toast(&state, state.catalog.text("toast.gate_fallback", ["problem": clean(problem, 200)]), .warning) }
        return []
    case .themeLoaded(.success(let theme)):
        state.theme = theme
        toast(&state, state.catalog.text("toast.theme", ["name": theme.name]), .info)
        return [.redraw]
    case .historyLog(.success(let lines)):
        state.historyLog = lines
        state.historyProblem = nil
        state.historyCursor = min(state.historyCursor, max(0, lines.count - 1))
        return []
    case .entryReconciled(let id, let result):
        state.reconciling.remove(id)
        state.inFlight = max(0, state.inFlight - 1)
        switch result {
        case .success(let r):
            toast(&state, "#\(id) " + checkText(r, state.catalog), r.resolved ? .success : .warning)
            // The records it was about are no longer pending (and a delete that applied leaves the list).
            if r.resolved, let campaign = r.campaignId {
                settled(&state, r, keys: r.customerIds.map { RecordKey(campaignID: campaign, customerID: $0) })
            }
        case .failure(let e): toast(&state, "#\(id) " + state.catalog.text("check.failed", ["reason": state.catalog.explain(e)]), .error)
        }
        // The list shows the resolution (or still the open entry) at once.
        return state.historyLog == nil ? [] : [.loadHistoryLog]
    case .historyLog(.failure(let failure)):
        state.historyLog = []
        state.historyProblem = clean(failure.message, 200)
        return []
    case .exported(.success(let done)):
        toast(&state, state.catalog.plural("toast.exported", done.count, ["path": clean(done.path, 160)]), .success)
        return []
    case .exported(.failure(.exists(let path))):
        toast(&state, state.catalog.text("toast.export_exists", ["path": clean(path, 160)]), .error)
        return []
    case .exported(.failure(.failed(let path, let reason))):
        toast(&state, state.catalog.text("toast.export_failed", ["path": clean(path, 160), "reason": clean(reason, 120)]), .error)
        return []
    case .themeLoaded(.failure(let f)):
        toast(&state, f.message, .error)
        return []
    }
}

func showError(_ state: inout AppState, _ error: APIError) {
    // Our sentence in the operator's language; the server's own words, untranslated, in the details.
    state.error = ErrorBanner(.api(error), detail: error.detail?.summary ?? error.description)
}

func toast(_ state: inout AppState, _ text: String, _ level: Toast.Level) {
    state.toasts.append(Toast(text: TerminalText.sanitize(text, limit: 300), level: level, expires: state.now.addingTimeInterval(level == .error ? 8 : 4)))
    if state.toasts.count > 3 { state.toasts.removeFirst(state.toasts.count - 3) }
}

func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if key == .resize { return [.redraw] }
    if let command = state.keymap.command(for: key, in: [.anywhere]), command == .errorDetail, state.error != nil { return perform(&state, command) }
    if state.dialog != nil { return handleDialogKey(&state, key) }
    if state.commandLine != nil { return handleCommandLine(&state, key) }
    if state.historyLog != nil { return handleHistoryKey(&state, key) }
    if state.breakdown != nil { return handleBreakdownKey(&state, key) }
    if state.help != nil {
        let filtering = !(state.help?.filter.value.isEmpty ?? true)
        switch key {
        case .escape, .char("?"), .char("q"): state.help = nil
        case .home where filtering, .end where filtering, .ctrl("u") where filtering:
            // While a filter is typed these edit it, as in any field.
            state.help?.filter.handle(key)
            state.help?.scroll = 0
        // The overlay scrolls and pages as lists do, never past its last full page.
        case .down, .char("j"), .up, .char("k"), .pageDown, .ctrl("d"), .pageUp, .ctrl("u"), .home, .end:
            let (last, page, now) = (helpMaxScroll(state), helpPage(state), state.help?.scroll ?? 0)
            let to: Int
            switch key {
            case .down, .char("j"): to = now + 1
            case .up, .char("k"): to = now - 1
            case .pageDown, .ctrl("d"): to = now + page
            case .pageUp, .ctrl("u"): to = now - page
            case .home: to = 0
            default: to = last
            }
            state.help?.scroll = max(0, min(last, to))
        default:
            state.help?.filter.handle(key)
            state.help?.scroll = 0
        }
        return []
    }
    // The command line opens from any pane, even one that takes typed text —
    // by ":" (never part of a phone or an ID) or a key that cannot be typed;
    // a letter it was remapped to stays text while a field is being edited.
    if state.keymap.command(for: key, in: [.global]) == .commandLine, !key.isTypedText || key == .char(":") {
        return perform(&state, .commandLine)
    }
    // Editing fields take printable keys first.
    if state.focus == .search, let e = handleSearchField(&state, key) { return e }
    if state.focus == .results, state.resultsFilter != nil, let e = handleResultsFilter(&state, key) { return e }
    if state.focus == .campaigns, state.campaignFilter != nil, let e = handleCampaignFilter(&state, key) { return e }

    let scopes: [Keymap.Scope]
    switch state.focus {
    case .campaigns: scopes = [.anywhere, .global, .lists, .search]
    case .search: scopes = [.anywhere, .global, .search]
    case .results: scopes = [.anywhere, .global, .results, .lists, .record, .search]
    case .detail: scopes = [.anywhere, .global, .record, .lists, .search]
    }
    // The one-line picker (below 100 columns) moves with ← → as well as ↑ ↓.
    if state.focus == .campaigns, Layout(size: state.size, focus: state.focus).picker != nil, key == .left || key == .right {
        return campaignCommand(&state, key == .left ? .up : .down)
    }
    guard let command = state.keymap.command(for: key, in: scopes, readOnly: state.readOnly) else { return [] }
    return perform(&state, command)
}

func cancelSearch(_ state: inout AppState, _ s: RunningSearch) -> [Effect] {
    state.search = nil
    state.inFlight = max(0, state.inFlight - 1)
    state.summary = .cancelled(stale: !state.results.isEmpty)
    return [.cancelSearch(generation: s.generation)]
}

/// The one dispatch from a command to what it does.
func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
    switch command {
    case .help:
        state.help = HelpOverlay()
        return []
    case .commandLine:
        state.commandLine = TextField()
        return []
    case .quit:
        state.quit = true
        return [.quit]
    case .redraw: return [.redraw]
    case .errorDetail:
        state.error?.showingDetail.toggle()
        return []
    case .nextPane, .prevPane:
        cyclePane(&state, forward: command == .nextPane)
        return []
    case .focusSearch:
        state.focus = .search
        return []
    case .toggleKind:
        // Auto ↔ the other kind: one Ctrl-T forces it, the next gives the guess back.
        let guess: SearchKind = AppState.looksLikePhone(state.query.value) ? .phone : .id
        state.kindOverride = state.kindOverride == nil ? (guess == .phone ? .id : .phone) : nil
        return []
    case .cancel: return stepBack(&state)
    case .down, .up, .pageDown, .pageUp, .top, .bottom, .filter, .open:
        switch state.focus {
        case .campaigns: return campaignCommand(&state, command)
        case .results, .detail: return resultsCommand(&state, command)
        case .search: return []
        }
    case .mark, .markAll, .sort, .reverse, .copy: return resultsCommand(&state, command)
    case .stats:
        guard state.results.count > 0 else {
            toast(&state, state.catalog["toast.stats_empty"], .warning)
            return []
        }
        state.breakdown = BreakdownOverlay(data: breakdownOf(state))
        return []
    case .recall, .delete, .block, .add: return openDialog(&state, command)
    }
}

/// Esc: closes an error, else leaves the detail view, else clears a kept
/// filter, else cancels a running search.
func stepBack(_ state: inout AppState) -> [Effect] {
    if state.error != nil {
        state.error = nil
        return []
    }
    if state.focus == .detail {
        state.detailFull = false
        state.focus = .results
        return []
    }
    // A breakdown bar the rows were narrowed to is let go first.
    if state.focus != .search, state.results.pin != nil {
        state.results.pin(nil) { _ in true }
        return []
    }
    // A filter kept with Enter is cleared by Esc too, as while typing it.
    if state.focus == .results, !state.results.filter.isEmpty {
        state.results.setFilter("")
        return []
    }
    if let s = state.search { return cancelSearch(&state, s) }
    return []
}

func cyclePane(_ state: inout AppState, forward: Bool) {
    var order: [Pane] = [.campaigns, .search, .results]
    if state.detailFull || Layout.showsDetailPane(state.size) { order.append(.detail) }
    let i = order.firstIndex(of: state.focus) ?? 0
    state.focus = order[(i + (forward ? 1 : order.count - 1)) % order.count]
    if state.focus != .detail { state.detailFull = false }
}

func listPage(_ state: AppState) -> Int { Layout.resultRows(state.size) }

func campaignCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
    let count = state.visibleCampaigns.count
    switch command {
    case .down: state.campaignCursor = min(count - 1, state.campaignCursor + 1)
    case .up: state.campaignCursor = max(0, state.campaignCursor - 1)
    case .pageDown: state.campaignCursor = min(count - 1, state.campaignCursor + listPage(state))
    case .pageUp: state.campaignCursor = max(0, state.campaignCursor - listPage(state))
    case .top: state.campaignCursor = 0
    case .bottom: state.campaignCursor = count - 1
    case .filter: state.campaignFilter = TextField()
    case .open:
        let chosen = state.visibleCampaigns[min(state.campaignCursor, count - 1)]
        return selectCampaign(&state, chosen)
    default: break
    }
    return []
}

/// `:lang es` — every label, dialog and date follows at the next frame. Open
/// dialogs keep the language they were opened in (their typed dates would
/// otherwise change meaning under the operator's fingers).
func setLanguage(_ state: inout AppState, _ language: Language) -> [Effect] {
    state.catalog = .shared(language)
    toast(&state, state.catalog["toast.language"], .info)
    return [.redraw]
}

func selectCampaign(_ state: inout AppState, _ campaign: Campaign?) -> [Effect] {
    state.selectedCampaign = campaign
    state.campaignFilter = nil
    state.focus = .search
    state.history = []
    return [.loadHistory(campaignID: campaign?.id ?? "")]
}

func resultsCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
    let page = listPage(state)
    switch command {
    case .down: if state.focus == .detail { state.detailCursor += 1 } else { state.results.move(by: 1) }
    case .up: if state.focus == .detail { state.detailCursor = max(0, state.detailCursor - 1) } else { state.results.move(by: -1) }
    case .pageDown: state.results.move(by: page)
    case .pageUp: state.results.move(by: -page)
    case .top: state.results.moveTo(0)
    case .bottom: state.results.moveTo(state.results.count - 1)
    case .filter:
        state.resultsFilter = TextField(state.results.filter)
        state.focus = .results
    case .mark:
        state.results.toggleMark()
        state.results.move(by: 1)
    case .markAll: state.results.markAllVisible()
    case .sort: state.results.cycleSort()
    case .reverse: state.results.reverseSort()
    case .open:
        guard state.results.current != nil else { return [] }
        state.focus = .detail
        state.detailCursor = 0
        state.detailFull = !Layout.showsDetailPane(state.size)
    case .copy:
        guard let r = state.results.current else { return [] }
        let fields = DetailFields.of(r, state.catalog)
        let raw = state.focus == .detail ? fields[min(state.detailCursor, fields.count - 1)].value : r.customerID
        // Copy what the screen shows: a field's ESC, CR, BEL or bidi controls
        // would otherwise act when pasted into a shell.
        let value = TerminalText.sanitize(raw)
        toast(&state, state.catalog.text("toast.copied", ["value": TerminalText.sanitize(value, limit: 40)]), .info)
        return [.copy(value)]
    default: break
    }
    return []
}
