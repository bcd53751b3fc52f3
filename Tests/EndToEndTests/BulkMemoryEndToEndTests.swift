import Foundation
import Simulator
import Testing
import WolkvoxAPI

/// A bulk file is streamed, never held (issue 23: a 2 GB file used more
/// than 4.5 GB): the binary's peak resident memory for 200,000 rows is
/// about what it is for two rows. The whole-file reader grew by ~250 MB
/// on this file in a debug build.
@Suite(
    .enabled(
        if: Products.path("wvconsole") != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/time"),
        "needs a built wvconsole and /usr/bin/time"))
struct BulkMemoryEndToEndTests {
    typealias Rig = CLIEndToEndTests.Rig

    /// Runs `wvconsole ARGS` under /usr/bin/time: exit status, stdout, and peak RSS in KB.
    static func measured(_ rig: Rig, _ args: String) async -> (status: Int32, out: String, peakKB: Int) {
        let rss = rig.home.appendingPathComponent("rss-\(UUID().uuidString)").path
        let out = rig.home.appendingPathComponent("out-\(UUID().uuidString)").path
        let r = await Shell.runAsync("/usr/bin/time -f %M -o \(rss) \(Products.path("wvconsole")!) \(args) >\(out) 2>/dev/null", environment: rig.env)
        let peak = Int(((try? String(contentsOfFile: rss, encoding: .utf8)) ?? "").split(separator: "\n").last ?? "") ?? -1
        return (r.status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", peak)
    }

    @Test func aDryRunOf200000RowsUsesNoMoreMemoryThanOneOfTwoRows() async throws {
        let rig = try await Rig.start()
        var text = "customer_id,customer_name,tel1,email\n"
        text.reserveCapacity(12_000_000)
        for i in 0..<200_000 { text += "MEM\(i),\"Cliente, \(i)\",31\(10_000_000 + i),c\(i)@example.com\n" }
        let big = try rig.csv("big.csv", text)
        let small = try rig.csv("small.csv", "customer_id,tel1\nA,3001234567\nB,3001234568\n")

        let baseline = await Self.measured(rig, "import \(small) --campaign 101 --dry-run --json")
        let run = await Self.measured(rig, "import \(big) --campaign 101 --dry-run --json")
        #expect(baseline.status == 0 && run.status == 0, "\(run.out)")
        #expect(run.out.contains(#""rows":200000"#) && run.out.contains(#""calls":20"#), "\(run.out)")
        #expect(baseline.peakKB > 0 && run.peakKB > 0, "peak RSS not measured")
        // ~1 MB of growth streamed; the whole-file reader grew ~250 MB.
        #expect(run.peakKB - baseline.peakKB < 32 * 1024, "peak \(run.peakKB) KB for 200,000 rows vs \(baseline.peakKB) KB for 2")
        #expect(await rig.calls("add_record") == 0)
        await rig.sim.stop()
    }
}
