import ConsoleConfig
import Foundation
import Logging
import Simulator
import TeamStore
import WolkvoxAPI

// 200 operators on one team gate (issue 32): each operator has its own
// PostgreSQL store and gate (its own connections, as its own process would),
// and its own machine gate as the fallback (as on its own machine); all share
// one token at max_in_flight = 2 against a simulator that counts requests in
// flight per token. They search, cancel searches and block numbers for the
// run's length. Run by Benchmarks/team-crowd.sh, which also restarts
// PostgreSQL mid-run.
//   TeamCrowd OPERATORS SECONDS
// Prints: calls by kind and outcome, the simulator's peak in flight and its
// refusals, slot waits p50/p99/max, the longest any operator waited, the
// seconds in which calls failed (the restart). The script samples the
// connections held on PostgreSQL.

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * p))]
}

/// The time a call waited for its permit, around any gate.
struct MeasuringGate: PermitGate {
    let inner: any PermitGate
    let record: @Sendable (Double) -> Void
    var limit: Int { inner.limit }
    func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        return try await inner.withPermit {
            record(ms(ContinuousClock.now - asked))
            return try await body()
        }
    }
}

final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    var waits: [Double] = []
    var longestByOperator: [Int: Double] = [:]
    var outcomes: [String: Int] = [:]
    var failuresBySecond: [Int: Int] = [:]
    func wait(_ op: Int, _ ms: Double) {
        lock.withLock {
            waits.append(ms)
            longestByOperator[op] = max(longestByOperator[op] ?? 0, ms)
        }
    }
    func outcome(_ key: String, second: Int, failed: Bool) {
        lock.withLock {
            outcomes[key, default: 0] += 1
            if failed { failuresBySecond[second, default: 0] += 1 }
        }
    }
    func read<T>(_ f: (Tally) -> T) -> T { lock.withLock { f(self) } }
}

/// One operator, until `end`: its own store, team gate and machine gate.
func runOperator(
    _ op: Int, location: PostgresLocation, endpoint: ServiceEndpoint, token: APIToken, tally: Tally, started: ContinuousClock.Instant,
    end: ContinuousClock.Instant, scratch: URL, phones: [String], think: ClosedRange<Int>
) async throws {
    // Operators start within the first 10 s (a shift starting), and one
    // whose store does not open at once tries again, as a console would.
    try await Task.sleep(for: .milliseconds(Int.random(in: 0..<10_000)))
    var opened: PostgresStore?
    for attempt in 1...5 where opened == nil {
        do { opened = try await PostgresStore.open(location, operatorName: "op\(op)", environment: [:]) } catch {
            tally.outcome("store open failed (attempt \(attempt))", second: Int(ms(ContinuousClock.now - started) / 1000), failed: true)
            try await Task.sleep(for: .seconds(2))
        }
    }
    guard let store = opened else { return }
    defer { store.close() }
    let machine = try MachineGate(
        directory: scratch.appendingPathComponent("m\(op)"), server: "sim", tokenFingerprint: token.fingerprint, limit: 2)
    let gate = PostgresGate(store: store, server: "sim", tokenFingerprint: token.fingerprint, limit: 2, fallback: machine, retryAfter: .seconds(2))
    let measured = MeasuringGate(inner: gate) { tally.wait(op, $0) }
    gate.observeFallback { reason in
        if reason != nil { tally.outcome("gate fell back to the machine's", second: Int(ms(ContinuousClock.now - started) / 1000), failed: false) }
    }
    let client = WolkvoxClient(
        endpoint: endpoint, token: token, transport: NIOTransport.shared, gate: measured, journal: store,
        timeout: .seconds(60), readRetryDelay: .milliseconds(200))
    var rng = SystemRandomNumberGenerator()
    while ContinuousClock.now < end {
        let second = Int(ms(ContinuousClock.now - started) / 1000)
        let roll = Int.random(in: 0..<100, using: &rng)
        let kind: String
        var failed = false
        do {
            if roll < 70 {
                kind = "search"
                _ = try await client.find(FindQuery(phone: phones.randomElement(using: &rng)!))
            } else if roll < 85 {
                kind = "search-cancelled"
                let search = Task { try await client.find(FindQuery(phone: phones.randomElement()!)) }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...60, using: &rng)))
                search.cancel()
                // Answered before the cancel came: "ok"; else the cancel's kind.
                _ = try await search.value
            } else {
                kind = "block"
                _ = try await client.addDNC([DNCEntry(telephone: "300\(1_000_000 + Int.random(in: 0..<9_000_000, using: &rng))", days: 1)])
            }
            tally.outcome(kind + " ok", second: second, failed: false)
        } catch let e as APIError {
            failed = e.kind != "cancelled"
            tally.outcome("\(roll < 70 ? "search" : roll < 85 ? "search-cancelled" : "block") \(e.kind)", second: second, failed: failed)
        }
        // An operator reads the screen before the next action.
        try await Task.sleep(for: .milliseconds(Int.random(in: think, using: &rng)))
    }
}

