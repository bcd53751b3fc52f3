import CNcursesw
import Foundation

/// Puts the terminal back however the process ends: normal exit (atexit),
/// SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGPIPE/SIGUSR1/SIGALRM (handled on a
/// dispatch source, then exit 128+n): any of them used to leave the terminal
/// raw, on the alternate screen.
/// The caller's own loop may also restore first; `endwin` twice is harmless
/// because `isendwin` is checked.
enum TerminalRestore {
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    @MainActor
    static func install() {
        guard !installed else { return }
        installed = true
        atexit { if isendwin() == false { endwin() } }
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGALRM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler {
                if isendwin() == false { endwin() }
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
        // Ctrl-Z is read as a key in raw mode; the app calls `suspend()`.
        signal(SIGTSTP, SIG_IGN)
    }
}
