#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Foundation
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

    static func client(_ sim: RunningSimulator, journal: MemoryJournal = MemoryJournal(), meter: CountingMeter? = nil,
                       maxBodyBytes: Int = NIOTransport.defaultMaxBodyBytes) throws -> WolkvoxClient {
        WolkvoxClient(endpoint: try ServiceEndpoint(server: "sim", baseURL: sim.baseURL), token: APIToken(SimulatorConfig.demoToken)!,
                      transport: NIOTransport(maxBodyBytes: maxBodyBytes), gate: TokenGate(limit: 1), journal: journal,
                      meter: meter, timeout: .seconds(20), readRetryDelay: .milliseconds(20))
    }

    static let recallOrder = RecallOrder(campaignID: "101", campaignType: .predictive, customerID: "CC1001", phone: "3001234567",
                                         when: Date().addingTimeInterval(86_400 * 30))

    @Test(arguments: ["redirect", "redirect301"])
    func aRedirectIsRefusedAndTheOtherHostReceivesNothing(_ kind: String) async throws {
        let other = try await SimulatorServer.start(SimulatorConfig(records: 10, campaigns: 1))
        let target = "http://127.0.0.1:\(other.port)/api/v2/campaign.php?api=find_record&telephone=3001234567"
        let sim = try await SimulatorServer.start(SimulatorConfig(records: 50, campaigns: 2,
                                                                  faults: try FaultPlan(spec: "*:\(kind)=\(target)")))
        let journal = MemoryJournal()
        let meter = CountingMeter()
        let client = try Self.client(sim, journal: journal, meter: meter)

        let readError = await #expect(throws: APIError.self) { try await client.find(FindQuery(phone: "3001234567")) }
        guard case .redirected(let status, let host)? = readError else { Issue.record("\(String(describing: readError))"); return }
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
        await sim.stop(); await other.stop()
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
