import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// The installed product, as IT installs it: `scripts/install.sh` (what
/// `make install` runs) into a temporary prefix, then the installed binaries
/// run with the build tree hidden from them.
///
/// The manual pages need argument-parser's `generate-manual` tool built
/// beside the products (`.ci/run` builds it before `swift test`; SwiftPM's
/// lock forbids building it from inside a test). Without it the suite fails
/// in CI and is skipped, saying why, on a developer's machine.
enum InstallTools {
    static var generateManual: String? { Products.path("generate-manual") }
    static var ready: Bool { Products.path("wvconsole") != nil && (generateManual != nil || ProcessInfo.processInfo.environment["CI"] != nil) }
}

@Suite(.serialized, .enabled(if: InstallTools.ready, "needs `swift build --product generate-manual` first (.ci/run does it)"))
struct InstallEndToEndTests {
    static var generateManual: String? { InstallTools.generateManual }

    struct Installed {
        let prefix: URL
        var bin: String { prefix.appendingPathComponent("bin").path }
        var env: [String: String] {
            let home = prefix.appendingPathComponent("home").path
            return [
                "HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config", "WVCONSOLE_GATE_DIR": home + "/gate", "LANG": "C.UTF-8",
                "LC_ALL": "", "LC_MESSAGES": "",
            ]
        }
    }

    static func install() async throws -> Installed {
        let tool = try #require(generateManual, "generate-manual is not built: run `swift build --product generate-manual`")
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("wvinst-\(UUID().uuidString)")
        let binDir = URL(fileURLWithPath: Products.path("wvconsole")!).deletingLastPathComponent().path
        let r = await Shell.runAsync(
            "\(Products.root.path)/scripts/install.sh install PREFIX=\(prefix.path) SKIP_BUILD=1 BIN_DIR=\(binDir) GENERATE_MANUAL=\(tool)")
        #expect(r.status == 0, "\(r.output)")
        return Installed(prefix: prefix)
    }

    /// Runs `command` in a private mount namespace where the build tree is an
    /// empty folder: whatever the installed binary reads must be inside it.
    static func withoutBuildTree(_ command: String, environment: [String: String]) async -> (status: Int32, output: String) {
        let build = Products.root.appendingPathComponent(".build").path
        let inner = "mount -t tmpfs none \(Shell.quote(build)) && \(command)"
        return await Shell.runAsync("unshare -m --propagation private sh -c \(Shell.quote(inner))", environment: environment)
    }

    @Test func theInstalledBinariesRunWithoutTheBuildTree() async throws {
        let inst = try await Self.install()
        let files = Set(try FileManager.default.subpathsOfDirectory(atPath: inst.prefix.path))
        for expected in [
            "bin/wvconsole", "bin/wvsim", "share/wvconsole/themes/dark.toml", "share/wvconsole/themes/light.toml",
            "share/man/man1/wvconsole.1", "share/man/man1/wvconsole.find.1", "share/man/man1/wvconsole.dnc.add.1",
            "share/man/man1/wvsim.1", "share/bash-completion/completions/wvconsole",
            "share/zsh/site-functions/_wvconsole", "share/fish/vendor_completions.d/wvconsole.fish",
        ] {
            #expect(files.contains(expected), "missing \(expected)")
        }
        let version = await Self.withoutBuildTree("\(inst.bin)/wvconsole --version && \(inst.bin)/wvsim --version", environment: inst.env)
        #expect(version.status == 0 && version.output.contains("0.2.0 (commit "), "\(version.output)")
        let hidden = await Self.withoutBuildTree("ls \(Products.root.path)/.build | wc -l", environment: inst.env)
        #expect(hidden.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the build tree is hidden: \(hidden.output)")
        var es = inst.env
        es["LANG"] = "es_CO.UTF-8"
        let help = await Self.withoutBuildTree("\(inst.bin)/wvconsole --help", environment: es)
        #expect(help.status == 0 && help.output.contains("Una consola de terminal") && !help.output.contains("cli.abstract"), "\(help.output)")
        // check against the installed wvsim, both from the installed tree.
        // Below Linux's ephemeral range (32768+), where other tests' connections take ports;
        // the simulator is waited for instead of given a fixed second (a busy CI box took longer).
        let port = 20_000 + Int.random(in: 0..<12_000)
        let check = await Self.withoutBuildTree(
            """
            WVSIM_TOKEN=inst-token \(inst.bin)/wvsim --port \(port) >/dev/null 2>&1 & sim=$!; \
            export WOLKVOX_SERVER=sim WOLKVOX_BASE_URL=http://127.0.0.1:\(port)/api/v2/ WOLKVOX_TOKEN=inst-token; \
            for i in $(seq 40); do \(inst.bin)/wvconsole check >/dev/null 2>&1 && break; sleep 0.25; done; \
            \(inst.bin)/wvconsole check; s=$?; kill $sim; exit $s
            """, environment: inst.env)
        #expect(check.status == 0 && check.output.contains("127.0.0.1:\(port)"), "\(check.output)")
        // --demo reaches its first frame in tmux, from the installed binary.
        if Products.tmuxAvailable {
            let session = try TmuxSession(
                command: "unshare -m --propagation private sh -c "
                    + Shell.quote("mount -t tmpfs none \(Products.root.path)/.build && \(inst.bin)/wvconsole --demo"),
                width: 80, height: 24, environment: inst.env)
            #expect(await session.waitFor("Search").found, "\(session.screen())")
            session.keys("C-c")
            session.close()
        }
        // Every page renders at 80 columns without a warning.
        for page in files.filter({ $0.hasSuffix(".1") }) {
            let r = await Shell.runAsync("MANWIDTH=80 LANG=C man --warnings -l \(inst.prefix.path)/\(page) 2>&1 >/dev/null")
            #expect(r.status == 0 && r.output.isEmpty, "\(page): \(r.output)")
        }
        // Uninstall takes exactly what was installed.
        let gone = await Shell.runAsync("\(Products.root.path)/scripts/install.sh uninstall PREFIX=\(inst.prefix.path)")
        #expect(gone.status == 0, "\(gone.output)")
        for file in files where !file.hasPrefix("home") {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: inst.prefix.appendingPathComponent(file).path, isDirectory: &isDir)
            #expect(!exists || isDir.boolValue, "left behind: \(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: inst.bin + "/wvconsole"))
    }

