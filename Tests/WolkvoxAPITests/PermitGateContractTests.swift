import Foundation
import Testing
@testable import WolkvoxAPI

/// The same contract for every form of the gate: order, cancellation while
/// waiting, release on error, never above the limit.
enum GateForm: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case inProcess, machine

    var testDescription: String { rawValue }

    func make(limit: Int, directory: URL? = nil) throws -> any PermitGate {
        switch self {
        case .inProcess: return TokenGate(limit: limit)
        case .machine:
            return try MachineGate(directory: directory ?? GateDirs.fresh(), server: "0025", tokenFingerprint: "0123456789abcdef", limit: limit)
        }
    }
}

enum GateDirs {
    static func fresh() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("wvgate-\(UUID().uuidString)", isDirectory: true)
    }
}

/// Requests of this process queued for an in-process permit.
func queued(_ gate: any PermitGate) async -> Int {
    if let g = gate as? TokenGate { return await g.waiting }
    if let g = gate as? MachineGate { return await g.local.waiting }
    return 0
}

/// Counts bodies running at once.
/// Takes a permit and holds it until `release()`.
struct PermitHolder {
    let task: Task<Void, any Error>
    let stop: AsyncStream<Void>.Continuation

    static func take(_ gate: any PermitGate) async throws -> PermitHolder {
        let (stream, release) = AsyncStream<Void>.makeStream()
        let started = ManagedFlag()
        let task = Task {
            try await gate.withPermit {
                started.set()
                for await _ in stream { break }
            }
        }
        while !started.value { await Task.yield() }
        return PermitHolder(task: task, stop: release)
    }

    func release() async throws {
        stop.yield()
        stop.finish()
        try await task.value
    }
}

