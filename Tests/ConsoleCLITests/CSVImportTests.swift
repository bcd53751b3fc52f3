import LocalStore
import Foundation
import Testing
@testable import ConsoleCLI
import TUIKit
import WolkvoxAPI

@Suite struct CSVImportTests {
    @Test func bomQuotedCommasAndNewlinesSurviveAndLinesAreExact() throws {
        let text = "\u{FEFF}customer_id,customer_name,tel1,address\n" + "A1,\"Peñaloza, María\",3001234567,\"Calle 1\nApto 2\"\n" + "A2,João,3007654321,\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bom-\(UUID()).csv")
        try Data(text.utf8).write(to: url)
        let table = try CSVTable.read(url)
        #expect(table.header == ["customer_id", "customer_name", "tel1", "address"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields["customer_name"] == "Peñaloza, María")
        #expect(table.rows[0].fields["address"] == "Calle 1\nApto 2")
        #expect(table.rows.map(\.line) == [2, 4], "the second record starts on line 4 because the first spans two lines")
    }

    @Test func badRowsAreNamedByLineAndGoodRowsKept() throws {
        let table = try CSVTable.parse(
            """
            customer_id,tel1,tel2,recall_date
            A1,3001234567,,
            A2,12,,
            A,3,3001234567,,
            A4,3001234567,abc,
            A5,3001234567,,2026-11-24
            A6,(300) 123-4567,,20301231235900
            """)
        let r = try RecordCSV.load(table)
        #expect(r.records.map { $0["customer_id"] } == ["A1", "A6"])
        #expect(r.records[1]["tel1"] == "3001234567")
        #expect(r.problems.map(\.line) == [3, 4, 5, 6])
        #expect(r.problems[0].message.contains("too short"))
    }

    @Test func unknownColumnsAndMissingPhoneColumnAreRefusedUpFront() throws {
        #expect(throws: CSVTable.ReadError.self) { try RecordCSV.load(try CSVTable.parse("customer_id,telefono\nA,3001234567\n")) }
        #expect(throws: CSVTable.ReadError.self) { try RecordCSV.load(try CSVTable.parse("customer_id\nA\n")) }
        #expect(throws: CSVTable.ReadError.self) { try CSVTable.parse("tel1,tel1\n1,2\n") }
    }

    @Test func dncCSVUsesDefaultDaysAndRowDays() throws {
        let r = try DNCCSV.load(try CSVTable.parse("telephone,days_block\n3001234567,\n3007654321,15\n12,3\n3001112222,0\n"), defaultDays: 30)
        #expect(r.entries == [DNCEntry(telephone: "3001234567", days: 30), DNCEntry(telephone: "3007654321", days: 15)])
        #expect(r.problems.map(\.line) == [4, 5])
    }

    @Test func pastedNumbersSplitOnNewlinesCommasSemicolonsAndTabsNeverOnSpaces() throws {
        #expect(
            DNCCSV.split("3001234567, 3007654321\n300 123 4567;3019998888 3018887777\t(601) 444-5566") == [
                "3001234567", "3007654321", "300 123 4567", "3019998888 3018887777", "(601) 444-5566",
            ])
        // Spaces inside an item are formatting: two numbers with a space are one item, too long, and named.
        #expect(throws: WolkvoxAPI.ValidationError.self) { try Validate.phone("3019998888 3018887777") }
        #expect(try Validate.phone("12345 678") == "12345678")
        #expect(try Validate.phone("+57 300 123 4567", countryCode: "57") == "3001234567")
        #expect(try Validate.phone("+1 300 123 4567", countryCode: "57") == "+13001234567", "another country stays as typed")
        let csv = try DNCCSV.load(try CSVTable.parse("telephone\n+57 (300) 123-4567\n"), defaultDays: 5, countryCode: "57")
        #expect(csv.entries == [DNCEntry(telephone: "3001234567", days: 5)])
    }
}

