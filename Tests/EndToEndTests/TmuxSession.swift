import Foundation

/// One program in its own tmux server (`-L` socket), for driving the real
/// binary: send keys, read the screen, wait for text with a deadline.
final class TmuxSession {
    let socket = "wvt-\(UUID().uuidString.prefix(8))"
    let statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("wvt-status-\(UUID().uuidString)")

    init(command: String, width: Int = 120, height: Int = 36, environment: [String: String]) throws {
        let env = environment.merging(["LANG": "C.UTF-8", "TERM": "xterm-256color"]) { a, _ in a }
            .map { "\($0.key)=\(Shell.quote($0.value))" }.joined(separator: " ")
        let inner = "env \(env) \(command); echo $? > \(statusFile.path); sleep 60"
        let r = Shell.run("tmux -L \(socket) -u -f /dev/null new-session -d -x \(width) -y \(height) \(Shell.quote(inner))")
        guard r.status == 0 else { throw Failure(message: "tmux failed: \(r.output)") }
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func keys(_ keys: String...) { Shell.run("tmux -L \(socket) send-keys " + keys.map(Shell.quote).joined(separator: " ")) }
    func type(_ text: String) { Shell.run("tmux -L \(socket) send-keys -l \(Shell.quote(text))") }

    func screen(colors: Bool = false) -> String {
        Shell.run("tmux -L \(socket) capture-pane -p\(colors ? " -e" : "")").output
    }

    /// Polls until `text` is on screen; returns the screen either way.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) async -> (found: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if last.contains(text) { return (true, last) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (false, last)
    }

    func exitStatus(timeout: Double = 10) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = try? String(contentsOf: statusFile, encoding: .utf8), let n = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines)) { return n }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    func close() {
        Shell.run("tmux -L \(socket) kill-server")
        try? FileManager.default.removeItem(at: statusFile)
    }
}
