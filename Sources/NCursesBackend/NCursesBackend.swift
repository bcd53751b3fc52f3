import CNcursesw
import CSupport
import Foundation
import TUIKit

/// `TerminalBackend` on ncursesw — the only code that touches ncurses. All of
/// ncurses' global state lives behind this one main-actor object.
@MainActor
public final class NCursesBackend: TerminalBackend {
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: Buffer?
    private var pairs: [PairKey: Int16] = [:]
    private var restoredAlready = false
    public private(set) var colorCount: Int
    private let palette: ColorMapper

    struct PairKey: Hashable {
        var fg: Int16
        var bg: Int16
    }

    /// Refuses to start without a terminal on both ends: a console drawn into
    /// a pipe is garbage, and keys cannot be read from a file.
    /// Also refuses a terminal that cannot be drawn on: `TERM=dumb` (no
    /// cursor addressing) or a `TERM` with no terminfo entry.
    public static func requireTTY(environment: [String: String] = ProcessInfo.processInfo.environment) -> Refusal? {
        if isatty(STDOUT_FILENO) != 1 || isatty(STDIN_FILENO) != 1 { return .notATerminal }
        let term = environment["TERM"] ?? ""
        if term.isEmpty { return .unknownTerminal("") }
        switch shim_terminal_usable() {
        case 1: return nil
        case 0: return .cannotAddressCursor(term)
        default: return .unknownTerminal(term)
        }
    }

    public enum Refusal: Sendable, Equatable {
        case notATerminal
        case cannotAddressCursor(String)
        case unknownTerminal(String)
    }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        setlocale(LC_ALL, "")
        // Before curses changes the modes: what a crash or a fatal signal puts back.
        wv_install_fatal_terminal_restore()
        guard let w = initscr() else { fatalError("ncurses could not initialise the terminal") }
        window = w
        raw()
        noecho()
        nonl()
        keypad(w, true)
        set_escdelay(25)
        curs_set(0)
        // Mouse reporting stays off: it would take away the terminal's own
        // text selection, which operators use to copy IDs.
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = (environment["TERM"] ?? "") == "dumb"
        if !noColor && !dumb && has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(shim_colors())
        } else {
            colorCount = 0
        }
        palette = ColorMapper(colors: colorCount)
        TerminalRestore.install()
    }

    public var size: Size { Size(width: Int(getmaxx(window)), height: Int(getmaxy(window))) }

    public func invalidate() {
        previous = nil
        clearok(window, true)
    }

    /// Sends only the cells that changed since the last frame.
    public func draw(_ buffer: Buffer) {
        if previous?.size != buffer.size { werase(window) }
        let w = buffer.width, h = buffer.height
        var text = [wchar_t](repeating: 0, count: 16)
        for change in buffer.diff(from: previous) {
            // The bottom-right cell would scroll some terminals: skip it.
            if change.y == h - 1 && change.x == w - 1 { continue }
            var n = 0
            for scalar in change.cell.grapheme.unicodeScalars where n < 15 {
                text[n] = wchar_t(bitPattern: scalar.value)
                n += 1
            }
            if n == 0 {
                text[0] = 32
                n = 1
            }
            text[n] = 0
            let (attrs, pair) = attributes(change.cell.style)
            _ = shim_put_cell(window, Int32(change.y), Int32(change.x), text, attrs, pair)
        }
        previous = buffer
        wnoutrefresh(window)
        doupdate()
    }

    private func attributes(_ style: Style) -> (attr_t, Int16) {
        var a = shim_a_normal()
        if style.attributes.contains(.bold) { a |= shim_a_bold() }
        if style.attributes.contains(.dim) { a |= shim_a_dim() }
        if style.attributes.contains(.underline) { a |= shim_a_underline() }
        if style.attributes.contains(.reverse) { a |= shim_a_reverse() }
        if style.attributes.contains(.italic) { a |= shim_a_italic() }
        guard colorCount > 0 else { return (a, 0) }
        let key = PairKey(fg: palette.map(style.foreground), bg: palette.map(style.background))
        if key.fg == -1 && key.bg == -1 { return (a, 0) }
        if let p = pairs[key] { return (a, p) }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < shim_color_pairs() else { return (a, 0) }
        init_pair(next, key.fg, key.bg)
        pairs[key] = next
        return (a, next)
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        wtimeout(window, Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let r = wget_wch(window, &ch)
        if r == shim_err() { return nil }
        if r == shim_key_code_yes() {
            if Int32(ch) == shim_key_resize() {
                previous = nil
                return .resize
            }
            return KeyDecoder.special(Int32(ch))
        }
        return KeyDecoder.character(UInt32(ch))
    }

    public func writeRaw(_ bytes: String) {
        // After ncurses has flushed its own output, so the sequences don't interleave.
        doupdate()
        FileHandle.standardOutput.write(Data(bytes.utf8))
    }

    public func restore() {
        guard !restoredAlready else { return }
        restoredAlready = true
        endwin()
    }

    /// Ctrl-Z: give the terminal back, stop, and redraw everything on return.
    public func suspend() {
        endwin()
        signal(SIGTSTP, SIG_DFL)
        // raise(), not kill(getpid()): a process-directed signal may be taken by
        // another thread only after the next line has set SIG_IGN again, and
        // then it is discarded — the program never stopped. A signal raised on
        // this thread is acted on before raise() returns.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        raise(SIGTSTP)
        // Resumed (SIGCONT).
        signal(SIGTSTP, SIG_IGN)
        refresh()
        invalidate()
    }
}
