import Foundation
import NIOCore

/// A large find_record answer of known length, read on a thread of its own
/// while it arrives. The event loop only copies each chunk into one buffer
/// of stable address, sized from `Content-Length`, and says how far it is
/// filled; this thread follows, reading every element that has arrived
/// whole (`IncrementalFindScan`). On a slow network it keeps up and the
/// records are ready when the last byte lands; on a fast one (loopback, a
/// LAN: 25 MB in ~10 ms) what it has not read yet when the body is complete
/// is read in two halves, on two threads (`IncrementalFindScan.readInTwo`).
///
/// Before, the event loop read each chunk itself before taking the next, so
/// reading paced the download and used one core.
final class FollowingFindDecoder: @unchecked Sendable {
    /// Bodies below this are read on the event loop as before: a thread is
    /// not worth it for the common few-record answer.
    static let minimumBytes = 512 * 1024
    /// Unread bytes at the end worth a second thread.
    static let splitFromBytes = 1024 * 1024

    let capacity: Int
    private let base: UnsafeMutablePointer<UInt8>
    private let splitFrom: Int
    private let lock = NSCondition()
    // Under `lock`:
    private var filled = 0
    private var ending: Ending?
    private var answer: FindAnswerScanner.Result??
    private var waiter: CheckedContinuation<FindAnswerScanner.Result?, Never>?
    private var waitCancelled = false

    private enum Ending { case complete, abandoned }

    init(capacity: Int, splitFrom: Int = FollowingFindDecoder.splitFromBytes) {
        self.capacity = capacity
        self.splitFrom = splitFrom
        base = Self.allocate(capacity)
        Thread.detachNewThread { [self] in follow() }
    }

    deinit { free(base) }

    /// A large buffer in 2 MiB pages where the kernel allows it (THP in
    /// `madvise` mode): 25 MB arrive with a dozen page faults, not 6,000.
    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let huge = 2 << 20
        var raw: UnsafeMutableRawPointer?
        if capacity >= 2 * huge, posix_memalign(&raw, huge, capacity) == 0, let raw {
            #if os(Linux)
            _ = madvise(raw, capacity, MADV_HUGEPAGE)
            #endif
            return raw.bindMemory(to: UInt8.self, capacity: capacity)
        }
        return malloc(max(capacity, 1))!.bindMemory(to: UInt8.self, capacity: max(capacity, 1))
    }

    /// On the event loop: false when the chunk goes past the declared length
    /// (the caller then collects the body as before).
    func append(_ chunk: ByteBuffer) -> Bool {
        let at = filled  // only this thread writes `filled`
        guard chunk.readableBytes <= capacity - at else { return false }
        chunk.withUnsafeReadableBytes { raw in
            guard let from = raw.baseAddress, raw.count > 0 else { return }
            (base + at).update(from: from.assumingMemoryBound(to: UInt8.self), count: raw.count)
        }
        lock.lock()
        filled = at + chunk.readableBytes
        lock.signal()
        lock.unlock()
        return true
    }

    /// The body so far, without a copy; it keeps this buffer alive.
    var body: Data {
        lock.lock()
        let count = filled
        lock.unlock()
        return Data(bytesNoCopy: base, count: count, deallocator: .custom { _, _ in withExtendedLifetime(self) {} })
    }

    /// The last byte has arrived.
    func complete() { end(.complete) }

    /// The exchange failed or was cancelled: the thread stops at its next
    /// look at the buffer and the answer is nil.
    func abandon() { end(.abandoned) }

    private func end(_ how: Ending) {
        lock.lock()
        if ending == nil { ending = how }
        lock.signal()
        lock.unlock()
    }

    /// The records, exactly as scanning the whole body would give them, or
    /// nil where the whole scan must decide (see `IncrementalFindScan`).
    /// One caller. Cancelling it (Esc, the deadline) answers nil at once;
    /// the thread finishes what it was reading (tens of ms at most) and ends.
    func result() async -> FindAnswerScanner.Result? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                lock.lock()
                precondition(waiter == nil, "one caller")
                if let answer {
                    lock.unlock()
                    continuation.resume(returning: answer)
                } else if waitCancelled {
                    lock.unlock()
                    continuation.resume(returning: nil)
                } else {
                    waiter = continuation
                    lock.unlock()
                }
            }
        } onCancel: {
            lock.lock()
            waitCancelled = true
            let waiting = waiter
            waiter = nil
            lock.unlock()
            waiting?.resume(returning: nil)
        }
    }

    private func follow() {
        var scan = IncrementalFindScan()
        var seen = 0
        var outcome: FindAnswerScanner.Result?
        while true {
            lock.lock()
            while filled == seen && ending == nil { lock.wait() }
            let now = filled
            let how = ending
            lock.unlock()
            let bytes = UnsafeBufferPointer(start: base, count: now)
            if how == .abandoned { break }
            if how == .complete {
                outcome = scan.finish(bytes, splitFrom: splitFrom)
                break
            }
            scan.advance(bytes)
            seen = now
        }
        lock.lock()
        answer = .some(outcome)
        let waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?.resume(returning: outcome)
    }
}