actor Concurrency {
    var now = 0, peak = 0
    var order: [Int] = []
    func enter(_ i: Int = 0) {
        now += 1
        peak = max(peak, now)
        order.append(i)
    }
    func leave() { now -= 1 }

    /// Runs `tasks` 1 ms holds, task i through `gates[i % count]`; the most held at once.
    static func peak(of gates: [any PermitGate], tasks: Int = 40) async throws -> Int {
        let c = Concurrency()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<tasks {
                let gate = gates[i % gates.count]
                group.addTask {
                    try await gate.withPermit {
                        await c.enter()
                        try await Task.sleep(for: .milliseconds(1))
                        await c.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        return await c.peak
    }
}

@Suite struct PermitGateContractTests {
    @Test(arguments: GateForm.allCases, [1, 2])
    func neverAboveTheLimit(form: GateForm, limit: Int) async throws {
        let gate = try form.make(limit: limit)
        let peak = try await Concurrency.peak(of: [gate])
        #expect(peak <= limit)
        #expect(peak >= 1)
        #expect(gate.limit == limit)
    }

    @Test(arguments: GateForm.allCases)
    func waitersAreServedInTheOrderTheyCame(form: GateForm) async throws {
        let gate = try form.make(limit: 1)
        let c = Concurrency()
        let holder = try await PermitHolder.take(gate)
        var waiters: [Task<Void, Error>] = []
        for i in 1...5 {
            waiters.append(
                Task {
                    try await gate.withPermit {
                        await c.enter(i)
                        await c.leave()
                    }
                })
            while await queued(gate) < i { await Task.yield() }
        }
        try await holder.release()
        for w in waiters { try await w.value }
        #expect(await c.order == [1, 2, 3, 4, 5])
    }

    @Test(arguments: GateForm.allCases)
    func aCancelledWaiterNeverRunsAndTakesNothing(form: GateForm) async throws {
        let gate = try form.make(limit: 1)
        let holder = try await PermitHolder.take(gate)
        let ran = ManagedFlag()
        let waiter = Task { try await gate.withPermit { ran.set() } }
        while await queued(gate) == 0 { await Task.yield() }
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
        try await holder.release()
        #expect(!ran.value)
        // Every permit is back: `limit` bodies can run at once again.
        let again = try await gate.withPermit { 7 }
        #expect(again == 7)
    }

    @Test(arguments: GateForm.allCases)
    func anErrorInTheBodyGivesThePermitBack(form: GateForm) async throws {
        struct Boom: Error {}
        let gate = try form.make(limit: 1)
        for _ in 0..<3 {
            await #expect(throws: Boom.self) { try await gate.withPermit { throw Boom() } }
        }
        let value = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { try await gate.withPermit { 42 } }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                throw Boom()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        #expect(value == 42)
        if let g = gate as? MachineGate { #expect(g.holdingNow == 0) }
    }
}

/// The file-lock form across holders: two gates on the same folder stand for
/// two processes (flock locks belong to an open file, so two opens conflict
/// even inside one process).
@Suite struct MachineGateTests {
    @Test(arguments: [1, 2])
    func twoProcessesShareTheLimit(limit: Int) async throws {
        let dir = GateDirs.fresh()
        let a = try GateForm.machine.make(limit: limit, directory: dir)
        let b = try GateForm.machine.make(limit: limit, directory: dir)
        #expect(try await Concurrency.peak(of: [a, b]) <= limit)
    }

    @Test func waitingForAnotherHolderIsReportedAndCancellable() async throws {
        let dir = GateDirs.fresh()
        let other = try MachineGate(directory: dir, server: "0025", tokenFingerprint: "0123456789abcdef", limit: 1)
        let mine = try MachineGate(directory: dir, server: "0025", tokenFingerprint: "0123456789abcdef", limit: 1)
        let seen = Events()
        mine.observeOutsideWait { seen.append($0) }
        let holder = try await PermitHolder.take(other)
        let ran = ManagedFlag()
        let waiter = Task { try await mine.withPermit { ran.set() } }
        while mine.waitingOutside == 0 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(seen.values == [true])
        waiter.cancel()
        _ = await waiter.result
        #expect(!ran.value)
        #expect(seen.values == [true, false])
        #expect(mine.waitingOutside == 0 && mine.holdingNow == 0)
        try await holder.release()
        try await mine.withPermit { ran.set() }
        #expect(ran.value)
    }

    @Test func aHolderThatGoesAwayFreesItsSlot() async throws {
        let dir = GateDirs.fresh()
        var dying: MachineGate? = try MachineGate(directory: dir, server: "0025", tokenFingerprint: "0123456789abcdef", limit: 1)
        let mine = try MachineGate(directory: dir, server: "0025", tokenFingerprint: "0123456789abcdef", limit: 1)
        // Take the slot by hand, as a process that then dies holding it.
        let fd = open(dying!.slotPaths[0], O_RDWR)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        dying = nil
        let waiter = Task { try await mine.withPermit { 1 } }
        while mine.waitingOutside == 0 { try await Task.sleep(for: .milliseconds(1)) }
        close(fd)  // what the kernel does when the holder dies
        // How fast is timed from outside a loaded test process, by the
        // kill -9 end-to-end test; here: the waiter gets the slot at all.
        #expect(try await waiter.value == 1)
    }

    @Test func filesArePrivateAndNeverNamedAfterTheToken() async throws {
        let dir = GateDirs.fresh()
        let gate = try MachineGate(directory: dir, server: "0025", tokenFingerprint: "0123456789abcdef", limit: 2)
        try await gate.withPermit {}
        var st = stat()
        #expect(stat(dir.path, &st) == 0 && st.st_mode & 0o777 == 0o700)
        for path in gate.slotPaths {
            #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
            #expect(path.hasSuffix(".lock") && path.contains("0123456789abcdef"))
        }
        #expect(gate.slotPaths.count == 2)
    }

    @Test func aSymlinkedSlotFileIsRefused() throws {
        let dir = GateDirs.fresh()
        let gate = try MachineGate(directory: dir, server: "0025", tokenFingerprint: "0123456789abcdef", limit: 1)
        let path = gate.slotPaths[0]
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/tmp/elsewhere-\(UUID().uuidString)")
        #expect(throws: MachineGate.Failure.self) {
            _ = try MachineGate(directory: dir, server: "0025", tokenFingerprint: "0123456789abcdef", limit: 1)
        }
    }
}

final class Events: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Bool] = []
    func append(_ b: Bool) { lock.withLock { items.append(b) } }
    var values: [Bool] { lock.withLock { items } }
}
