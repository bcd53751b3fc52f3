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

    /// Where the machine-wide request-slot locks live, best first:
    /// `$XDG_RUNTIME_DIR/wvconsole` (when set to an absolute path), then the
    /// state folder.
    public static func gateDirectories(environment env: [String: String]) -> [URL] {
        var dirs: [URL] = []
        if let run = env["XDG_RUNTIME_DIR"], run.hasPrefix("/") {
            dirs.append(URL(fileURLWithPath: run, isDirectory: true).appendingPathComponent("wvconsole", isDirectory: true))
        }
        dirs.append(from(environment: env).stateDirectory)
        return dirs
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
