import Foundation
import SafeTOML
import TOMLKit
import WolkvoxAPI

/// Reads `config.toml`, then the environment, then command-line overrides
/// (later wins). Example file:
///
/// ```toml
/// server = "0025"
/// token_file = "~/.config/wvconsole/token"   # chmod 600; or set WOLKVOX_TOKEN
/// licenses = 5            # daily quota = licenses × 1000 calls
/// max_in_flight = 1       # 1 (default) or 2, the API's hard limit
/// read_only = false
/// theme = "dark"          # dark, light, high-contrast, or a path
/// language = "es"         # en, es, pt; default from LANG
/// dnc_days = 30
/// # operator = "ana"      # who acts, in the audit log (default os-user@hostname)
/// # store = "postgresql://wvconsole@db.example:5432/wvconsole"   # team mode; default: local SQLite
/// # store_password_file = "~/.config/wvconsole/store-password"  # chmod 600; or PGPASSWORD / ~/.pgpass
/// # base_url = "http://127.0.0.1:8080/api/v2/"   # a proxy or wvsim
///
/// [[campaigns]]            # fallback when the campaign API is unavailable
/// id = "101"
/// name = "Cobranza Norte"
/// type = "predictive"
///
/// [keys]                   # remap actions
/// delete = "D"
/// ```
public enum ConfigLoader {
    public struct Overrides: Sendable {
        public var server: String?
        public var theme: String?
        public var readOnly: Bool
        public var language: String?
        public init(server: String? = nil, theme: String? = nil, readOnly: Bool = false, language: String? = nil) {
            self.server = server
            self.theme = theme
            self.readOnly = readOnly
            self.language = language
        }
    }

