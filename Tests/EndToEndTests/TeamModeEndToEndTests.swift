import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// Team mode with the real binary: operators on "different machines" (a
/// HOME, a machine gate and a config each) share one token through one
/// PostgreSQL store, against wvsim. Needs WVCONSOLE_TEST_PG (`.ci/run` starts
/// a cluster); fails without it in CI, skips locally.
@Suite(
    .serialized, .enabled(if: Products.path("wvconsole") != nil, "needs a built wvconsole"),
    .enabled(
        if: ProcessInfo.processInfo.environment["WVCONSOLE_TEST_PG"].map { !$0.isEmpty } ?? false
            || ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false,
        "needs PostgreSQL: run scripts/test-postgres.sh start DIR and export WVCONSOLE_TEST_PG (CI does)"))
struct TeamModeEndToEndTests {
    typealias Rig = CLIEndToEndTests.Rig
    static var bin: String { Products.path("wvconsole")! }

    /// A database of its own on the test cluster: its URL, and how to drop it.
    static func database() async -> (url: String, drop: @Sendable () async -> Void)? {
        guard let admin = ProcessInfo.processInfo.environment["WVCONSOLE_TEST_PG"], !admin.isEmpty else {
            if ProcessInfo.processInfo.environment["CI"].map({ !$0.isEmpty && $0 != "false" }) ?? false {
                Issue.record("WVCONSOLE_TEST_PG is not set: CI must start PostgreSQL (.ci/run) for the team-mode tests")
            } else {
                print("note: WVCONSOLE_TEST_PG is unset; skipping the team-mode end-to-end tests")
            }
            return nil
        }
        let name = "wve_" + UUID().uuidString.prefix(8).lowercased()
        let made = await Shell.runAsync("psql '\(admin)' -qAt -c 'CREATE DATABASE \(name)'")
        guard made.status == 0, var c = URLComponents(string: admin) else {
            Issue.record("CREATE DATABASE failed: \(made.output)")
            return nil
        }
        c.path = "/" + name
        // The whole suite runs in parallel on two cores: a slow answer is not a dead database here.
        let url = c.string! + "?sslmode=disable&connect_timeout=30"
        return (url, { _ = await Shell.runAsync("psql '\(admin)' -qAt -c 'DROP DATABASE IF EXISTS \(name) WITH (FORCE)'") })
    }

