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
