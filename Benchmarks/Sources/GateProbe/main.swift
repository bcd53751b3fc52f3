import Foundation
import WolkvoxAPI

// The machine-wide gate's figures (issue 17), run by `gate.sh`:
//   GateProbe gate                       uncontended acquire+release of a MachineGate: p50/p99/max
//   GateProbe finds URL TOKEN N P DIR    N small finds against URL split over P processes sharing
//                                        the token through lock files in DIR; prints finds/s
//   GateProbe child URL TOKEN N DIR      one of those processes (spawned by `finds`)

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count) * p))]
}

let args = CommandLine.arguments
let clock = ContinuousClock()

func lockDir() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("wvgate-probe-\(getpid())", isDirectory: true)
}

/// `n` runs of `body`, each timed in milliseconds.
func timed(_ n: Int, _ body: () async throws -> Void) async rethrows -> [Double] {
    var times: [Double] = []
    for _ in 0..<n {
        let start = clock.now
        try await body()
        times.append(ms(clock.now - start))
    }
    return times
}

switch args.count > 1 ? args[1] : "" {
case "gate":
    let gate = try MachineGate(directory: lockDir(), server: "bench", tokenFingerprint: "0123456789abcdef", limit: 1)
    for _ in 0..<1_000 { try await gate.withPermit {} }  // warm up
    let times = try await timed(20_000) { try await gate.withPermit {} }
    print(
        String(
            format: "uncontended MachineGate acquire+release: p50 %.4f ms · p99 %.4f ms · max %.3f ms (n=%d)",
            percentile(times, 0.5), percentile(times, 0.99), times.max()!, times.count))
    let local = TokenGate(limit: 1)
    let inProcess = try await timed(20_000) { try await local.withPermit {} }
    print(
        String(
            format: "uncontended TokenGate (in-process) acquire+release: p50 %.4f ms · p99 %.4f ms (n=%d)",
            percentile(inProcess, 0.5), percentile(inProcess, 0.99), inProcess.count))

case "child":
    let (url, token, count, dir) = (URL(string: args[2])!, args[3], Int(args[4])!, URL(fileURLWithPath: args[5]))
    let endpoint = try ServiceEndpoint(server: "bench", baseURL: url)
    let apiToken = APIToken(token)!
    let gate = try MachineGate(directory: dir, server: "bench", tokenFingerprint: apiToken.fingerprint, limit: 1)
    let client = WolkvoxClient(endpoint: endpoint, token: apiToken, transport: NIOTransport.shared, gate: gate, journal: MemoryJournal())
    var failures = 0
    for i in 0..<count {
        do { _ = try await client.find(FindQuery(customerID: "CC\(1001 + i % 50)")) } catch { failures += 1 }
    }
    print(failures)

case "finds":
    let (url, token, total, procs) = (args[2], args[3], Int(args[4])!, Int(args[5])!)
    let dir = args[6]
    let start = clock.now
    var children: [(pid: pid_t, out: URL)] = []
    for p in 0..<procs {
        let share = total / procs + (p < total % procs ? 1 : 0)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gateprobe-\(getpid())-\(p).out")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var argv: [UnsafeMutablePointer<CChar>?] = []
        for word in [args[0], "child", url, token, String(share), dir] { argv.append(strdup(word)) }
        argv.append(nil)
        var pid: pid_t = 0
        guard posix_spawn(&pid, args[0], &actions, nil, argv, environ) == 0 else { fatalError("spawn failed") }
        argv.forEach { free($0) }
        children.append((pid, out))
    }
    var failures = 0
    for child in children {
        var status: Int32 = 0
        waitpid(child.pid, &status, 0)
        failures += Int((try? String(contentsOf: child.out, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? total
    }
    let seconds = ms(clock.now - start) / 1000
    print(
        String(
            format: "%d finds, %d process(es) sharing the token: %.2f s · %.0f finds/s · %d failed",
            total, procs, seconds, Double(total) / seconds, failures))

default:
    print("usage: GateProbe gate | finds URL TOKEN N PROCS LOCKDIR")
    exit(2)
}
