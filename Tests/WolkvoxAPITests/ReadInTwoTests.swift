import Foundation
import NIOCore
import Synchronization
import Testing
@testable import WolkvoxAPI

/// Issue 20: a large find_record answer is read on a thread that follows
/// its arrival, and what is unread when it is complete in two halves on two
/// threads. Whatever the bytes, the answer must be the one reading's.
@Suite struct ReadInTwoTests {
    static func record(_ n: Int, opt1: String = "uno") -> String {
        #"{"customer_id":"ID\#(n)","customer_name":"Ana \#(n)","opt1":"\#(opt1)","tel1":"300\#(1_000_000 + n)"}"#
    }

    static func body(_ elements: [String], after: String = "") -> Data {
        Data((#"{"code":"200","msg":"m","data":["# + elements.joined(separator: ",") + "]" + after + "}").utf8)
    }

    /// Read whole, ending with a split whenever anything is left (`splitFrom: 1`).
    static func readInTwo(_ body: Data) -> (FindAnswerScanner.Result?, joined: Int) {
        var scan = IncrementalFindScan()
        let answer = scan.finish(body, splitFrom: 1)
        return (answer, scan.halvesJoined)
    }

    @Test func aPlainAnswerIsReadInTwoHalvesWithTheSameRows() throws {
        let body = Self.body((0..<200).map { Self.record($0) })
        let (answer, joined) = Self.readInTwo(body)
        #expect(joined == 1, "the later half was read by the second thread")
        #expect(answer == FindAnswerScanner.scan(body))
        #expect(answer?.rows.map(\.customerID) == (0..<200).map { "ID\($0)" }, "in order, none twice, none lost")
    }

    /// Where the guessed split falls inside a value, the second half is
    /// dropped and the answer is still the one reading's.
    @Test(arguments: [
        // `},{` inside a string across the middle.
        body((0..<3).map { record($0) } + [record(3, opt1: String(repeating: "x},{y", count: 400))] + (4..<6).map { record($0) }),
        // `},{` in a nested value of a field (skipped, not a record).
        body(
            (0..<2).map { record($0) }
                + [#"{"customer_id":"N","opt2":[{"a":1},{"b":2},{"c":3},{"d":["# + String(repeating: "[{},{}],", count: 300) + "1]}]}"] + [record(9)]),
        // Non-records around the middle, and members after `data`.
        body((0..<40).map { $0 % 3 == 0 ? "[{},{}]" : $0 % 5 == 0 ? "null" : record($0) }, after: #","msg":"after","extra":[{"a":1},{"b":2}]"#),
        // A second `data` member after the first: the last one is the answer.
        body((0..<50).map { record($0) }, after: #","data":[{"customer_id":"only"}]"#),
    ])
    func aGuessInsideAValueNeverChangesTheAnswer(body: Data) throws {
        let (answer, _) = Self.readInTwo(body)
        #expect(answer == FindAnswerScanner.scan(body))
        #expect(answer != nil)
    }

    @Test func aMalformedLaterHalfIsRefusedAsTheWholeScanRefusesIt() {
        var text = String(decoding: Self.body((0..<100).map { Self.record($0) }), as: UTF8.self)
        text = text.replacingOccurrences(of: #""ID80""#, with: #""ID80"#)
        #expect(FindAnswerScanner.scan(Data(text.utf8)) == nil)
        #expect(Self.readInTwo(Data(text.utf8)).0 == nil)
        let cut = Data(Self.body((0..<100).map { Self.record($0) }).dropLast(30))
        #expect(Self.readInTwo(cut).0 == nil)
    }

    /// The decoder thread fed as the event loop feeds it: any chunk size,
    /// the same answer, the body handed on without a copy.
    @Test(arguments: [1_000, 65_536, 1 << 20])
    func theFollowingThreadGivesTheWholeScansAnswer(chunk: Int) async throws {
        let body = NIOTransportTests.findBody(rows: 6_000)
        let decoder = FollowingFindDecoder(capacity: body.count, splitFrom: 64 * 1024)
        var at = 0
        while at < body.count {
            let piece = body[at..<min(at + chunk, body.count)]
            #expect(decoder.append(ByteBuffer(bytes: piece)))
            at += chunk
        }
        #expect(!decoder.append(ByteBuffer(bytes: [0x20])), "no byte past the declared length")
        decoder.complete()
        let answer = await decoder.result()
        #expect(answer == FindAnswerScanner.scan(body))
        #expect(answer?.rows.count == 6_000)
        #expect(decoder.body == body)
    }

    /// Esc or the deadline while the records are still being read: the
    /// wait answers nil at once, not when the reading ends.
    @Test func aCancelledWaitAnswersAtOnce() async throws {
        let body = NIOTransportTests.findBody(rows: 2_000)
        let decoder = FollowingFindDecoder(capacity: body.count)
        #expect(decoder.append(ByteBuffer(bytes: body.prefix(body.count / 2))))
        let answered = Atomic<Bool>(false)
        let waiting = Task {
            let answer = await decoder.result()
            answered.store(true, ordering: .relaxed)
            return answer
        }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        // The body never completes: only the cancel can end this wait.
        let deadline = ContinuousClock.now + .seconds(2)
        while !answered.load(ordering: .relaxed) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let answeredInTime = answered.load(ordering: .relaxed)
        #expect(answeredInTime, "the cancelled wait answered")
        decoder.abandon()  // (without the cancel, this is what would end it)
        #expect(await waiting.value == nil)
    }

    /// A cancelled or failed exchange ends the thread and frees the buffer.
    @Test func anAbandonedBodyEndsTheThreadAndFreesTheBuffer() async throws {
        let body = NIOTransportTests.findBody(rows: 2_000)
        weak var gone: FollowingFindDecoder?
        do {
            let decoder = FollowingFindDecoder(capacity: body.count)
            gone = decoder
            #expect(decoder.append(ByteBuffer(bytes: body.prefix(body.count / 2))))
            decoder.abandon()
            #expect(await decoder.result() == nil)
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while gone != nil && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(gone == nil, "the thread let go of the buffer")
    }
}
