import CSupport
import Foundation

/// Runs `/bin/sh -c command` with posix_spawn (Foundation.Process can hang
/// around tmux here: inherited signal masks and descriptors), output to a file.
enum Shell {
    @discardableResult
    static func run(_ command: String, environment: [String: String] = [:]) -> (status: Int32, output: String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sh-\(UUID().uuidString).out")
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process: SwiftNIO's sockets are not
        // close-on-exec, and a child that lives on (tmux's server lives for
        // the whole run) held the in-process simulators' and clients'
        // connections open after they closed them — a cancelled download
        // kept flowing, a reset was seen only at the 60 s deadline.
        precondition(wv_spawn_close_from(&actions, 3) == 0, "posix_spawn_file_actions_addclosefrom_np")
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TMUX")
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let argv = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { (envp + argv).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, envp) == 0 else { return (-1, "spawn failed") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attr)
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: out)
        return ((status >> 8) & 0xFF, text)
    }

    /// The same, waiting on a thread of its own. Not on a dispatch queue: on
    /// Linux Swift's cooperative pool *is* libdispatch's global queue (one
    /// thread per core), so two of these waiting there starved every task in
    /// the process, the in-process simulators included, for as long as the
    /// children ran (a CI run saw 20 s of "server did not answer").
    static func runAsync(_ command: String, environment: [String: String] = [:]) async -> (status: Int32, output: String) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: run(command, environment: environment)) }.start()
        }
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Where `swift build` put the executables under test.
enum Products {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ name: String) -> String? {
        if let dir = ProcessInfo.processInfo.environment["WVCONSOLE_BIN_DIR"] { return dir + "/" + name }
        for config in ["debug", "release"] {
            let p = root.appendingPathComponent(".build/\(config)/\(name)").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static var tmuxAvailable: Bool { Shell.run("command -v tmux").status == 0 }
}
