import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// The real binary against a simulator that behaves like a hostile server
/// or proxy (issue 23): one line on stderr, the documented exit code, and
/// nothing leaves for another host or lands on disk that should not.
@Suite(.enabled(if: Products.path("wvconsole") != nil, "needs a built wvconsole"))
struct HostileServerEndToEndTests {
    typealias Rig = CLIEndToEndTests.Rig

    /// Every file under the rig's home (journal, log, captured output), as bytes.
    static func tokenIsInNoFile(_ rig: Rig) -> Bool {
        let token = Data(SimulatorConfig.demoToken.utf8)
        let files = FileManager.default.enumerator(at: rig.home, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return files.allSatisfy { (try? Data(contentsOf: $0))?.range(of: token) == nil }
    }

    @Test func aRedirectIsOneLineExit3AndTheOtherHostHearsNothing() async throws {
        let other = try await SimulatorServer.start(SimulatorConfig(records: 10, campaigns: 1))
        let rig = try await Rig.start()
        for kind in ["redirect", "redirect301"] {
            let target = "http://127.0.0.1:\(other.port)/api/v2/campaign.php?api=find_record"
            await rig.sim.setFaults(try FaultPlan(spec: "*:\(kind)=\(target)"))
            let find = await rig.run("find --phone 3001234567")
            let recall = await rig.run("recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567")
            for r in [find, recall] {
                #expect(r.status == 3, "\(kind): \(r.err)")
                let lines = r.err.split(separator: "\n")
                #expect(lines.count == 1 && lines[0].contains("127.0.0.1:\(other.port)") && lines[0].contains("redirect"), "\(kind): \(r.err)")
                #expect(r.out.isEmpty)
            }
            let audit = await rig.run("audit --json")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [[String: Any]], "\(audit.out)")
            #expect(entries.first?["outcome"] as? String == "rejected", "\(entries.first ?? [:])")
        }
        #expect(await other.requests().isEmpty, "the other host received nothing")
        await rig.sim.stop()
        await other.stop()
    }

    @Test func anEchoedTokenIsInNoOutputNoLogAndNotInTheJournal() async throws {
        let rig = try await Rig.start(faults: "*:echo")
        let token = SimulatorConfig.demoToken
        let find = await rig.run("find --phone 3001234567 --json")
        let recall = await rig.run("recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567")
        let recallJSON = await rig.run("recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567 --json")
        let audit = await rig.run("audit --json")
        for r in [find, recall, recallJSON, audit] {
            #expect(!r.out.contains(token) && !r.err.contains(token), "\(r.out) \(r.err)")
        }
        #expect((find.out + recall.err).contains("<token "), "the echo is shown, with the fingerprint: \(find.out) \(recall.err)")
        #expect(Self.tokenIsInNoFile(rig), "the token is in a file under \(rig.home.path)")
        await rig.sim.stop()
    }

    @Test func aDeeplyNestedAnswerIsTheMalformedAnswerErrorNotACrash() async throws {
        let rig = try await Rig.start(faults: "*:deep=30000")
        for args in ["find --phone 3001234567", "campaigns"] {
            let r = await rig.run(args)
            #expect(r.status == 3, "\(args): \(r.status) \(r.err)")
            #expect(r.err.split(separator: "\n").count == 1 && r.err.contains("could not be read"), "\(args): \(r.err)")
        }
        await rig.sim.stop()
    }

    @Test func noSilentFallbackToProductionAndCheckNamesTheHost() async throws {
        let rig = try await Rig.start()
        let ok = await rig.run("check")
        #expect(ok.status == 0 && ok.out.contains("127.0.0.1:\(rig.sim.port)"), "\(ok.out) \(ok.err)")
        for bad in [" " + rig.sim.baseURL.absoluteString, "http://me:secret@127.0.0.1:\(rig.sim.port)/api/v2/", "127.0.0.1"] {
            var env = rig
            env.env["WOLKVOX_BASE_URL"] = bad
            let r = await env.run("check")
            #expect(r.status == 1 && r.err.split(separator: "\n").count == 1 && r.err.contains("WOLKVOX_BASE_URL"), "\(bad): \(r.status) \(r.err)")
            #expect(!r.err.contains("secret") && r.out.isEmpty)
        }
        await rig.sim.stop()
    }

    @Test func aConfigOthersCanWriteIsRefusedInOneLine() async throws {
        let rig = try await Rig.start()
        let dir = rig.home.appendingPathComponent("config/wvconsole")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("config.toml")
        try "read_only = false\n".write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o666)
        let r = await rig.run("check")
        #expect(r.status == 1 && r.err.split(separator: "\n").count == 1 && r.err.contains("chmod 600 \(file.path)"), "\(r.status) \(r.err)")
        chmod(file.path, 0o600)
        #expect(await rig.run("check").status == 0)
        await rig.sim.stop()
    }

    @Test func aWriteAnsweredWithAnEmptyObjectIsUnknownNotOk() async throws {
        let rig = try await Rig.start(faults: "recall:hollow")
        let r = await rig.run("recall --campaign 101 --type predictive --id CC1001 --at '2030-01-15 09:30' --phone 3001234567")
        // May be applied: 6, never 3 ("API error, nothing applied"), which a script may retry on.
        #expect(r.status == 6 && r.out.isEmpty && r.err.split(separator: "\n").count == 1 && r.err.contains("audit --reconcile"), "\(r.status) \(r.out) \(r.err)")
        let audit = await rig.run("audit --json")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [[String: Any]], "\(audit.out)")
        #expect(entries.first?["outcome"] as? String == "unknown")
        await rig.sim.stop()
    }
}