    /// One operator's machine: its own HOME (so its own machine-wide gate and
    /// local store, which team mode must not need), the shared simulator and store.
    static func machine(_ rig: Rig, _ name: String, store: String, limit: Int = 2) throws -> Rig {
        let home = rig.home.appendingPathComponent(name)
        let config = home.appendingPathComponent("config/wvconsole")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        let file = config.appendingPathComponent("config.toml")
        try "operator = \"\(name)\"\nmax_in_flight = \(limit)\nstore = \"\(store)\"\n".write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o600)
        var env = rig.env
        env["HOME"] = home.path
        env["XDG_STATE_HOME"] = home.path + "/state"
        env["XDG_CONFIG_HOME"] = home.path + "/config"
        env["XDG_RUNTIME_DIR"] = home.path + "/run"
        // Each "machine" has its own request-slot folder, as separate machines would.
        env["WVCONSOLE_GATE_DIR"] = home.path + "/run/wvconsole"
        return Rig(sim: rig.sim, home: home, env: env)
    }

    static func json(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "\(text)")
    }

    /// Three operators on three machines, one token, `max_in_flight = 2`: two
    /// find loops with a write each and a 25,000-row import. wvsim never sees
    /// more than 2 in flight, nothing is refused as simultaneous, the team
    /// meter is wvsim's count, the audit log names all three, and the token's
    /// bytes are nowhere in a dump of the database.
    @Test func threeOperatorsShareOneGateOneMeterAndOneAuditLog() async throws {
        guard let db = await Self.database() else { return }
        let rig = try await Rig.start(faults: "find_record:latency=25,add_record:latency=250")
        let ana = try Self.machine(rig, "ana", store: db.url), luis = try Self.machine(rig, "luis", store: db.url)
        let sup = try Self.machine(rig, "supervisora", store: db.url)
        _ = try await SharedTokenEndToEndTests.twoFindLoopsAndAnImport(ana, luis, importer: sup, prefix: "T")
        let dnc = await ana.run("dnc add 3001112222 --days 7")
        let recall = await luis.run("recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567")
        #expect(dnc.status == 0 && recall.status == 0, "\(dnc.err) \(recall.err)")
        let state = await rig.sim.state()
        #expect(state.peakInFlight <= 2 && state.rejectedForConcurrency == 0, "peak \(state.peakInFlight)")
        let statuses = await rig.sim.requests().map(\.status)
        #expect(!statuses.contains(403), "\(statuses)")
        // One meter for the team: the database's count is the simulator's.
        let meter = await Shell.runAsync("psql '\(db.url)' -qAt -c 'SELECT sum(calls) FROM call_counter'")
        #expect(
            Int(meter.output.trimmingCharacters(in: .whitespacesAndNewlines)) == state.callsToday, "team meter \(meter.output) vs wvsim \(state.callsToday)")
        // One audit log: anyone sees everyone's actions, with who did them.
        let all = try Self.json(await luis.run("audit --json").out)
        #expect(Set(all.compactMap { $0["operator"] as? String }) == ["ana", "luis", "supervisora"], "\(all.map { $0["operator"] ?? "-" })")
        #expect(all.count == 5, "3 import chunks, 1 block, 1 recall")
        let anas = try Self.json(await sup.run("audit --operator ana --json").out)
        #expect(anas.count == 1 && anas.first?["api"] as? String == "add_dnc")
        let mine = try Self.json(await sup.run("audit --mine --json").out)
        #expect(mine.count == 3 && mine.allSatisfy { $0["operator"] as? String == "supervisora" })
        // Nothing of the token reached the database.
        let dump = await Shell.runAsync("pg_dump '\(db.url)' 2>&1")
        #expect(dump.status == 0 && dump.output.contains("call_counter"))
        #expect(!dump.output.contains(SimulatorConfig.demoToken), "the token's bytes are in the database")
        await rig.sim.stop()
        await db.drop()
    }

    /// A team-mode process and a local one (a rollout, an operator without
    /// `store`) on one machine and one token share its limit: the team gate
    /// takes the machine's slot first. Before, the team process never took
    /// the machine's lock files and the two together exceeded max_in_flight.
    @Test func teamAndLocalProcessesOnOneMachineShareTheLimit() async throws {
        guard let db = await Self.database() else { return }
        let rig = try await Rig.start(faults: "find_record:latency=300")
        let team = try Self.machine(rig, "ana", store: db.url, limit: 1)
        var local = try Self.machine(rig, "bob", store: db.url, limit: 1)
        // bob: the same machine (ana's slot folder), no team store.
        let config = local.home.appendingPathComponent("config/wvconsole/config.toml")
        try "operator = \"bob\"\nmax_in_flight = 1\n".write(to: config, atomically: true, encoding: .utf8)
        chmod(config.path, 0o600)
        local.env["WVCONSOLE_GATE_DIR"] = team.env["WVCONSOLE_GATE_DIR"]
        let both = [team, local]
        let statuses = await withTaskGroup(of: Int32.self) { group in
            for i in 0..<8 { group.addTask { await both[i % 2].run("find --phone 3001234567").status } }
            return await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
        let state = await rig.sim.state()
        #expect(state.peakInFlight == 1, "the simulator saw \(state.peakInFlight) at once with max_in_flight = 1")
        #expect(state.rejectedForConcurrency == 0)
        await rig.sim.stop()
        await db.drop()
    }

    /// The database goes away (its connection is cut mid-run) and comes back:
    /// reads go on with a warning, writes are refused in one line and never
    /// sent, an action in flight when it went stays unconfirmed for the whole
    /// team, and nothing journaled before is lost.
    @Test func theDatabaseGoingAwayRefusesWritesKeepsReadsAndLosesNothing() async throws {
        guard let db = await Self.database() else { return }
        var c = try #require(URLComponents(string: db.url))
        let target = try #require(c.port)
        let port = 20_000 + Int.random(in: 0..<20_000)
        c.port = port
        let proxied = c.string!
        let rig = try await Rig.start(faults: "add_dnc:latency=1500*1")
        let ana = try Self.machine(rig, "ana", store: proxied, limit: 1)
        let proxy = Proxy(listen: port, target: target)
        try await proxy.start()
        // An action in flight when the database goes: sent, its answer not recordable.
        async let inFlight = ana.run("dnc add 3001112222 --days 7")
        var deadline = Date().addingTimeInterval(20)
        while await rig.calls("add_dnc") < 1, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await rig.calls("add_dnc") == 1)
        proxy.stop()
        let cut = await inFlight
        #expect(cut.status == 7, "done but not journaled: \(cut.status) \(cut.err)")
        // Reads go on through the machine-wide gate, saying why.
        let read = await ana.run("find --phone 3001234567")
        #expect(read.status == 0 && read.err.contains("Team store unreachable"), "\(read.status) \(read.err)")
        #expect(read.err.split(separator: "\n").count == 1, "one line for the store and the gate it takes with it: \(read.err)")
        // check says it in its own words: a store line, not an action's refusal.
        let check = await ana.run("check")
        #expect(check.status == 3 && check.err.hasPrefix("wvconsole: store: unreachable"), "\(check.status) \(check.err)")
        #expect(!check.err.contains("could not record this action") && !check.err.contains("ConnectionPoolError"), "\(check.err)")
        // Writes are refused in one line, and nothing is sent.
        let refused = await ana.run("dnc add 3005556666 --days 7")
        #expect(refused.status != 0 && refused.err.split(separator: "\n").count == 1, "\(refused.err)")
        #expect(refused.err.contains("not sent"), "\(refused.err)")
        #expect(await rig.calls("add_dnc") == 1)
        // Back: the in-flight action is unconfirmed for everyone; the next write works.
        try await proxy.start()
        let luis = try Self.machine(rig, "luis", store: proxied, limit: 1)
        let pending = try Self.json(await luis.run("audit --unconfirmed --json").out)
        #expect(pending.count == 1 && pending.first?["operator"] as? String == "ana" && pending.first?["api"] as? String == "add_dnc")
        let id = try #require(pending.first?["id"] as? Int)
        let resolved = await luis.run("audit --resolve \(id) --note 'blocked on the server, checked'")
        #expect(resolved.status == 0, "\(resolved.err)")
        let again = await ana.run("dnc add 3005556666 --days 7")
        #expect(again.status == 0, "\(again.err)")
        let all = try Self.json(await ana.run("audit --json").out)
        #expect(all.count == 2 && all.last?["resolved_by"] as? String == "luis", "\(all)")
        deadline = Date()
        proxy.stop()
        await rig.sim.stop()
        await db.drop()
    }

    /// A wvconsole killed with `kill -9` while it holds the team's only slot
    /// (its request is out) frees the slot when its session ends: another
    /// operator's search that was waiting for it goes out within 2 s, and the
    /// killed action stays unconfirmed for the whole team. (Known gap: on
    /// another machine nothing knows that the server may still be running
    /// the killed request — the lease that makes a process on the same
    /// machine wait is in that machine's lock file; a shared lease needs the
    /// team schema's next version. See README, "A cancel does not give the
    /// slot back early".)
    @Test func killingTheProcessThatHoldsTheSlotFreesItWithinTwoSeconds() async throws {
        guard let db = await Self.database() else { return }
        let rig = try await Rig.start(faults: "add_dnc:latency=10000*1")
        let ana = try Self.machine(rig, "ana", store: db.url, limit: 1)
        let luis = try Self.machine(rig, "luis", store: db.url, limit: 1)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: Self.bin)
        holder.arguments = ["dnc", "add", "3001112222", "--days", "7"]
        holder.environment = ana.env
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        // Ana's block is on the wire: she holds the slot for the next 10 s.
        let deadline = Date().addingTimeInterval(30)
        while await rig.calls("add_dnc") < 1, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await rig.calls("add_dnc") == 1)
        // Luis's search waits for that slot instead of going out: his own log
        // says it waits (evidence, not a fixed window), and nothing went out.
        async let search = luis.run("find --phone 3001234567")
        let log = luis.home.appendingPathComponent("state/wvconsole/wvconsole.log")
        let waitFrom = ContinuousClock.now
        while !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("waiting for a team slot"), ContinuousClock.now - waitFrom < .seconds(20) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("waiting for a team slot"), "luis's search never said it waits")
        #expect(await rig.calls("find_record") == 0, "the search went out while the only slot was held")
        let killed = ContinuousClock.now
        kill(holder.processIdentifier, SIGKILL)
        var sent: ContinuousClock.Instant?
        while sent == nil, ContinuousClock.now - killed < .seconds(20) {
            if await rig.calls("find_record") > 0 { sent = .now } else { try await Task.sleep(for: .milliseconds(5)) }
        }
        let handoff = try #require(sent, "the search never went out after the holder was killed") - killed
        print("kill -9 of the wvconsole holding the team slot → the waiting search goes out: \(handoff)")
        #expect(handoff < .seconds(2), "the slot was free \(handoff) after the kill")
        let found = await search
        #expect(found.status == 0, "\(found.err)")
        // The killed action is the team's to resolve, not silently lost.
        let pending = try Self.json(await luis.run("audit --unconfirmed --json").out)
        #expect(pending.count == 1 && pending.first?["operator"] as? String == "ana", "\(pending)")
        await rig.sim.stop()
        await db.drop()
    }

    /// `tcp-proxy.py` in front of the database: stopping it cuts every connection.
    final class Proxy: @unchecked Sendable {
        let listen: Int, target: Int
        var process: Process?
        init(listen: Int, target: Int) {
            self.listen = listen
            self.target = target
        }

        func start() async throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", Products.root.appendingPathComponent("scripts/testing/tcp-proxy.py").path, String(listen), String(target)]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            process = p
            // Ready once it says so.
            _ = await Task.detached { out.fileHandleForReading.availableData }.value
        }

        func stop() {
            guard let p = process else { return }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            process = nil
        }

        deinit { stop() }
    }
}
