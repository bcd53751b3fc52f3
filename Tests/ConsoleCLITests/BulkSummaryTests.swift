import Foundation
import Testing
@testable import ConsoleCLI
import WolkvoxAPI

/// One `ok` rule and one exit rule for every bulk command.
@Suite struct BulkSummaryTests {
    typealias Report = ChunkReport<Int>
    let refused = APIError.maintenance(ErrorDetail(status: 403))
    let lost = APIError.network("reset")

    func summary(_ outcomes: [Report.Outcome], earlier: Set<Int> = [], unconfirmed: Set<Int> = []) -> BulkSummary {
        let reports = outcomes.enumerated().map { Report(index: $0.offset, count: outcomes.count, items: 10, outcome: $0.element) }
        return BulkSummary(
            command: "import", jobId: "j", rows: 10 * outcomes.count, invalidRows: [], reports: reports,
            plan: BulkJob.Plan(skip: earlier.union(unconfirmed), alreadyConfirmed: earlier, leftUnconfirmed: unconfirmed), totals: [:])
    }

    /// A chunk an earlier run sent without a confirmation, not sent again:
    /// it may be applied, so it is "unknown", never "not sent"; and the
    /// JSON's words stay English whatever the operator's language.
    @Test func aSkippedUnconfirmedChunkIsUnknownNotUnsent() {
        let s = summary([.notSent, .notSent, .succeeded(10, message: "ok")], earlier: [0], unconfirmed: [1])
        #expect(s.chunks.map(\.status) == ["already_sent", "unknown", "succeeded"])
        #expect(s.chunks[1].message.contains("earlier run") && !s.ok && s.exitStatus == .incomplete)
        #expect(s.rerunHint == "cli.check_unconfirmed", "the way on is to check, not a bare --resume")
        #expect(summary([.notSent, .succeeded(10, message: "ok")]).rerunHint == "cli.import_rerun")
        let saved = CLIText.language
        CLIText.language = .es
        defer { CLIText.language = saved }
        let spanish = summary([.failed(.cancelled), .notSent], unconfirmed: [])
        #expect(spanish.chunks[0].status == "unknown", "cancelled after it left: it may be applied")
        #expect(spanish.chunks[0].message.hasPrefix("Cancelled. It may have been applied"), "JSON is never translated: \(spanish.chunks[0].message)")
        #expect(spanish.chunks[0].text.hasPrefix("Cancelado. Puede haberse aplicado"), "the text summary is: \(spanish.chunks[0].text)")
        let early = summary([.failed(.notSent(.cancelled)), .notSent])
        #expect(early.chunks.map(\.status) == ["not_sent", "not_sent"] && early.calls == 0, "cancelled before it left: not sent, no call")
        #expect(early.rerunHint == "cli.import_rerun", "nothing to check")
        #expect(chunkLine(spanish.chunks[1]).hasPrefix("bloque 2: no enviado"), "\(chunkLine(spanish.chunks[1]))")
    }

    @Test func allConfirmedIsOkWhetherByThisRunOrAnEarlierOne() {
        #expect(summary([.succeeded(10, message: "ok"), .succeeded(10, message: "ok")]).exitStatus == .ok)
        let resumed = summary([.notSent, .succeeded(10, message: "ok")], earlier: [0])
        #expect(resumed.ok && resumed.exitStatus == .ok && resumed.chunks[0].status == "already_sent" && resumed.calls == 1)
    }

    @Test func nothingAppliedTakesTheCauseAndPartIsIncomplete() {
        let none = summary([.failed(refused), .notSent])
        #expect(!none.ok && none.exitStatus == .apiError && none.error?.kind == "maintenance")
        #expect(summary([.failed(lost)]).exitStatus == .incomplete, "a lost answer may have been applied: not 5, which scripts retry on")
        #expect(summary([.failed(.notSent(lost))]).exitStatus == .network, "never left: nothing applied")
        #expect(summary([.failed(.dailyQuotaExceeded(ErrorDetail(status: 403)))]).exitStatus == .quotaOrLimit)
        let part = summary([.succeeded(10, message: "ok"), .failed(refused)])
        #expect(!part.ok && part.exitStatus == .incomplete)
        #expect(summary([.notSent, .succeeded(10, message: "ok")], earlier: []).exitStatus == .incomplete, "a chunk left unsent is not ok")
        #expect(ExitStatus.incomplete.rawValue == 6)
    }

    @Test func aDryRunThatWouldSendNothingIsNotOk() {
        let refusedRun = BulkSummary(dryRunOf: "import", jobId: "j", rows: 3, invalidRows: [RowProblem(line: 2, message: "bad")], calls: 1, sendsNothing: true)
        #expect(!refusedRun.ok && refusedRun.calls == 0)
        #expect(BulkSummary(dryRunOf: "import", jobId: "j", rows: 3, invalidRows: [], calls: 1, sendsNothing: false).ok)
    }
}
