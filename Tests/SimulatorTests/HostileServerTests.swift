#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Foundation
import NIOPosix
import Simulator
import Testing
import WolkvoxAPI

/// The real transport (NIO, the default, over loopback) against a simulator told
/// to behave like a hostile server or proxy (issue 23).
@Suite struct HostileServerTests {
    actor CountingMeter: CallMeter {
        private(set) var calls = 0
        func countCall(server: String, tokenFingerprint: String) async { calls += 1 }
    }

    static func client(
        _ sim: RunningSimulator, journal: MemoryJournal = MemoryJournal(), meter: CountingMeter? = nil,
        maxBodyBytes: Int = NIOTransport.defaultMaxBodyBytes
    ) throws -> WolkvoxClient {
        WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "sim", baseURL: sim.baseURL), token: APIToken(SimulatorConfig.demoToken)!,
            transport: NIOTransport(maxBodyBytes: maxBodyBytes), gate: TokenGate(limit: 1), journal: journal,
            meter: meter, timeout: .seconds(20), readRetryDelay: .milliseconds(20))
    }

    static let recallOrder = RecallOrder(
        campaignID: "101", campaignType: .predictive, customerID: "CC1001", phone: "3001234567",
        when: Date().addingTimeInterval(86_400 * 30))

    @Test(arguments: ["redirect", "redirect301"])
    func aRedirectIsRefusedAndTheOtherHostReceivesNothing(_ kind: String) async throws {
        let other = try await SimulatorServer.start(SimulatorConfig(records: 10, campaigns: 1))
        let target = "http://127.0.0.1:\(other.port)/api/v2/campaign.php?api=find_record&telephone=3001234567"
        let sim = try await SimulatorServer.start(
            SimulatorConfig(
                records: 50, campaigns: 2,
                faults: try FaultPlan(spec: "*:\(kind)=\(target)")))
        let journal = MemoryJournal()
        let meter = CountingMeter()
        let client = try Self.client(sim, journal: journal, meter: meter)

        let readError = await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "3001234567")) }
        guard case .redirected(let status, let host)? = readError else {
            Issue.record("\(String(describing: readError))")
            return
        }
        #expect(status == (kind == "redirect" ? 307 : 301))
        #expect(host == "127.0.0.1:\(other.port)")
        #expect(readError?.explanation.contains(host) == true)
        #expect(readError?.explanation.split(separator: "\n").count == 1)
        #expect(await meter.calls == 1, "one call, counted once; the redirect was not followed")

        await #expect(throws: APIError.self) { try await client.recall(Self.recallOrder) }
        let entry = try #require(await journal.entries.last)
        #expect(entry.outcome?.state == .rejected, "the first server answered 3xx: nothing was applied there")
        #expect(await other.requests().isEmpty, "the other host received nothing")
        #expect(await meter.calls == 2)
        await sim.stop()
        await other.stop()
    }

    @Test func aServerThatEchoesTheTokenNeverGetsItShown() async throws {
        let sim = try await SimulatorServer.start(SimulatorConfig(records: 50, campaigns: 2, faults: try FaultPlan(spec: "*:echo")))
        let journal = MemoryJournal()
        let client = try Self.client(sim, journal: journal)
        let token = APIToken(SimulatorConfig.demoToken)!
        let readError = await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "3001234567")) }
        let text = "\(String(describing: readError)) \(String(describing: readError?.detail))"
        #expect(text.contains(token.placeholder), "the echo is there, with the fingerprint in place of the token: \(text)")
        #expect(!token.occurs(in: text))
        await #expect(throws: APIError.self) { try await client.recall(Self.recallOrder) }
        let entry = try #require(await journal.entries.last)
        #expect(!token.occurs(in: "\(entry)"))
        #expect(entry.outcome?.message.contains(token.placeholder) == true)
        await sim.stop()
    }

    @Test func anAnswerPastTheLimitIsCutOffWithOneClearError() async throws {
        let sim = try await SimulatorServer.start(SimulatorConfig(records: 50, campaigns: 2, faults: try FaultPlan(spec: "find_record:huge=3")))
        let client = try Self.client(sim, maxBodyBytes: 1_048_576)
        let error = await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "3001234567")) }
        #expect(error == .answerTooLarge(limitBytes: 1_048_576))
        #expect(error?.explanation.contains("1 MB") == true)
        // Under the limit the same padded answer is read.
        let roomy = try Self.client(sim, maxBodyBytes: 8 * 1_048_576)
        _ = try await roomy.find(FindQuery(phone: "3001234567"))
        await sim.stop()
    }

    @Test func aDeeplyNestedAnswerIsMalformedNotACrash() async throws {
        let sim = try await SimulatorServer.start(SimulatorConfig(records: 50, campaigns: 2, faults: try FaultPlan(spec: "*:deep=30000")))
        let client = try Self.client(sim)
        let find = await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "3001234567")) }
        #expect(find?.kind == "malformed_response")
        let campaigns = await #expect(throws: APIError.self) { try await client.campaigns() }
        #expect(campaigns?.kind == "malformed_response")
        await sim.stop()
    }
}

