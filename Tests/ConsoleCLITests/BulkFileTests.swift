import LocalStore
import Foundation
import Testing
@testable import ConsoleCLI
@testable import CSVImport
import WolkvoxAPI

/// The streaming side of bulk imports: the file is read a row at a time
/// (same rows, lines and errors as the whole-file reader), validated and
/// given chunk identities in one pass, and sent from a second pass that
/// refuses a file changed in between.
@Suite struct BulkFileTests {
    static func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID())-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    static func file(_ name: String, _ text: String) throws -> URL { try file(name, Array(text.utf8)) }

    @Test func incrementalSHA256IsTheOneShotDigestWhateverTheSplits() {
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var rng = SystemRandomNumberGenerator()
        for size in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var hasher = SHA256.Hasher()
            var rest = bytes[...]
            while !rest.isEmpty {
                let n = Int.random(in: 1...70, using: &rng)
                hasher.update(Array(rest.prefix(n)))
                rest = rest.dropFirst(n)
            }
            #expect(hasher.finalizeHex() == SHA256.hex(of: bytes), "size \(size)")
        }
    }

    @Test func theStreamReadsWhatTheWholeFileReaderReadUpToTheLastByte() throws {
        // No final newline, a quoted newline, a CRLF, a BOM, and a row across the 64 KB read boundary.
        var text = "\u{FEFF}customer_id,customer_name,tel1\n"
        text += "A1,\"two\nlines\",3001234567\r\n"
        while text.utf8.count < FileInputStream.blockSize - 10 { text += "P\(text.utf8.count),x,3001234567\n" }
        text += "LONG,\"\(String(repeating: "é", count: 40))\",3001234567\nLAST,z,3001234567"
        let url = try Self.file("plain.csv", text)
        let streamed = try CSVTable.read(url)
        let parsed = try CSVTable.parse(text)
        #expect(streamed.header == ["customer_id", "customer_name", "tel1"])
        #expect(streamed.rows.map(\.line) == parsed.rows.map(\.line))
        #expect(streamed.rows.map(\.fields) == parsed.rows.map(\.fields))
        #expect(streamed.rows.last?.fields["customer_id"] == "LAST")
        #expect(streamed.rows[1].line == 4, "the quoted newline makes row 2 start on line 4")
    }

    @Test func notUTF8AnywhereIsTheOneClearErrorAndOtherFailuresAreNamed() throws {
        let expected = "is not UTF-8 text; export it as \"CSV UTF-8\"."
        func error(_ url: URL) -> String {
            do {
                _ = try CSVTable.read(url)
                return "no error"
            } catch { return "\(error)" }
        }
        let utf16 = try Self.file("utf16.csv", [0xFF, 0xFE] + Array("t\0e\0l\0\n\0".utf8))
        #expect(error(utf16).contains(expected))
        let late = try Self.file("late.csv", Array("tel1\n3001234567\n".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        #expect(error(late).contains(expected), "\(error(late))")
        #expect(error(URL(fileURLWithPath: "/nonexistent/x.csv")) == "Cannot read /nonexistent/x.csv.")
        #expect(error(FileManager.default.temporaryDirectory).hasPrefix("Cannot read"))
        #expect(error(try Self.file("empty.csv", "")).contains("is empty"))
        #expect(error(try Self.file("dup.csv", "tel1,TEL1\n1,2\n")).contains("appears twice"))
    }

    @Test func passOneKeepsTheFirstProblemsCountsTheRestAndKnowsEveryChunk() async throws {
        var text = "customer_id,tel1\n"
        for i in 0..<25_000 { text += i % 100 == 7 ? "BAD\(i),12\n" : "C\(i),31\(10_000_000 + i)\n" }
        let url = try Self.file("big.csv", text)
        let source = BulkFile<NewRecord>.records(url, campaign: "101")
        let scan = try await source.scan()
        #expect(scan.problemCount == 250 && scan.problems.count == BulkFile<NewRecord>.keptProblems)
        #expect(scan.problems.first?.line == 9)
        #expect(scan.rows == 24_750 && scan.chunkCount == 3 && scan.preview.count == 5)
        // The same job ID as the whole-file computation always gave.
        let table = try RecordCSV.load(try CSVTable.read(url))
        #expect(
            scan.jobID
                == BulkJob.jobID(
                    command: "import", campaign: "101", file: url.lastPathComponent,
                    payload: table.records.map { r in NewRecord.fieldNames.map { r[$0] }.joined(separator: "\u{1F}") }))
        // Pass 2 rebuilds exactly the chunks the client would have cut, and their bodies.
        let feed = try BulkFile.Feed(source, scan: scan)
        let wanted = WolkvoxClient.chunkBodies(records: table.records)
        #expect(WolkvoxClient.chunkBody(records: try feed.chunk(0)) == wanted[0])
        #expect(WolkvoxClient.chunkBody(records: try feed.chunk(2)) == wanted[2], "a skipped chunk is read past")
    }

    @Test func theLedgerIsAskedChunkByChunkAndThePlanUsesItsAnswers() async throws {
        actor Asked {
            var bodies: [String] = []
            func add(_ b: [String]) { bodies += b }
        }
        struct Ledger: ImportLedger {
            let asked: Asked
            let confirmedBody: String
            func chunkStates(jobID: String) async throws -> [Int: ChunkState] { [:] }
            func contentStates(api: String, campaignID: String?, bodies: [String]) async throws -> [Int: ContentMatch] {
                await asked.add(bodies)
                return bodies.first == confirmedBody ? [0: ContentMatch(state: .confirmed, ids: [1])] : [:]
            }
        }
        var text = "telephone\n"
        for i in 0..<12_345 { text += "31\(10_000_000 + i)\n" }
        let url = try Self.file("dnc.csv", text)
        let source = BulkFile<DNCEntry>.dnc(url, defaultDays: 30, countryCode: nil)
        let entries = try DNCCSV.load(try CSVTable.read(url), defaultDays: 30).entries
        let bodies = WolkvoxClient.chunkBodies(dnc: entries)
        let asked = Asked()
        let scan = try await source.scan(ledger: Ledger(asked: asked, confirmedBody: bodies[1]), api: "add_dnc")
        #expect(await asked.bodies == bodies, "one body at a time, each exactly as it is sent")
        #expect(scan.byContent == [1: ContentMatch(state: .confirmed, ids: [1])])
        let plan = try await BulkJob.plan(
            jobID: scan.jobID, api: "add_dnc", campaignID: nil, chunkCount: scan.chunkCount, byContent: scan.byContent,
            resume: true, ledger: Ledger(asked: asked, confirmedBody: ""), policy: .refuse, ask: { _ in false })
        #expect(plan.skip == [1] && plan.alreadyConfirmed == [1])
    }

    @Test func aFileEditedBetweenThePassesStopsTheJobThere() async throws {
        var text = "telephone\n"
        for i in 0..<25_000 { text += "31\(10_000_000 + i)\n" }
        let url = try Self.file("edited.csv", text)
        let source = BulkFile<DNCEntry>.dnc(url, defaultDays: 30, countryCode: nil)
        let scan = try await source.scan()
        try Data(text.replacingOccurrences(of: "3110012000\n", with: "3119999999\n").utf8).write(to: url)
        let feed = try BulkFile.Feed(source, scan: scan)
        #expect(try feed.chunk(0).count == 10_000)
        do {
            _ = try feed.chunk(1)
            Issue.record("an edited chunk must not be sent")
        } catch let APIError.invalidInput(v) {
            #expect(v.message.contains("edited.csv changed while it was being sent: chunk 2"), "\(v.message)")
        }
    }

    @Test func aChunkThatCannotBeHadStopsTheClientsLoopAndIsNotSent() async throws {
        let transport = CountingTransport()
        let client = WolkvoxClient(
            endpoint: try ServiceEndpoint(server: "0025"),
            token: APIToken("demo-token-0000")!, transport: transport, gate: TokenGate(limit: 2),
            journal: MemoryJournal())
        let changed = APIError.invalidInput(ValidationError(.records, "changed"))
        let reports = try await client.addDNC(
            itemCount: 25_000, jobID: "j",
            chunk: { job in
                if job.index == 1 { throw changed }
                return (0..<WolkvoxClient.chunkSize(job.index, of: 25_000)).map { DNCEntry(telephone: "31\(10_000_000 + $0)", days: 30) }
            })
        #expect(reports.map(\.items) == [10_000, 10_000, 5_000])
        #expect(reports[1].outcome == .failed(changed) && reports[2].outcome == .notSent)
        #expect(await transport.count == 1)
    }
}

/// Answers every add_dnc with success and counts the calls.
actor CountingTransport: HTTPTransport {
    private(set) var count = 0
    nonisolated func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        await bump()
        return HTTPResponse(status: 200, body: Data(#"{"code":200,"msg":"ok","data":[{"total_added":1,"total_rejected":0,"total_sent":1}]}"#.utf8))
    }
    private func bump() { count += 1 }
}
