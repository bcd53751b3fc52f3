import Foundation
import WolkvoxAPI

/// XDG locations for config, state (database, logs) and the theme search path.
public struct AppPaths: Sendable, Equatable {
    public var configDirectory: URL
    public var stateDirectory: URL

    /// `$XDG_CONFIG_HOME/wvconsole` (else `~/.config/wvconsole`) and
    /// `$XDG_STATE_HOME/wvconsole` (else `~/.local/state/wvconsole`).
    public static func from(environment env: [String: String]) -> AppPaths {
        let home = URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory(), isDirectory: true)
        func base(_ key: String, _ fallback: String) -> URL {
            if let v = env[key], v.hasPrefix("/") { return URL(fileURLWithPath: v, isDirectory: true) }
            return home.appendingPathComponent(fallback, isDirectory: true)
        }
        return AppPaths(
            configDirectory: base("XDG_CONFIG_HOME", ".config").appendingPathComponent("wvconsole", isDirectory: true),
            stateDirectory: base("XDG_STATE_HOME", ".local/state").appendingPathComponent("wvconsole", isDirectory: true))
    }

    /// Where the machine-wide request-slot locks live, best first. One rule
    /// for every process of a user whatever its environment (a desktop
    /// session, cron, a systemd unit, `su`, ssh without pam_systemd): the
    /// folder comes from the account, not from `XDG_RUNTIME_DIR`, `HOME` or
    /// `XDG_STATE_HOME`, which differ between those — and two folders would
    /// be two gates on one token. `<home from the password database>/.local/state/wvconsole/gate`,
    /// then `/tmp/wvconsole-<uid>` if that cannot be used (said when taken).
    /// `WVCONSOLE_GATE_DIR` (absolute) names the folder outright: for tests,
    /// and for setups that must share one elsewhere (a container's volume).
    public static func gateDirectories(environment env: [String: String]) -> [URL] {
        if let named = env["WVCONSOLE_GATE_DIR"], named.hasPrefix("/") { return [URL(fileURLWithPath: named, isDirectory: true)] }
        var dirs: [URL] = []
        if let home = accountHome() {
            dirs.append(URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/state/wvconsole/gate", isDirectory: true))
        }
        dirs.append(URL(fileURLWithPath: "/tmp/wvconsole-\(geteuid())", isDirectory: true))
        return dirs
    }

    /// The home folder the password database gives this user (never `$HOME`).
    static func accountHome() -> String? {
        guard let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir else { return nil }
        let home = String(cString: dir)
        return home.hasPrefix("/") ? home : nil
    }

    public var configFile: URL { configDirectory.appendingPathComponent("config.toml") }
    public var logFile: URL { stateDirectory.appendingPathComponent("wvconsole.log") }
    public var databaseFile: URL { stateDirectory.appendingPathComponent("wvconsole.sqlite") }
    /// User themes override the bundled ones of the same name.
    public var userThemesDirectory: URL { configDirectory.appendingPathComponent("themes", isDirectory: true) }

    /// Creates the state directory private to the user (0700): it holds the
    /// audit log, which names customers.
    /// Refuses one that belongs to someone else or that others can write to,
    /// and a log file that is a symlink.
    public func ensureStateDirectory() throws {
        do {
            try FileTrust.ensurePrivateDirectory(stateDirectory.path)
            try FileTrust.checkNoSymlink(logFile.path)
        } catch let refusal as FileTrust.Refusal {
            throw ConfigError(refusal.description)
        }
    }
}