/// Answers that are bigger than they look, and downloads the operator
/// abandons (issue 23): the size limit counts inflated bytes, and a
/// cancelled search closes the connection instead of draining it.
@Suite(.serialized) struct HostileDownloadTests {
    /// Peak resident memory of this process so far, in KB (Linux).
    static func peakKB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    // libcurl (FoundationNetworking) sends `Accept-Encoding` and inflates
    // gzip itself: the transport only ever sees inflated bytes, so that is
    // what `maxBodyBytes` counts.
    @Test func aGzippedAnswerIsInflatedAndCountedInflated() async throws {
        let sim = try await SimulatorServer.start(SimulatorConfig(records: 50, campaigns: 2, faults: try FaultPlan(spec: "find_record:gzipbomb=8")))
        // Roomy: the 8 MB answer (~55 KB on the wire) is inflated and read.
        let roomy = try HostileServerTests.client(sim, maxBodyBytes: 64 * 1_048_576)
        let answer = try await roomy.find(FindQuery(phone: "3001234567"))
        #expect(!answer.records.isEmpty)
        let sent = try #require(await sim.requests().last)
        #expect(sent.headers.first { $0.key.lowercased() == "accept-encoding" }?.value.contains("gzip") == true, "\(sent.headers)")
        // 1 MB: more than the compressed body, less than the inflated one.
        let tight = try HostileServerTests.client(sim, maxBodyBytes: 1_048_576)
        let error = await #expect(throws: APIError.self) { try await tight.find(FindQuery(phone: "3001234567")) }
        #expect(error == .answerTooLarge(limitBytes: 1_048_576))
        // Tighter than the compressed body (its Content-Length): refused at the headers, promptly.
        let started = Date()
        let tiny = try HostileServerTests.client(sim, maxBodyBytes: 32 * 1024)
        let refused = await #expect(throws: APIError.self) { try await tiny.find(FindQuery(phone: "3001234567")) }
        #expect(refused == .answerTooLarge(limitBytes: 32 * 1024))
        #expect(Date().timeIntervalSince(started) < 15, "not the 20 s timeout")
        await sim.stop()
    }

    @Test func aGzipBombIsCutAtTheLimit() async throws {
        // ~1.7 MB on the wire, 256 MB inflated (the issue's 1 MB bomb grew to
        // 2.1 GB resident); kept small so a loaded box inflates it within the timeout.
        // Paced at 256 KB/s (~7 s in all), so the cut comes while the server is still sending.
        let sim = try await SimulatorServer.start(
            SimulatorConfig(records: 50, campaigns: 2, faults: try FaultPlan(spec: "find_record:gzipbomb=256,find_record:trickle=256")))
        // Above the compressed size: the cut is made on inflated bytes as they come.
        let client = try HostileServerTests.client(sim, maxBodyBytes: 16 * 1_048_576)
        let before = try #require(Self.peakKB())
        let started = Date()
        let error = await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "3001234567")) }
        #expect(error == .answerTooLarge(limitBytes: 16 * 1_048_576))
        let after = try #require(Self.peakKB())
        let t = try #require(try await sim.settledTransfer(since: started, within: 20))
        // NIO inflates under the limit as the bytes come (the URLSession
        // transport that inflated ahead of its delegate is gone): memory stays
        // bounded and the connection is closed at the cut. The peak is the
        // whole test process's, other suites running beside this one
        // included (78 MB seen on a loaded run), so the bound is well above
        // the 16 MB cut and well below the 256 MB a bomb held whole would take.
        #expect(after - before < 160 * 1024, "peak grew \(after - before) KB for a 256 MB bomb")
        #expect(t.state == .clientClosed && t.sentBytes < t.totalBytes / 2, "\(t)")
        await sim.stop()
    }

    /// Esc mid-answer: the server is only sending, so the connection is
    /// closed at once and the server's next slices cannot be written. Server
    /// and client each on an event loop of their own: other suites' work on
    /// NIO's shared loops (a gzip bomb inflating) cannot pass for a late close.
    @Test func cancellingASearchClosesTheConnectionPromptly() async throws {
        // 16 MB at 64 KB/s: more than four minutes if the client kept reading.
        let sim = try await SimulatorServer.start(
            SimulatorConfig(records: 50, campaigns: 2, faults: try FaultPlan(spec: "find_record:huge=16,find_record:trickle=64")), ownLoop: true)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let transport = NIOTransport(environment: [:], eventLoopGroup: group)
        let client = WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "sim", baseURL: sim.baseURL), token: APIToken(SimulatorConfig.demoToken)!,
            transport: transport, gate: TokenGate(limit: 1), journal: MemoryJournal(), timeout: .seconds(20))
        let search = Task { try await client.find(FindQuery(phone: "3001234567")) }
        // Wait until bytes are flowing.
        let deadline = Date().addingTimeInterval(10)
        while await sim.transfers().first?.sentBytes ?? 0 == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let cancelledAt = Date()
        search.cancel()
        let result = await search.result
        #expect(Date().timeIntervalSince(cancelledAt) < 5, "the call returns promptly, not after the 20 s timeout")
        #expect(throws: APIError.cancelled) { try result.get() }
        // The server sees the connection close: its next slices cannot be written.
        let t = try #require(try await sim.settledTransfer(since: cancelledAt, within: 15))
        #expect(t.state == .clientClosed, "\(t)")
        #expect(t.sentBytes < 1_048_576 && t.sentBytes < t.totalBytes, "\(t.sentBytes) of \(t.totalBytes) bytes sent")
        await transport.shutdown()
        try await group.shutdownGracefully()
        await sim.stop()
    }
}

extension RunningSimulator {
    /// The first transfer once it has stopped sending, or as it stands `within` seconds after `since`.
    func settledTransfer(since: Date, within seconds: TimeInterval) async throws -> SimTransfer? {
        var transfer = await transfers().first
        while transfer?.state == .sending, Date().timeIntervalSince(since) < seconds {
            try await Task.sleep(for: .milliseconds(50))
            transfer = await transfers().first
        }
        return transfer
    }
}
