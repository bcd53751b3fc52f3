import Foundation

/// Requests whose caller stopped waiting for them (Esc, Ctrl-C) after they
/// had left. The server keeps working on such a request and counts it
/// against the token's limit until it has finished answering, so the
/// request keeps its slot (in every gate: this process's, the machine's lock
/// file, the team's) until its answer has ended — read and dropped — or the
/// API's 60 s limit has passed. One per process.
public final class Lingering: @unchecked Sendable {
    public static let shared = Lingering()

    private let lock = NSLock()
    private var running = 0
    private var idleWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Requests waiting for a slot while a cancelled one holds it: the same
    /// first-begins/last-ends report a shared gate gives for other holders.
    private let waits = OutsideWaits()

    init() {}

    /// Cancelled requests the server may still be working on.
    public var now: Int { lock.withLock { running } }

    /// `observer(true)` when a request of this process starts waiting for a
    /// slot while a cancelled request still holds one, `observer(false)` when
    /// no request waits so any more. One observer; setting another replaces it.
    public func observe(_ observer: (@Sendable (Bool) -> Void)?) { waits.observe(observer) }

    func begin() { lock.withLock { running += 1 } }

    func end() {
        let waiters: [CheckedContinuation<Void, Never>] = lock.withLock {
            running -= 1
            guard running == 0 else { return [] }
            defer { idleWaiters.removeAll() }
            return Array(idleWaiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// A request is about to wait for its permit: reported only while a
    /// cancelled one lingers (the wait is then the server's, not ours); the
    /// wait's `end()` follows once it has its permit or gave up.
    func waitBegins() -> Wait? {
        guard now > 0 else { return nil }
        waits.begin()
        return Wait(waits)
    }

    /// One reported wait; `end()` may be called more than once.
    final class Wait: @unchecked Sendable {
        private let waits: OutsideWaits
        private let lock = NSLock()
        private var done = false
        init(_ waits: OutsideWaits) { self.waits = waits }
        func end() {
            let first: Bool = lock.withLock {
                defer { done = true }
                return !done
            }
            if first { waits.end() }
        }
    }

    /// Waits until no cancelled request lingers, or `limit` has passed;
    /// true when none lingers. A CLI command calls it before it exits, so the
    /// next process does not find a slot the server still counts.
    public func settled(within limit: Duration) async -> Bool {
        let id = UUID()
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let idle: Bool = self.lock.withLock {
                        if self.running == 0 { return true }
                        self.idleWaiters[id] = continuation
                        return false
                    }
                    if idle { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                let waiter = self.lock.withLock { self.idleWaiters.removeValue(forKey: id) }
                waiter?.resume()
            }
            group.cancelAll()
            return first
        }
    }
}

/// One request's race between its answer and its caller's cancel. Before
/// the permit (or, with a transport that tells, before the request's head
/// was written) a cancel stops the request: nothing reached the server. After
/// it, the caller is answered "cancelled" at once while the request runs on
/// in its own task, holding its slot, until its answer ends.
final class SendRace: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, Error>?
    private var task: Task<Void, Never>?
    private var permitted = false
    private var cancelled = false
    private var abandoned = false
    private var finished = false
    let headWritten = HeadMark()

    /// The caller's side: where the outcome goes.
    func install(_ continuation: CheckedContinuation<HTTPResponse, Error>) { lock.withLock { self.continuation = continuation } }

    func start(_ task: Task<Void, Never>) {
        let stop: Bool = lock.withLock {
            self.task = task
            return cancelled && !permitted
        }
        if stop { task.cancel() }
    }

    /// Inside the permit: false when the caller has gone already (send nothing).
    func permit() -> Bool {
        lock.withLock {
            if cancelled { return false }
            permitted = true
            return true
        }
    }

    /// The caller's task was cancelled.
    func cancel(lingering: Lingering, tracksHead: Bool) {
        enum Step { case stop(Task<Void, Never>?), abandon(CheckedContinuation<HTTPResponse, Error>?), none }
        let step: Step = lock.withLock {
            guard !finished, !cancelled else { return .none }
            cancelled = true
            // Not yet sent (still waiting for a slot, or connecting with a
            // transport that reports the head): stopping it is safe and frees
            // the slot. Already answering: the server's work is done, and
            // closing the connection ends its sending.
            if !permitted || (tracksHead && (!headWritten.value || headWritten.answerBegan)) { return .stop(task) }
            abandoned = true
            finished = true
            // Counted before the lock is let go: the request's own end
            // (which reads `abandoned` under it) then always follows.
            lingering.begin()
            defer { continuation = nil }
            return .abandon(continuation)
        }
        switch step {
        case .stop(let task): task?.cancel()
        case .abandon(let continuation):
            continuation?.resume(throwing: CancellationError())
            // Still computing: wait for it; once it begins to answer, close.
            // The task is read when the answer begins, not now: it may not
            // have been handed to `start` yet.
            if tracksHead { headWritten.whenAnswerBegins { [self] in lock.withLock { task }?.cancel() } }
        case .none: break
        }
    }

    /// The request's own end (answer, failure): the caller hears it unless it left.
    func finish(_ result: Result<HTTPResponse, Error>) {
        let continuation: CheckedContinuation<HTTPResponse, Error>? = lock.withLock {
            guard !finished else { return nil }
            finished = true
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume(with: result)
    }

    var wasAbandoned: Bool { lock.withLock { abandoned } }
}

/// How far a transport got with one request (see
/// `HTTPTransport.reportsRequestHead`): its head written (from here on the
/// server may act on it), and the answer's head arrived (the server has done
/// its work and is only sending: closing the connection ends it there).
public final class HeadMark: @unchecked Sendable {
    private let lock = NSLock()
    private var written = false
    private var answered = false
    private var onAnswer: (@Sendable () -> Void)?

    public func markWritten() { lock.withLock { written = true } }
    public var value: Bool { lock.withLock { written } }

    public func markAnswerBegan() {
        let run: (@Sendable () -> Void)? = lock.withLock {
            answered = true
            defer { onAnswer = nil }
            return onAnswer
        }
        run?()
    }

    public var answerBegan: Bool { lock.withLock { answered } }

    /// Runs `action` when the answer begins, or now if it has.
    func whenAnswerBegins(_ action: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            if answered { return true }
            onAnswer = action
            return false
        }
        if now { action() }
    }

    /// The mark of the request this task is sending, if its client wants one.
    @TaskLocal public static var current: HeadMark?
}
