import Foundation
import TUIKit
import WolkvoxAPI

/// Ties a terminal to the app: keys and effect results become Actions,
/// `update` changes state, effects go to the runner, and a frame is drawn
/// when anything changed. Runs on the main actor because the backend does.
@MainActor
public final class ConsoleLoop {
    public private(set) var state: AppState
    let backend: any TerminalBackend
    let runner: EffectRunner
    let inbox: Inbox

    /// Actions from effect tasks, handed to the main loop without blocking them.
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Action] = []
        func push(_ a: Action) {
            lock.lock()
            items.append(a)
            lock.unlock()
        }
        func drain() -> [Action] {
            lock.lock()
            defer { lock.unlock() }
            let out = items
            items = []
            return out
        }
    }

    public init(state: AppState, backend: any TerminalBackend, makeRunner: (@escaping @Sendable (Action) -> Void) -> EffectRunner) {
        let inbox = Inbox()
        self.inbox = inbox
        self.state = state
        self.backend = backend
        self.runner = makeRunner { inbox.push($0) }
        _ = update(&self.state, .resize(backend.size))
    }

    /// Starts the first effects (campaign list, history, quota figure).
    public func start() {
        runner.initialCalls()
        dispatch([.loadCampaigns, .loadHistory(campaignID: "")])
        draw()
    }

    /// One turn: wait briefly for a key, apply everything pending, draw if needed.
    /// Returns false once the app wants to quit.
    public func step(timeoutMilliseconds: Int = 50) -> Bool {
        var changed = false
        if let key = backend.readKey(timeoutMilliseconds: timeoutMilliseconds) {
            switch key {
            case .ctrl("z"): backend.suspend()
            case .resize: apply(.resize(backend.size))
            default: apply(.key(key))
            }
            changed = true
        }
        for action in inbox.drain() {
            apply(action)
            changed = true
        }
        let now = Date()
        if state.search != nil || !state.toasts.isEmpty || state.inFlight > 0 || now.timeIntervalSince(state.now) > 1 {
            apply(.tick(now))
            changed = true
        }
        if changed { draw() }
        // After the frame: the new list is on screen before the old one's pages go back.
        if trimPending {
            trimPending = false
            Memory.returnFreedPages()
        }
        return !state.quit
    }

    private var trimPending = false

    public func apply(_ action: Action) {
        let replacing = state.results.records.count
        dispatch(update(&state, action))
        // A big answer replaced by another leaves tens of MB free in malloc's
        // arenas; hand it back so repeated 60,000-row searches do not ratchet
        // the resident size up (measured: 90 → 238 MB over six searches).
        if case .searchFinished = action, replacing >= 10_000 { trimPending = true }
    }

    func dispatch(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .redraw: backend.invalidate()
            case .copy(let text): backend.writeRaw(Clipboard.osc52(text))
            case .quit: break  // `update` has set state.quit; `step` ends the loop
            default:
                let runner = self.runner
                Task { await runner.run(effect) }
            }
        }
    }

    public func draw() {
        var buffer = Buffer(size: backend.size)
        render(state, into: &buffer)
        backend.draw(buffer)
    }
}