@Suite struct BulkJobTests {
    struct Ledger: ImportLedger {
        var states: [Int: ChunkState]
        var content: [Int: ContentMatch] = [:]
        var unfinished: [LedgerJob] = []
        func chunkStates(jobID: String) async throws -> [Int: ChunkState] { states }
        func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch] { content }
        func unfinishedJobs(api: String, campaignID: String?) async throws -> [LedgerJob] { unfinished }
    }

    let four = ["a", "b", "c", "d"]

    func plan(
        _ ledger: Ledger, resume: Bool = true, policy: BulkJob.UnconfirmedPolicy, acceptChanged: Bool = false,
        ask: @escaping @Sendable (String) -> Bool = { _ in true }
    ) async throws -> BulkJob.Plan {
        try await BulkJob.plan(
            jobID: "j", api: "add_record", campaignID: "101", bodies: four, resume: resume, ledger: ledger,
            policy: policy, acceptChanged: acceptChanged, ask: ask)
    }

    @Test func jobIDIsStableForTheSameInputAndDiffersOtherwise() {
        let a = BulkJob.jobID(command: "import", campaign: "101", payload: ["x", "y"])
        #expect(a == BulkJob.jobID(command: "import", campaign: "101", payload: ["x", "y"]))
        #expect(a != BulkJob.jobID(command: "import", campaign: "102", payload: ["x", "y"]))
        #expect(a != BulkJob.jobID(command: "import", campaign: "101", payload: ["x", "z"]))
        // The ID names its file, so another file's unfinished job can be told apart.
        let named = BulkJob.jobID(command: "import", campaign: "101", file: "clientes nov.csv", payload: ["x", "y"])
        #expect(named.hasPrefix("import-clientes_nov.csv-") && named.hasSuffix(String(a.suffix(20))), "\(named)")
        #expect(BulkJob.file(ofJob: named) == "clientes_nov.csv")
        #expect(BulkJob.file(ofJob: BulkJob.jobID(command: "dnc", campaign: "", file: "a-b-c.csv", payload: [])) == "a-b-c.csv")
        #expect(BulkJob.file(ofJob: a) == nil, "an ID from before IDs named their file")
    }

    @Test func resumeSkipsConfirmedAndRefusesToGuessAboutUnconfirmed() async throws {
        let ledger = Ledger(states: [0: .confirmed, 1: .unconfirmed, 2: .failed])
        let skipConfirmed = try await plan(ledger, policy: .skip)
        #expect(skipConfirmed.skip == [0, 1] && skipConfirmed.alreadyConfirmed == [0])
        #expect(try await plan(ledger, policy: .resend).skip == [0])
        #expect(try await plan(ledger, policy: .ask, ask: { _ in false }).skip == [0, 1])
        // Skipped but maybe applied: the plan keeps them apart from chunks never sent.
        #expect(skipConfirmed.leftUnconfirmed == [1])
        #expect(try await plan(ledger, policy: .ask, ask: { _ in false }).leftUnconfirmed == [1])
        #expect(try await plan(ledger, policy: .resend).leftUnconfirmed.isEmpty)
        await #expect(throws: BulkJobError.self) { try await plan(ledger, policy: .refuse) }
    }

    @Test func rerunningAnAlreadySentFileWithoutResumeIsRefused() async throws {
        await #expect(throws: BulkJobError.self) { try await plan(Ledger(states: [0: .confirmed]), resume: false, policy: .ask) }
        // Known by content even under another job id (the file's other rows changed).
        await #expect(throws: BulkJobError.self) {
            try await plan(Ledger(states: [:], content: [2: ContentMatch(state: .confirmed, ids: [7])]), resume: false, policy: .ask)
        }
        #expect(try await plan(Ledger(states: [:]), resume: false, policy: .ask).skip.isEmpty)
    }

    @Test func chunksAreKnownByContentAcrossJobs() async throws {
        // An edited file: chunks 1, 3, 4 unchanged and confirmed under the old job; chunk 2 changed.
        let content: [Int: ContentMatch] = [
            0: .init(state: .confirmed, ids: [1]), 2: .init(state: .confirmed, ids: [3]), 3: .init(state: .confirmed, ids: [4]),
        ]
        let p = try await plan(Ledger(states: [:], content: content), policy: .refuse)
        #expect(p.skip == [0, 2, 3] && p.alreadyConfirmed == [0, 2, 3], "only the changed chunk goes")
    }

    @Test func aFileThatChangedUnderAnUnfinishedJobIsNotResumedSilently() async throws {
        // Old job: chunk 1 sent, never confirmed (journal id 11); this file's chunk 1 differs from it.
        let old = LedgerJob(jobID: "old", startedAt: "2026-12-01T10:00:00Z", chunkCount: 4, unconfirmed: [0: 11])
        let ledger = Ledger(states: [:], content: [1: .init(state: .confirmed, ids: [12])], unfinished: [old])
        do {
            _ = try await plan(ledger, policy: .refuse)
            Issue.record("must refuse")
        } catch let e as BulkJobError {
            #expect(e.description.contains("chunk(s) 1 were sent but never confirmed") && e.description.contains("--accept-changed"), "\(e)")
            #expect(e.description.contains("never sent: 1, 3, 4"), "\(e)")
        }
        let accepted = try await plan(ledger, policy: .refuse, acceptChanged: true)
        #expect(accepted.skip == [1])
        await #expect(throws: BulkJobError.self) { try await plan(ledger, policy: .ask, ask: { _ in false }) }
        // The old job's unconfirmed chunk IS in this file: an ordinary resume question, no "changed".
        let same = Ledger(states: [:], content: [0: .init(state: .unconfirmed, ids: [11])], unfinished: [old])
        #expect(try await plan(same, policy: .skip).skip == [0])
    }
}

