import ArgumentParser
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
        maintenance, truncated, empty, reset, codetype, limit or quota; TARGET an api name or *.
        """
    )

    @Option(help: "Address to listen on (loopback only unless you mean it).") var host = "127.0.0.1"
    @Option(help: "Port; 0 picks a free one and prints it.") var port = 8080
    @Option(help: "Number of seeded records.") var records = 3_000
    @Option(help: "Number of seeded campaigns.") var campaigns = 6
    @Option(help: "Seed for data and fault decisions.") var seed: UInt64 = 42
    @Option(help: "The token clients must send (default: the demo token).") var token = SimulatorConfig.demoToken
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

    func run() async throws {
        let plan = try FaultPlan(spec: faults)
        let sim = try await SimulatorServer.start(SimulatorConfig(host: host, port: port, records: records, campaigns: campaigns, seed: seed,
                                                                  token: token, licenses: licenses, faults: plan, hotPhoneEvery: hotPhoneEvery))
        let tokenNote = token == SimulatorConfig.demoToken ? "token \(token)" : "token from --token"
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
        lock.lock(); defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}
