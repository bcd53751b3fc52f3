import ArgumentParser
import BuildInfo
import Foundation
import Simulator

/// `wvsim`: the Wolkvox look-alike on its own, for training, demos and tests.
@main
struct WVSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wvsim",
        abstract: "A Wolkvox API look-alike on loopback, with seeded data and injectable faults.",
        discussion: """
            Routes: /api/v2/campaign.php?api=find_record|recall|remove_record|add_dnc|add_record and
            /api/v2/information.php?api=campaigns|token_info, answering like the documented API.
            Inspection (loopback only): GET /_sim/requests, DELETE /_sim/requests, GET /_sim/state,
            GET /_sim/record?campaign_id=&customer_id=, GET|PUT /_sim/faults (body: fault spec).
            Fault spec: TARGET:KIND[=ARG][@P][*N], comma-separated; KIND is latency=MS, stall,
            maintenance, truncated, empty, reset, drop, codetype, limit, quota, redirect=URL, redirect301=URL,
            deep=LEVELS, echo, huge=MB, hollow, gzipbomb=MB or trickle=KBPS; TARGET an api name or *.
            The token: --token-file PATH (chmod 600) or WVSIM_TOKEN; --token puts it in `ps` output.
            """,
        version: BuildInfo.versionLine
    )

    @Option(help: "Address to listen on (loopback only unless you mean it).") var host = "127.0.0.1"
    @Option(help: "Port; 0 picks a free one and prints it.") var port = 8080
    @Option(help: "Number of seeded records.") var records = 3_000
    @Option(help: "Number of seeded campaigns.") var campaigns = 6
    @Option(help: "Seed for data and fault decisions.") var seed: UInt64 = 42
    @Option(help: "The token clients must send (default: the demo token; prefer --token-file or WVSIM_TOKEN, which stay out of `ps`).")
    var token = SimulatorConfig.demoToken
    @Option(help: "A file (chmod 600) holding the token clients must send.") var tokenFile: String?
    @Option(help: "Licences: the daily quota is licences × 1000 calls.") var licenses = 5
    @Option(help: "Faults to inject, e.g. \"find_record:latency=300,recall:maintenance@0.5\".") var faults = ""
    @Option(help: "Every Nth record shares the switchboard number \(SeedData.sharedPhone) (0 = none).") var hotPhoneEvery = 50

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535.") }
        guard records >= 0, records <= 2_000_000 else { throw ValidationError("--records must be 0…2,000,000.") }
        guard campaigns >= 1, campaigns <= 1000 else { throw ValidationError("--campaigns must be 1…1000.") }
        guard licenses >= 1 else { throw ValidationError("--licenses must be at least 1.") }
        if !token.isEmpty && token.contains(where: { $0.isWhitespace }) { throw ValidationError("--token cannot contain spaces.") }
        do { _ = try FaultPlan(spec: faults) } catch { throw ValidationError("--faults: \(error)") }
    }

    /// --token-file, else WVSIM_TOKEN, else --token (the demo token by default).
    func resolvedToken() throws -> (token: String, source: String) {
        if let path = tokenFile {
            var st = stat()
            guard stat(path, &st) == 0 else { throw ValidationError("--token-file \(path) does not exist.") }
            if st.st_mode & 0o077 != 0 { throw ValidationError("--token-file \(path) is readable by others; run: chmod 600 \(path)") }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("Cannot read --token-file \(path).") }
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty, !t.contains(where: \.isWhitespace) else { throw ValidationError("--token-file \(path) must hold one token without spaces.") }
            return (t, "token from --token-file")
        }
        if let env = ProcessInfo.processInfo.environment["WVSIM_TOKEN"], !env.isEmpty {
            let t = env.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty, !t.contains(where: \.isWhitespace) else { throw ValidationError("WVSIM_TOKEN must be one token without spaces.") }
            return (t, "token from WVSIM_TOKEN")
        }
        return (token, token == SimulatorConfig.demoToken ? "token \(token)" : "token from --token")
    }

    func run() async throws {
        let plan = try FaultPlan(spec: faults)
        let (token, tokenNote) = try resolvedToken()
        let sim = try await SimulatorServer.start(
            SimulatorConfig(
                host: host, port: port, records: records, campaigns: campaigns, seed: seed,
                token: token, licenses: licenses, faults: plan, hotPhoneEvery: hotPhoneEvery))
        let line = "wvsim listening on http://\(host):\(sim.port) (\(records) records, \(campaigns) campaigns, seed \(seed), \(tokenNote))\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        await waitForTerminationSignal()
        await sim.stop()
    }
}

/// Blocks until SIGINT or SIGTERM, so the server shuts down cleanly.
func waitForTerminationSignal() async {
    let sources = [SIGINT, SIGTERM].map { sig -> any DispatchSourceSignal in
        signal(sig, SIG_IGN)
        return DispatchSource.makeSignalSource(signal: sig, queue: .main)
    }
    let once = Once()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        for source in sources {
            source.setEventHandler { if once.claim() { continuation.resume() } }
            source.resume()
        }
    }
    sources.forEach { $0.cancel() }
}

final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}
