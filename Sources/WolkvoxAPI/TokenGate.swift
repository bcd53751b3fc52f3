/// Limits requests in flight for one token inside one process. The API
/// forbids more than 2 simultaneous requests per token (and a third is
/// answered 403), so every request of the process — UI searches, bulk jobs,
/// the CLI — passes through one gate. Default 1 (serial, the safe reading of
/// "may not be consumed simultaneously"); never above 2. Waiters are served
/// in the order they came, and a cancelled waiter leaves the queue.
/// `MachineGate` puts this one in front of its file locks, so the order and
/// the cancellation hold there too.
public actor TokenGate: PermitGate {
    public static let hardLimit = 2

    public nonisolated let limit: Int
    public private(set) var inFlight = 0
    /// The highest `inFlight` ever reached; tests assert on it.
    public private(set) var peakInFlight = 0

    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Error>)] = []
    private var nextWaiterID: UInt64 = 0

    public init(limit: Int = 1) {
        self.limit = min(max(limit, 1), Self.hardLimit)
    }

    /// Runs `body` holding one permit; waits (cancellably) while the gate is full.
    public nonisolated func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }

    public var waiting: Int { waiters.count }

    func acquire() async throws {
        try Task.checkCancellation()
        if inFlight < limit && waiters.isEmpty {
            take()
            return
        }
        nextWaiterID &+= 1
        let id = nextWaiterID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    func release() {
        inFlight -= 1
        precondition(inFlight >= 0, "TokenGate released more permits than it gave")
        if !waiters.isEmpty {
            let next = waiters.removeFirst()
            take()
            next.continuation.resume()
        }
    }

    private func take() {
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.continuation.resume(throwing: CancellationError())
    }
}
