import Foundation
import WolkvoxAPI

/// Where the journal, audit log, meter and gate live: the local SQLite file
/// (the default, nothing to set up) or a team's PostgreSQL database, named by
/// `store = "postgresql://user@host:5432/dbname"` in config.toml or by
/// `WVCONSOLE_STORE`. The password never appears in the URL or the config:
/// it comes from `store_password_file` (0600), `PGPASSWORD` or `~/.pgpass`.
public enum StoreLocation: Sendable, Equatable {
    case local
    case postgres(PostgresLocation)

    /// Parses a `store` value; `source` names where it came from for errors.
    public static func parse(_ text: String, from source: String) throws -> StoreLocation {
        let shown = "\"" + TerminalText.sanitize(text, limit: 80) + "\""
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "local" || trimmed == "sqlite" { return .local }
        guard let c = URLComponents(string: trimmed), let scheme = c.scheme?.lowercased(), scheme == "postgresql" || scheme == "postgres" else {
            throw ConfigError("\(source) \(shown) is not a store: use postgresql://user@host:5432/dbname (or leave it out for the local store).")
        }
        // Also a password smuggled into the user part (`user%3Apass@`), which
        // would otherwise be shown wherever the store is named.
        if c.password != nil || (c.user?.removingPercentEncoding ?? c.user ?? "").contains(":") {
            throw ConfigError("\(source) carries a password; remove it and use store_password_file (chmod 600), PGPASSWORD or ~/.pgpass.")
        }
        guard let host = c.host, !host.isEmpty else { throw ConfigError("\(source) \(shown) names no host.") }
        guard let user = c.user, !user.isEmpty else { throw ConfigError("\(source) \(shown) names no user (postgresql://USER@host/dbname).") }
        let database = String(c.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw ConfigError("\(source) \(shown) names no database (postgresql://user@host/DBNAME).") }
        var location = PostgresLocation(
            host: host, port: c.port ?? 5432, user: user.removingPercentEncoding ?? user,
            database: database.removingPercentEncoding ?? database)
        for item in c.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = PostgresLocation.SSLMode(rawValue: item.value ?? "") else {
                    throw ConfigError("\(source): sslmode must be disable, prefer, require or verify-full.")
                }
                location.sslMode = mode
            case "connect_timeout":
                guard let s = item.value.flatMap(Int.init), (1...60).contains(s) else {
                    throw ConfigError("\(source): connect_timeout must be 1 to 60 seconds.")
                }
                location.connectTimeout = s
            default:
                throw ConfigError("\(source): unknown store option \"\(TerminalText.sanitize(item.name, limit: 40))\" (sslmode, connect_timeout).")
            }
        }
        return location.host == "" ? .local : .postgres(location)
    }
}

/// A PostgreSQL team store, without its password.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable {
        /// Never TLS (loopback, a private network you trust).
        case disable
        /// TLS when the server offers it, verified against the system's CAs.
        case prefer
        /// TLS or nothing, verified against the system's CAs.
        case require
        /// As `require` (the host name is always verified).
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode = .prefer
    public var connectTimeout = 3
    /// `store_password_file` from config.toml, if set.
    public var passwordFile: String?

    public init(host: String, port: Int, user: String, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
    }

    /// `user@host:port/database`: what messages and `check` show (no password, ever).
    public var description: String { "\(user)@\(host):\(port)/\(database)" }

    /// The password: `store_password_file` (must be 0600), else `PGPASSWORD`,
    /// else the first matching `~/.pgpass` line (ignored, as libpq does, when
    /// group or others can read it), else none (trust or peer auth).
    public func password(environment env: [String: String]) throws -> String? {
        if let file = passwordFile {
            let path = file.hasPrefix("~/") ? (env["HOME"] ?? NSHomeDirectory()) + file.dropFirst(1) : file
            // As the token file: a symlink or someone else's file is refused.
            do { try FileTrust.checkNoSymlink(path) } catch let refusal as FileTrust.Refusal {
                throw ConfigError("store_password_file: \(refusal.description)")
            }
            var st = stat()
            guard stat(path, &st) == 0 else { throw ConfigError("store_password_file \(path) does not exist.") }
            if st.st_mode & 0o077 != 0 {
                throw ConfigError("store_password_file \(path) is readable by others (mode \(String(st.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigError("Cannot read store_password_file \(path).") }
            let password = text.trimmingCharacters(in: .newlines)
            guard !password.isEmpty else { throw ConfigError("store_password_file \(path) is empty.") }
            return password
        }
        if let p = env["PGPASSWORD"], !p.isEmpty { return p }
        let pgpass = env["PGPASSFILE"] ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.pgpass")
        var st = stat()
        guard stat(pgpass, &st) == 0, st.st_mode & 0o077 == 0, let text = try? String(contentsOfFile: pgpass, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.pgpassFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A `.pgpass` line split on unescaped colons, with `\:` and `\\` unescaped.
    static func pgpassFields(_ line: String) -> [String] {
        var fields: [String] = [], field = "", escaped = false
        for ch in line {
            if escaped {
                field.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == ":" {
                fields.append(field)
                field = ""
            } else {
                field.append(ch)
            }
        }
        fields.append(field)
        return fields
    }
}
