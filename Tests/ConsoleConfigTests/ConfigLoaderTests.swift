import Foundation
import Testing
@testable import ConsoleConfig
import SafeTOML
import WolkvoxAPI

@Suite struct ConfigLoaderTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wvconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return url
    }

    @Test func fullFileIsRead() throws {
        _ = try write("token", "file-token-XYZ\n")
        let file = try write(
            "config.toml",
            """
            server = "co01"
            token_file = "token"
            licenses = 3
            max_in_flight = 2
            read_only = true
            theme = "light"
            language = "es"
            dnc_days = 15
            export_bom = true

            [[campaigns]]
            id = "101"
            name = "Cobranza Norte"
            type = "predictive"

            [[campaigns]]
            id = 202
            type = "preview"

            [keys]
            delete = "D"
            """)
        let c = try ConfigLoader.load(path: file, environment: ["HOME": dir.path])
        #expect(c.server == "co01")
        #expect(c.token?.fingerprint == APIToken("file-token-XYZ")?.fingerprint)
        #expect(c.licenses == 3 && c.dailyQuota == 3000)
        #expect(c.maxInFlight == 2)
        #expect(c.readOnly)
        #expect(c.theme == "light")
        #expect(c.language == "es")
        #expect(c.dncDays == 15)
        #expect(c.exportBOM)
        #expect(c.campaigns == [.init(id: "101", name: "Cobranza Norte", type: .predictive), .init(id: "202", name: "202", type: .preview)])
        #expect(c.keys == ["delete": "D"])
    }

    /// `[labels."101"]` names a campaign's opt fields and `[columns]` picks its
    /// results columns; a key that is not a field is one error naming the file and line.
    @Test func labelsAndColumnsAreReadAndAWrongKeyNamesItsLine() throws {
        let good = try write(
            "labels.toml",
            """
            [[campaigns]]
            id = "101"

            [labels."101"]
            opt1 = "Saldo"
            opt3 = "Ciudad"

            [columns]
            "101" = ["name", "customer_id", "opt1", "result"]
            """)
        let c = try ConfigLoader.load(path: good, environment: ["HOME": dir.path])
        #expect(c.labels == ["101": ["opt1": "Saldo", "opt3": "Ciudad"]])
        #expect(c.columns == ["101": ["name", "customer_id", "opt1", "result"]])
        // The line is the key's own, not an earlier one it is a prefix of, nor one in another section.
        let badLabel = try write("badlabel.toml", "[labels.\"1\"]\nopt13 = \"x\"\n\n[labels.\"101\"]\nopt1 = \"Saldo\"\nopt13 = \"Plan\"\n")
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: badLabel, environment: ["HOME": dir.path]) }
        do { _ = try ConfigLoader.load(path: badLabel, environment: ["HOME": dir.path]) } catch {
            #expect(["\(badLabel.path):2: labels.\"1\".opt13", "\(badLabel.path):6: labels.\"101\".opt13"].contains { "\(error)".hasPrefix($0) }, "\(error)")
        }
        let badColumn = try write("badcolumn.toml", "theme = \"dark\"\n\n[columns]\n\"101\" = [\"name\", \"saldo\"]\n")
        do {
            _ = try ConfigLoader.load(path: badColumn, environment: ["HOME": dir.path])
            Issue.record("an unknown column is refused")
        } catch {
            #expect("\(error)".hasPrefix("\(badColumn.path):4: columns.\"101\": \"saldo\" is not a column (name, customer_id"), "\(error)")
        }
        let twice = try write("twice.toml", "[columns]\n\"101\" = [\"name\", \"calls\", \"name\"]\n")
        do {
            _ = try ConfigLoader.load(path: twice, environment: ["HOME": dir.path])
            Issue.record("a column listed twice is refused")
        } catch {
            #expect("\(error)" == "\(twice.path):2: columns.\"101\": \"name\" is listed twice.")
        }
    }

    @Test func environmentBeatsFileAndFlagsBeatEnvironment() throws {
        let file = try write("config.toml", "server = \"0025\"\ntheme = \"dark\"\n")
        let c = try ConfigLoader.load(
            path: file, environment: ["WOLKVOX_SERVER": "0099", "WOLKVOX_TOKEN": "env-tok"],
            overrides: .init(theme: "high-contrast", readOnly: true))
        #expect(c.server == "0099")
        #expect(c.token != nil)
        #expect(c.theme == "high-contrast")
        #expect(c.readOnly)
    }

    @Test func aTokenFileOthersCanReadIsRefusedWithTheFix() throws {
        _ = try write("token", "tok", mode: 0o644)
        let file = try write("config.toml", "token_file = \"token\"\n")
        #expect {
            try ConfigLoader.load(path: file, environment: [:])
        } throws: { error in
            (error as? ConfigError)?.message.contains("chmod 600") == true
        }
    }

    /// A token with a byte outside visible ASCII is refused at load, in a
    /// line that never carries it (the HTTP library would print it back in
    /// an escaped spelling no redaction catches); a file is one line.
    @Test(arguments: [
        ("SECRETTOK\u{01}abc\n", "position 10"), ("SECRETTOK\u{7F}\n", "position 10"), ("SECRET TOK\n", "position 7"),
        ("SECRETTOKé\n", "position 10"), ("SECRET\nTOK\n", "more than one line"), ("SECRET\u{0B}TOK", "more than one line"),
        ("\n\n", "is empty"),
    ])
    func aTokenWithAnInvisibleByteIsRefusedWithoutEchoingIt(content: String, says: String) throws {
        _ = try write("token", content, mode: 0o600)
        let file = try write("config.toml", "token_file = \"token\"\n")
        do {
            _ = try ConfigLoader.load(path: file, environment: [:])
            Issue.record("accepted a token with an invisible byte")
        } catch let e as ConfigError {
            #expect(e.message.contains(says), "\(e.message)")
            #expect(!e.message.contains("SECRET"), "the token is never echoed: \(e.message)")
        }
        do {
            _ = try ConfigLoader.load(path: nil, environment: ["WOLKVOX_TOKEN": content, "XDG_CONFIG_HOME": dir.path])
            Issue.record("accepted WOLKVOX_TOKEN with an invisible byte")
        } catch let e as ConfigError {
            #expect(!e.message.contains("SECRET") && e.message.hasPrefix("WOLKVOX_TOKEN"), "\(e.message)")
        }
    }

    @Test func aSymlinkedTokenFileIsRefusedWithoutChmodAdvice() throws {
        _ = try write("realtok", "tok", mode: 0o600)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("tok").path, withDestinationPath: dir.appendingPathComponent("realtok").path)
        let file = try write("config.toml", "token_file = \"tok\"\n")
        #expect {
            try ConfigLoader.load(path: file, environment: [:])
        } throws: { error in
            let m = (error as? ConfigError)?.message ?? ""
            return m.contains("symbolic link") && !m.contains("run: chmod")
        }
    }

    @Test func aTokenFileThatIsNotUTF8OrTooLargeIsRefusedBySize() throws {
        let url = dir.appendingPathComponent("token")
        try Data([0x53, 0xFF, 0xFE, 0x0A]).write(to: url)
        chmod(url.path, 0o600)
        let file = try write("config.toml", "token_file = \"token\"\n")
        #expect { try ConfigLoader.load(path: file, environment: [:]) } throws: { ($0 as? ConfigError)?.message.contains("not UTF-8") == true }
        try Data(repeating: 0x41, count: 100_000).write(to: url)
        #expect { try ConfigLoader.load(path: file, environment: [:]) } throws: { ($0 as? ConfigError)?.message.contains("100000 bytes") == true }
    }

    @Test func aTokenInsideTheConfigIsRefused() throws {
        let file = try write("config.toml", "token = \"abc\"\n")
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: file, environment: [:]) }
    }

    @Test(arguments: [
        "max_in_flight = 3", "server = \"evil.com/\"", "licenses = \"five\"", "language = \"fr\"",
        "colour = \"red\"", "server = ", "[[campaigns]]\nname = \"x\"",
    ])
    func badSettingsGiveOneLineErrors(line: String) throws {
        let file = try write("config.toml", line + "\n")
        do {
            _ = try ConfigLoader.load(path: file, environment: [:])
            Issue.record("accepted \(line)")
        } catch let e as ConfigError {
            #expect(!e.message.contains("\n"))
        }
    }

    @Test func missingDefaultFileIsFineButMissingExplicitFileIsNot() throws {
        let c = try ConfigLoader.load(environment: ["HOME": dir.path, "WOLKVOX_SERVER": "0025"])
        #expect(c.server == "0025" && c.source == nil && c.maxInFlight == 1 && !c.readOnly)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: dir.appendingPathComponent("nope.toml"), environment: [:]) }
    }

    @Test func xdgPathsFollowTheEnvironment() {
        let p = AppPaths.from(environment: ["HOME": "/home/ana", "XDG_STATE_HOME": "/var/st"])
        #expect(p.configFile.path == "/home/ana/.config/wvconsole/config.toml")
        #expect(p.databaseFile.path == "/var/st/wvconsole/wvconsole.sqlite")
    }

    // MARK: issue 23 — config and state you can trust, no silent fallback to production

    @Test(arguments: [0o664, 0o646, 0o622])
    func aConfigOthersCanChangeIsRefusedNamingTheFix(mode: Int) throws {
        let file = try write("config.toml", "server = \"co01\"\n", mode: mode)
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: file, environment: [:]) }
        #expect(error?.message.contains("chmod 600 \(file.path)") == true, "\(String(describing: error))")
        #expect(error?.message.contains("\n") == false)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(try ConfigLoader.load(path: file, environment: [:]).server == "co01")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give a file away"))
    func aConfigOwnedByAnotherUserIsRefused() throws {
        let file = try write("config.toml", "server = \"co01\"\n", mode: 0o644)
        #expect(chown(file.path, 65534, 65534) == 0)
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: file, environment: [:]) }
        #expect(error?.message.contains("another user") == true)
    }

    @Test func theStateFolderIsCreatedPrivateAndAnOpenOneIsRefused() throws {
        let paths = AppPaths(configDirectory: dir, stateDirectory: dir.appendingPathComponent("state/wvconsole"))
        try paths.ensureStateDirectory()
        let mode = try FileManager.default.attributesOfItem(atPath: paths.stateDirectory.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        chmod(paths.stateDirectory.path, 0o777)
        let error = #expect(throws: ConfigError.self) { try paths.ensureStateDirectory() }
        #expect(error?.message.contains("chmod 700") == true)
        chmod(paths.stateDirectory.path, 0o700)
        try FileManager.default.createSymbolicLink(atPath: paths.logFile.path, withDestinationPath: dir.appendingPathComponent("elsewhere").path)
        let link = #expect(throws: ConfigError.self) { try paths.ensureStateDirectory() }
        #expect(link?.message.contains("symbolic link") == true)
    }

    @Test(arguments: [
        " http://127.0.0.1:8080/api/v2/", "http://127.0.0.1:8080/api/v2/ ", "127.0.0.1:8080", "ftp://host/x",
        "http:///api/v2/", "http://user:pw@127.0.0.1:8080/api/v2/", "http://user@127.0.0.1/api/v2/", "not a url",
        "http://127.0.0.1:8080/api/v2/?x=1", "http://127.0.0.1:8080/api/v2/#f", "http://127.0.0.1:8080/api/v2/?x=1#f",
        "http://127.0.0.1:99999/api/v2/", "http://127.0.0.1:65536/", "http://127.0.0.1:8080/api/v2/\nx",
    ])
    func aBaseURLThatIsNotExactlyAnHTTPURLWithAHostIsAnError(base: String) throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(environment: ["HOME": dir.path, "WOLKVOX_BASE_URL": base, "WOLKVOX_SERVER": "sim"])
        }
        #expect(error?.message.contains("WOLKVOX_BASE_URL") == true)
        #expect(error?.message.contains("pw") == false, "a password is never echoed")
        let file = try write("config.toml", "base_url = \"\(base)\"\n")
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: file, environment: ["HOME": dir.path]) }
    }

    @Test func aGoodBaseURLIsKept() throws {
        let config = try ConfigLoader.load(environment: ["HOME": dir.path, "WOLKVOX_BASE_URL": "http://127.0.0.1:8080/api/v2/"])
        #expect(config.baseURL?.absoluteString == "http://127.0.0.1:8080/api/v2/")
    }
}