    /// Loads the config. A missing file is fine (environment only); a broken
    /// one is an error naming the file and line.
    public static func load(
        path: URL? = nil, environment env: [String: String] = ProcessInfo.processInfo.environment,
        overrides: Overrides = Overrides()
    ) throws -> AppConfig {
        // A path the operator named (--config or WVCONSOLE_CONFIG) must exist;
        // only the default location may be absent.
        let (file, named) = configFile(path: path, environment: env)
        var config = AppConfig()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ConfigError("Config file \(file.path) is a folder; name the config.toml inside it.")
        }
        if FileManager.default.fileExists(atPath: file.path) {
            do { try FileTrust.checkConfigFile(file.path) } catch let refusal as FileTrust.Refusal {
                throw ConfigError(refusal.description)
            }
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw ConfigError("Cannot read \(file.path): \(error.localizedDescription)")
            }
            try apply(toml: text, file: file, environment: env, to: &config)
            config.source = file
        } else if named {
            throw ConfigError("Config file \(file.path) does not exist.")
        }
        if let server = env["WOLKVOX_SERVER"], !server.isEmpty { config.server = server }
        if let raw = env["WOLKVOX_TOKEN"], !raw.isEmpty {
            let token: APIToken
            do { token = try APIToken(checking: Data(raw.utf8)) } catch let problem as APIToken.Problem {
                throw ConfigError("WOLKVOX_TOKEN \(problem).")
            }
            config.token = token
        }
        if let base = env["WOLKVOX_BASE_URL"], !base.isEmpty { config.baseURL = try baseURL(base, from: "WOLKVOX_BASE_URL") }
        if let store = env["WVCONSOLE_STORE"], !store.isEmpty {
            let passwordFile: String? = if case .postgres(let old) = config.store { old.passwordFile } else { nil }
            config.store = try StoreLocation.parse(store, from: "WVCONSOLE_STORE")
            if case .postgres(var location) = config.store {
                location.passwordFile = passwordFile
                config.store = .postgres(location)
            }
        }
        if let s = overrides.server { config.server = s }
        if let t = overrides.theme { config.theme = t }
        if overrides.readOnly { config.readOnly = true }
        if let l = overrides.language { config.language = l }
        if let server = config.server {
            do { config.server = try Validate.serverName(server) } catch let v as ValidationError {
                throw ConfigError(v.message)
            }
        }
        if let lang = config.language, !["en", "es", "pt"].contains(lang) {
            throw ConfigError("language must be en, es or pt, got \"\(lang)\".")
        }
        return config
    }

    /// Only the config's `language`, before the command line is parsed (so
    /// usage errors and `--help` speak it): no token file, store or other
    /// setting is read. The same file `load` reads; nil when there is none,
    /// it does not parse, or it has no (valid) language, which `load` reports.
    public static func language(path: URL? = nil, environment env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let file = configFile(path: path, environment: env).file
        guard (try? FileTrust.checkConfigFile(file.path)) != nil, let text = try? String(contentsOf: file, encoding: .utf8),
            let table = try? SafeTOML.table(text), let language = table["language"]?.string, ["en", "es", "pt"].contains(language)
        else { return nil }
        return language
    }

    /// The config file: `path` (--config), else WVCONSOLE_CONFIG, else the
    /// default location; `named` when the operator named it.
    static func configFile(path: URL?, environment env: [String: String]) -> (file: URL, named: Bool) {
        if let named = path ?? env["WVCONSOLE_CONFIG"].flatMap({ $0.isEmpty ? nil : URL(fileURLWithPath: $0) }) { return (named, true) }
        return (AppPaths.from(environment: env).configFile, false)
    }

    static func apply(toml text: String, file: URL, environment env: [String: String], to config: inout AppConfig) throws {
        let table: TOMLTable
        do { table = try SafeTOML.table(text) } catch let e as TOMLParseError {
            throw ConfigError("\(file.path):\(e.source.begin.line): \(e.description)")
        } catch let e as SafeTOML.HeaderError {
            throw ConfigError("\(file.path):\(e.line): not valid TOML.")
        } catch {
            throw ConfigError("\(file.path): not valid TOML.")
        }
        let known: Set<String> = [
            "server", "token", "token_file", "licenses", "max_in_flight", "read_only", "theme",
            "language", "dnc_days", "base_url", "campaigns", "keys", "country_code", "log_level",
            "store", "store_password_file", "operator", "export_bom", "export_raw", "labels", "columns",
        ]
        if let unknown = table.keys.first(where: { !known.contains($0) }) {
            throw ConfigError("\(file.path): unknown setting \"\(unknown)\".")
        }
        if table.contains(key: "token") {
            throw ConfigError("\(file.path): do not put the token in config.toml; use token_file (chmod 600) or WOLKVOX_TOKEN.")
        }
        func string(_ key: String) throws -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.string else { throw ConfigError("\(file.path): \(key) must be a string.") }
            return s
        }
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let v = table[key] else { return nil }
            guard let i = v.int, range.contains(i) else {
                throw ConfigError("\(file.path): \(key) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            }
            return i
        }
        config.server = try string("server") ?? config.server
        config.licenses = try int("licenses", 1...100_000) ?? config.licenses
        config.maxInFlight = try int("max_in_flight", 1...2) ?? config.maxInFlight
        config.dncDays = try int("dnc_days", 1...3650) ?? config.dncDays
        if let v = table["read_only"] {
            guard let b = v.bool else { throw ConfigError("\(file.path): read_only must be true or false.") }
            config.readOnly = b
        }
        if let v = table["export_raw"] {
            guard let b = v.bool else { throw ConfigError("\(file.path): export_raw must be true or false.") }
            config.exportRaw = b
        }
        if let v = table["export_bom"] {
            guard let b = v.bool else { throw ConfigError("\(file.path): export_bom must be true or false.") }
            config.exportBOM = b
        }
        if let cc = try string("country_code") ?? table["country_code"]?.int.map(String.init) {
            do { config.countryCode = try Validate.countryCode(cc) } catch let v as ValidationError { throw ConfigError("\(file.path): \(v.message)") }
        }
        if let level = try string("log_level") {
            guard let l = LogSetup.parse(level) else { throw ConfigError("\(file.path): " + LogSetup.levelError("log_level", level)) }
            config.logLevel = l
        }
        config.theme = try string("theme") ?? config.theme
        if let name = try string("operator") {
            if let problem = OperatorName.problem(name) { throw ConfigError("\(file.path): \(problem).") }
            config.operatorName = name
        }
        if let store = try string("store") {
            config.store = try StoreLocation.parse(store, from: "\(file.path): store")
        }
        if let passwordFile = try string("store_password_file") {
            guard case .postgres(var location) = config.store else {
                throw ConfigError("\(file.path): store_password_file needs store = \"postgresql://…\".")
            }
            location.passwordFile = expand(passwordFile, env: env)
            config.store = .postgres(location)
        }
        config.language = try string("language") ?? config.language
        if let base = try string("base_url") {
            config.baseURL = try baseURL(base, from: "\(file.path): base_url")
        }
        if let tokenFile = try string("token_file") {
            config.token = try TokenFile.read(expand(tokenFile, env: env), relativeTo: file)
        }
        if let list = table["campaigns"] {
            guard let array = list.array else { throw ConfigError("\(file.path): campaigns must be [[campaigns]] tables.") }
            config.campaigns = try array.enumerated().map { index, item in
                guard let t = item.table, let id = t["id"]?.string ?? t["id"]?.int.map(String.init), !id.isEmpty else {
                    throw ConfigError("\(file.path): campaigns[\(index + 1)] needs an id.")
                }
                let typeText = t["type"]?.string ?? "predictive"
                guard let type = CampaignType(rawValue: typeText.lowercased()) else {
                    throw ConfigError("\(file.path): campaigns[\(index + 1)].type must be preview or predictive.")
                }
                return AppConfig.CampaignEntry(id: id, name: t["name"]?.string ?? id, type: type)
            }
        }
        try applyLabelsAndColumns(table, text: text, file: file, to: &config)
        if let keys = table["keys"] {
            guard let t = keys.table else { throw ConfigError("\(file.path): [keys] must be a table.") }
            for k in t.keys {
                guard let v = t[k]?.string else { throw ConfigError("\(file.path): keys.\(k) must be a string.") }
                config.keys[k] = v
            }
        }
    }

    /// `[labels."101"]` (opt1…opt12 → a name) and `[columns]` (campaign →
    /// column list). A key that is not a field is an error naming the file
    /// and the line it is on.
    static func applyLabelsAndColumns(_ table: TOMLTable, text: String, file: URL, to config: inout AppConfig) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        /// "file:line" of `key = …` in the first section whose header mentions `section` (or of the header).
        func at(_ section: String, _ key: String? = nil) -> String {
            let header = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("[") && $0.contains(section) }
            var n = header
            if let key, let h = header {
                // `key =` or `"key" =` exactly, within this section (up to the next header).
                for i in lines.indices.dropFirst(h + 1) {
                    let t = lines[i].trimmingCharacters(in: .whitespaces)
                    if t.hasPrefix("[") { break }
                    let name = t.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                    if t.contains("="), name == key || name == "\"\(key)\"" {
                        n = i
                        break
                    }
                }
            }
            return file.path + (n.map { ":\($0 + 1)" } ?? "")
        }
        let optNames = Set((1...12).map { "opt\($0)" })
        if let labels = table["labels"] {
            guard let campaigns = labels.table else { throw ConfigError("\(at("labels")): [labels.\"CAMPAIGN\"] must be tables.") }
            for campaign in campaigns.keys {
                guard let fields = campaigns[campaign]?.table else {
                    throw ConfigError("\(at("labels", campaign)): labels.\"\(campaign)\" must be a table of opt1 = \"name\" lines.")
                }
                for field in fields.keys {
                    guard optNames.contains(field) else {
                        throw ConfigError("\(at("labels.\"\(campaign)\"", field)): labels.\"\(campaign)\".\(field) is not a field that can be named (opt1 … opt12).")
                    }
                    guard let name = fields[field]?.string, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw ConfigError("\(at("labels.\"\(campaign)\"", field)): labels.\"\(campaign)\".\(field) must be a name in quotes.")
                    }
                    config.labels[campaign, default: [:]][field] = TerminalText.sanitize(name, limit: 24)
                }
            }
        }
        if let columns = table["columns"] {
            guard let campaigns = columns.table else { throw ConfigError("\(at("columns")): [columns] must be a table.") }
            for campaign in campaigns.keys {
                guard let list = campaigns[campaign]?.array, !list.isEmpty else {
                    throw ConfigError("\(at("columns", campaign)): columns.\"\(campaign)\" must be a list such as [\"name\", \"customer_id\", \"opt1\"].")
                }
                var names: [String] = []
                for i in 0..<list.count {
                    guard let name = list[i].string, AppConfig.columnNames.contains(name) else {
                        let shown = list[i].string.map { "\"\($0)\"" } ?? "item \(i + 1)"
                        throw ConfigError(
                            "\(at("columns", campaign)): columns.\"\(campaign)\": \(shown) is not a column (\(AppConfig.columnNames.joined(separator: ", "))).")
                    }
                    guard !names.contains(name) else {
                        throw ConfigError("\(at("columns", campaign)): columns.\"\(campaign)\": \"\(name)\" is listed twice.")
                    }
                    names.append(name)
                }
                config.columns[campaign] = names
            }
        }
    }

    /// A base URL is used exactly as given or not at all: one that does not
    /// parse must not quietly mean the live `https://wv{server}.wolkvox.com`
    /// (a leading space did), and one with a user name or password would put
    /// a secret in every log line and error that names the URL.
    static func baseURL(_ text: String, from source: String) throws -> URL {
        let shown = "\"" + TerminalText.sanitize(text, limit: 80) + "\""
        guard text.trimmingCharacters(in: .whitespacesAndNewlines) == text else {
            throw ConfigError("\(source) \(shown) has spaces around it; remove them.")
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }),
            let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.port.map({ (1...65_535).contains($0) }) ?? true
        else {
            throw ConfigError("\(source) \(shown) is not an http(s) URL with a host, e.g. http://127.0.0.1:8080/api/v2/.")
        }
        guard url.user == nil && url.password == nil else {
            throw ConfigError("\(source) carries a user name or password; remove them (the token is the only credential).")
        }
        // `…/api/v2/?x=1#f` would swallow the path and the api parameter of every request.
        guard url.query == nil, url.fragment == nil, !text.contains("?"), !text.contains("#") else {
            throw ConfigError("\(source) \(shown) carries a query (?…) or a fragment (#…); give the base URL alone, e.g. http://127.0.0.1:8080/api/v2/.")
        }
        return url
    }

    public static func expand(_ path: String, env: [String: String]) -> String {
        if path.hasPrefix("~/"), let home = env["HOME"] { return home + String(path.dropFirst(1)) }
        return path
    }
}