// The gate's info lines ("waiting for a team slot…") would be thousands here.
LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
let args = CommandLine.arguments
let operators = args.count > 1 ? Int(args[1]) ?? 200 : 200
let seconds = args.count > 2 ? Int(args[2]) ?? 180 : 180
// Milliseconds between one operator's actions (reading the screen, talking).
let think = args.count > 4 ? (Int(args[3]) ?? 2_000)...(Int(args[4]) ?? 10_000) : 2_000...10_000
guard let url = ProcessInfo.processInfo.environment["WVCONSOLE_TEST_PG"],
    case .postgres(var location) = try StoreLocation.parse(url, from: "WVCONSOLE_TEST_PG")
else {
    print("set WVCONSOLE_TEST_PG=postgresql://user@host:port/db (scripts/test-postgres.sh start DIR)")
    exit(1)
}
location.sslMode = .disable
// Searches take 20–60 ms at the server, a block 80 ms: slots are contended.
let sim = try await SimulatorServer.start(
    SimulatorConfig(records: 2_000, campaigns: 4, licenses: 100_000, faults: try FaultPlan(spec: "find_record:latency=40,add_dnc:latency=80")))
let token = APIToken(SimulatorConfig.demoToken)!
let endpoint = try ServiceEndpoint(server: "sim", baseURL: sim.baseURL)
let tally = Tally()
let started = ContinuousClock.now
let end = started + .seconds(seconds)
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("teamcrowd-\(getpid())")
let phones = ["3001234567", "3009990000", "3001112222", "3005550000", "3007770000"]

print("TeamCrowd: \(operators) operators, \(seconds) s, \(think.lowerBound)–\(think.upperBound) ms between actions, max_in_flight 2, PostgreSQL \(location.host):\(location.port)")
try await withThrowingTaskGroup(of: Void.self) { group in
    for op in 0..<operators {
        group.addTask { [location, endpoint, token, tally, started, end, scratch, phones, think] in
            try await runOperator(
                op, location: location, endpoint: endpoint, token: token, tally: tally, started: started, end: end, scratch: scratch, phones: phones,
                think: think)
        }
    }
    try await group.waitForAll()
}
let state = await sim.state()
tally.read { t in
    for (k, v) in t.outcomes.sorted(by: { $0.key < $1.key }) { print("  \(k): \(v)") }
    print(String(format: "slot wait: p50 %.1f ms · p99 %.1f ms · max %.1f ms (n=%d)", percentile(t.waits, 0.5), percentile(t.waits, 0.99), t.waits.max() ?? 0, t.waits.count))
    let longest = t.longestByOperator.values.sorted()
    print(String(format: "fairness: the longest any operator waited %.1f ms; median operator's longest %.1f ms", longest.last ?? 0, percentile(longest, 0.5)))
    if !t.failuresBySecond.isEmpty {
        print("seconds with failed calls: " + t.failuresBySecond.sorted { $0.key < $1.key }.map { "\($0.key)s:\($0.value)" }.joined(separator: " "))
    }
}
print("simulator: peak in flight \(state.peakInFlight), refused as simultaneous \(state.rejectedForConcurrency), calls \(state.callsToday)")
await sim.stop()
try? FileManager.default.removeItem(at: scratch)