/// Inputs `scripts/fuzz.sh` found crashing, kept as regression tests.
extension ConfigLoaderTests {
    /// `[[[[x`: toml++ asserted (abort; undefined behaviour with NDEBUG)
    /// on a table header with no name after its brackets. One line that
    /// names the file and line instead, and nothing crashes.
    @Test(arguments: ["[[[[sesesese", "server = \"1\"\n[[[x]]]\n", "[ [ x", "[\t[[a]]", "[\n\0\0\0S]\n", "\n[\n\ndanger\n", "[[ \r\n", "r=[} ", "a = [1,\n # c\n }]", "server = 2002----se 9 \nthea"])
    func aTableHeaderWithoutANameIsOneErrorNotACrash(text: String) throws {
        let file = try write("config.toml", text)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: file, environment: [:]) }
        do { _ = try ConfigLoader.load(path: file, environment: [:]) } catch {
            let line = String(describing: error)
            #expect(line.contains("config.toml:") && !line.contains("\n"), "\(line)")
        }
        #expect(ConfigLoader.language(path: file, environment: [:]) == nil)
    }

    /// The checks read strings and comments as such where they can, and
    /// refuse a header-like line even inside a multi-line string (a `"""` in
    /// a comment fooled a reader that tried).
    @Test func theChecksReadStringsAndCommentsAsSuch() {
        #expect(SafeTOML.badHeader(in: "# a \"\"\" comment\n[\u{F5}colors]\n")?.line == 2)
        #expect(SafeTOML.badHeader(in: "a = 1\n[ok]\n[[also.ok]]\n") == nil)
        // Found by the fuzzer: a combining mark after `[` (one Character with
        // it), and a BOM before the first line.
        #expect(SafeTOML.badHeader(in: "\t \t[\u{652}")?.line == 1)
        #expect(SafeTOML.badHeader(in: "\u{FEFF}[# x\n")?.line == 1)
        #expect(SafeTOML.badDateLike(in: "a = 2024-05-01 10:00:00\nb = \"x\"\n") == nil)
        #expect(SafeTOML.badDateLike(in: "a = 1\nserver = 2002----se 9\n")?.line == 2)
        #expect(SafeTOML.braceInArray(in: "a = [\"}\", '}', { b = 1 }]\nc = [ # }\n 1 ]\n[t]\nd = 1\n") == nil)
    }
}

/// The team store's credentials (issue 36).
extension ConfigLoaderTests {
    /// A password smuggled into the user part is refused like one in its
    /// place, and the error never shows it.
    @Test(arguments: ["postgresql://ana%3Asecretpw@db:5432/wv", "postgresql://ana%3asecretpw@db/wv", "postgresql://ana:secretpw@db/wv"])
    func aPasswordInTheStoreURLIsRefusedWhereverItHides(url: String) {
        let error = #expect(throws: ConfigError.self) { try StoreLocation.parse(url, from: "store") }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("carries a password") && !text.contains("secretpw"), "\(text)")
    }

    /// store_password_file follows the token file's rules: a symlink is refused.
    @Test func aSymlinkedStorePasswordFileIsRefused() throws {
        let real = try write("real-password", "pw\n")
        let link = dir.appendingPathComponent("store-password").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real.path)
        guard case .postgres(var location) = try StoreLocation.parse("postgresql://ana@db/wv", from: "store") else {
            Issue.record("not a postgres location")
            return
        }
        location.passwordFile = link
        let error = #expect(throws: ConfigError.self) { try location.password(environment: [:]) }
        #expect(error.map { String(describing: $0).contains("symbolic link") } == true, "\(String(describing: error))")
    }
}