@Suite struct OutputTests {
    @Test func tablesAlignWideAndAccentedText() {
        let t = TextTable(columns: ["Name", "ID"], rows: [["山田 太郎", "JP-77"], ["Peñaloza", "CC1"], ["x\u{1B}[31m", "E"]]).render()
        let lines = t.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("─") }
        // The ID column starts at the same terminal column on every line.
        let idColumn = lines.map { line -> Int in
            let last = line.split(separator: " ").last.map(String.init) ?? ""
            return DisplayWidth.of(line) - DisplayWidth.of(last)
        }
        #expect(Set(idColumn).count == 1, "\(t)")
        #expect(!t.contains("\u{1B}"))
    }

    @Test func exitCodesAreTheDocumentedOnes() {
        #expect(ExitStatus.of(APIError.dailyQuotaExceeded(ErrorDetail(status: 403))) == .quotaOrLimit)
        #expect(ExitStatus.of(APIError.timeout(seconds: 60)) == .network)
        #expect(ExitStatus.of(APIError.invalidInput(ValidationError(.phone, "x"))) == .validation)
        #expect(ExitStatus.of(APIError.invalidToken(ErrorDetail(status: 403))) == .apiError)
        #expect(ExitStatus.allCodes == [0, 1, 2, 3, 4, 5, 6, 7, 8])
        // A change that left and lost its answer may be applied: never 3 or 5, which scripts retry on.
        #expect(ExitStatus.ofWrite(APIError.malformedResponse(ErrorDetail(status: 200))) == .incomplete)
        #expect(ExitStatus.ofWrite(APIError.timeout(seconds: 60)) == .incomplete)
        #expect(ExitStatus.ofWrite(APIError.unconfirmedAnswer(ErrorDetail(status: 200))) == .incomplete)
        #expect(ExitStatus.ofWrite(APIError.notSent(.network("connection refused"))) == .network, "never left: nothing applied")
        #expect(ExitStatus.ofWrite(APIError.maintenance(ErrorDetail(status: 403))) == .apiError)
        #expect(ExitStatus.ofWrite(APIError.journalUnavailable("disk full")) == .journalUnavailable, "not an API error: nothing was sent")
    }
}
