import Foundation
import Testing
@testable import WolkvoxAPI

@Suite struct TokenGateTests {
    /// 50 callers at once: the transport must never see more than the limit.
    @Test(arguments: [1, 2])
    func fiftyConcurrentCallersNeverExceedTheLimit(limit: Int) async throws {
        let transport = RecordingTransport { _, _ in
            try await Task.sleep(for: .milliseconds(2))
            return HTTPResponse(status: 200, body: Data(#"{"code":"200","msg":"0 records were found","data":[]}"#.utf8))
        }
        let client = try makeClient(transport, limit: limit)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<50 {
                group.addTask { _ = try await client.find(FindQuery(phone: "30012345\(10 + i)")) }
            }
            try await group.waitForAll()
        }
        #expect(await transport.requests.count == 50)
        #expect(await transport.peakInFlight <= limit)
        #expect(await transport.peakInFlight >= 1)
        #expect(await (client.gate as! TokenGate).peakInFlight <= limit)
    }

    @Test func limitIsClampedToTheAPIMaximumOfTwo() async {
        #expect(TokenGate(limit: 5).limit == 2)
        #expect(TokenGate(limit: 0).limit == 1)
        #expect(TokenGate().limit == 1)
    }

    @Test func aCancelledWaiterDoesNotRunAndFreesNothingItDidNotTake() async throws {
        let gate = TokenGate(limit: 1)
        let release = AsyncStream<Void>.makeStream()
        let holder = Task { try await gate.withPermit { for await _ in release.stream { break } } }
        while await gate.inFlight == 0 { await Task.yield() }
        let ran = ManagedFlag()
        let waiter = Task { try await gate.withPermit { ran.set() } }
        while await gate.waiting == 0 { await Task.yield() }
        waiter.cancel()
        _ = await waiter.result
        release.continuation.yield()
        release.continuation.finish()
        _ = try await holder.value
        #expect(!ran.value)
        #expect(await gate.inFlight == 0)
        #expect(await gate.waiting == 0)
    }
}

final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() {
        lock.lock()
        flag = true
        lock.unlock()
    }
    var value: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }
}

/// A request cancelled after it left keeps its permit until its answer has
/// ended: the server counts it until then (issue 32).
@Suite struct CancelledRequestPermitTests {
    @Test func aCancelledRequestKeepsItsPermitUntilItsAnswerEnds() async throws {
        let body = try Fixture.text("find_record.200.json")
        // The first answer comes only when the test says (the server still
        // working on it); the others at once.
        let (released, release) = AsyncStream<Void>.makeStream()
        let transport = RecordingTransport { _, index in
            if index == 0 { for await _ in released { break } }
            return HTTPResponse(status: 200, body: Data(body.utf8))
        }
        let waiting = Flag()
        Lingering.shared.observe { if $0 { waiting.set() } }
        defer { Lingering.shared.observe(nil) }
        let client = try makeClient(transport)
        let first = Task { try await client.find(FindQuery(phone: "3001234567")) }
        while await transport.inFlight < 1 { try await Task.sleep(for: .milliseconds(2)) }
        first.cancel()
        // The caller hears the cancel while the server still works on it.
        await #expect(throws: APIError.cancelled) { try await first.value }
        #expect(await transport.inFlight == 1, "the cancelled request still runs")
        #expect(Lingering.shared.now >= 1)
        // The next search waits for it (and says so), and does not go out.
        let second = Task { try await client.find(FindQuery(phone: "3001234567")) }
        while !waiting.isSet { try await Task.sleep(for: .milliseconds(2)) }
        #expect(await transport.requests.count == 1, "the second search did not leave beside the first")
        release.yield()
        let answer = try await second.value
        #expect(!answer.records.isEmpty)
        #expect(await transport.peakInFlight == 1, "never two at the server with one permit")
        #expect(await transport.requests.count == 2)
    }

    /// Cancelled while waiting for the permit: nothing is sent, at once.
    @Test func aRequestCancelledBeforeItsPermitSendsNothing() async throws {
        let body = try Fixture.text("find_record.200.json")
        let transport = RecordingTransport { _, _ in
            try? await Task.sleep(for: .milliseconds(300))
            return HTTPResponse(status: 200, body: Data(body.utf8))
        }
        let client = try makeClient(transport)
        let holder = Task { try await client.find(FindQuery(phone: "3001234567")) }
        while await transport.inFlight < 1 { try await Task.sleep(for: .milliseconds(2)) }
        let waiter = Task { try await client.find(FindQuery(phone: "3009990000")) }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: APIError.cancelled) { try await waiter.value }
        _ = try await holder.value
        #expect(await transport.requests.count == 1, "the waiting request never left")
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