    @Test func anUnwritablePrefixInstallsNothing() async throws {
        let tool = try #require(Self.generateManual)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("wvro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // A file where the prefix's bin folder must go: nothing can be written under it.
        try Data().write(to: base.appendingPathComponent("share"))
        let binDir = URL(fileURLWithPath: Products.path("wvconsole")!).deletingLastPathComponent().path
        let r = await Shell.runAsync(
            "\(Products.root.path)/scripts/install.sh install PREFIX=\(base.path) SKIP_BUILD=1 BIN_DIR=\(binDir) GENERATE_MANUAL=\(tool)")
        #expect(r.status != 0)
        #expect(r.output.split(separator: "\n").count == 1 && r.output.contains("nothing was installed"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("bin/wvconsole").path), "no half install")
    }

    @Test func thePackagesHoldTheInstalledTree() async throws {
        let tool = try #require(Self.generateManual)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("wvpkg-\(UUID().uuidString)")
        let binDir = URL(fileURLWithPath: Products.path("wvconsole")!).deletingLastPathComponent().path
        let r = await Shell.runAsync(
            "OUT=\(out.path) SKIP_BUILD=1 BIN_DIR=\(binDir) GENERATE_MANUAL=\(tool) DEB_COMPRESS=none \(Products.root.path)/scripts/package.sh")
        #expect(r.status == 0, "\(r.output)")
        let debs = (try? FileManager.default.contentsOfDirectory(atPath: out.path))?.filter { $0.hasSuffix(".deb") } ?? []
        let deb = try #require(debs.first.map { out.appendingPathComponent($0).path })
        let info = await Shell.runAsync("dpkg-deb --field \(deb) Depends")
        #expect(info.output.contains("libncursesw6") && info.output.contains("libsqlite3-0"), "\(info.output)")
        let contents = await Shell.runAsync("dpkg-deb --contents \(deb)")
        #expect(contents.output.contains("./usr/bin/wvconsole") && contents.output.contains("./usr/share/man/man1/wvconsole.1"))
        let root = out.appendingPathComponent("root")
        let x = await Shell.runAsync("dpkg -x \(deb) \(root.path) && \(root.path)/usr/bin/wvconsole --version")
        #expect(x.status == 0 && x.output.contains("0.2.0"), "\(x.output)")
        let tgz = (try? FileManager.default.contentsOfDirectory(atPath: out.path))?.first { $0.hasSuffix("linux-\(Self.machine).tar.gz") }
        #expect(tgz != nil, "wvconsole-VERSION-linux-ARCH.tar.gz")
        if let tgz {
            let list = await Shell.runAsync("tar tzf \(out.appendingPathComponent(tgz).path)")
            #expect(list.output.contains("/bin/wvconsole") && list.output.contains("/README.md"))
        }
    }

    static var machine: String { Shell.run("uname -m").output.trimmingCharacters(in: .whitespacesAndNewlines) }
}
