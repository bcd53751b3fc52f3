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
        func push(_ a: Action) { lock.lock(); items.append(a); lock.unlock() }
        func drain() -> [Action] { lock.lock(); defer { lock.unlock() }; let out = items; items = []; return out }
    }

    public init(state: AppState, backend: any TerminalBackend, makeRunner: (@escaping @Sendable (Action) -> Void) -> EffectRunner) {
        let inbox = Inbox()
        self.inbox = inbox
        self.state = state
        self.backend = backend
        self.runner = makeRunner { inbox.push($0) }
        self.state.size = backend.size
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
            if key == .ctrl("z") {
                backend.suspend()
            } else {
                if key == .resize { state.size = backend.size }
                apply(.key(key))
            }
            changed = true
        }
        for action in inbox.drain() { apply(action); changed = true }
        let now = Date()
        if state.search != nil || !state.toasts.isEmpty || state.inFlight > 0 || now.timeIntervalSince(state.now) > 1 {
            apply(.tick(now)); changed = true
        }
        if changed { draw() }
        return !state.quit
    }

    public func apply(_ action: Action) {
        let replacing = state.results.records.count
        dispatch(update(&state, action))
        // A big answer replaced by another leaves tens of MB free in malloc's
        // arenas; hand it back so repeated 60,000-row searches do not ratchet
        // the resident size up (measured: 90 → 238 MB over six searches).
        if case .searchFinished = action, replacing >= 10_000 { Memory.returnFreedPages() }
    }

    func dispatch(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .redraw: backend.invalidate()
            case .copy(let text): backend.writeRaw(Clipboard.osc52(text))
            case .quit: state.quit = true
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

public enum Memory {
    /// Two malloc arenas instead of glibc's 8 per core: searches decode on
    /// pool threads and the main thread frees, so each thread's arena kept
    /// its own high-water mark. Call before any thread starts.
    public static func limitArenas() {
        #if canImport(Glibc)
        _ = c_mallopt(-8 /* M_ARENA_MAX */, 2)
        #endif
    }

    /// glibc's malloc_trim: gives free heap pages back to the kernel. It walks
    /// the arenas, so it is called only after a large result set is dropped.
    static func returnFreedPages() {
        #if canImport(Glibc)
        _ = c_malloc_trim(0)
        #endif
    }
}

#if canImport(Glibc)
@_silgen_name("mallopt")
private func c_mallopt(_ param: Int32, _ value: Int32) -> Int32
@_silgen_name("malloc_trim")
private func c_malloc_trim(_ pad: Int) -> Int32
#endif

/// OSC 52 clipboard: the terminal (and tmux with set-clipboard on) copies it.
/// The text is the app's own choice of a field, base64-encoded, so nothing
/// in it can act as an escape sequence.
public enum Clipboard {
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(TerminalText.sanitize(text).utf8).base64EncodedString() + "\u{07}"
    }
}
