import Foundation
import Synchronization

/// The second thread of `IncrementalFindScan.readInTwo`, and what it reads with.
extension FindAnswerScanner {
    /// Where a `data` element may end: just after the first `}` from
    /// `start` on that is followed by `,` and `{` (space allowed between).
    /// A guess; `IncrementalFindScan.readInTwo` checks it.
    static func elementBoundary(in body: UnsafeBufferPointer<UInt8>, after start: Int) -> Int? {
        guard let base = body.baseAddress else { return nil }
        var at = start
        while at < body.count, let hit = memchr(base + at, Int32(UInt8(ascii: "}")), body.count - at) {
            let close = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var s = FindAnswerScanner(bytes: body, at: close + 1)
            s.skipSpace()
            if s.take(UInt8(ascii: ",")) {
                s.skipSpace()
                if s.peek == UInt8(ascii: "{") { return close + 1 }
            }
            at = close + 1
        }
        return nil
    }

    /// `data` elements from `i` (just after an element) to the array's `]`:
    /// nil when malformed or when `stop` says to give up.
    /// The rows come in pieces of `RecordsPart.piece`, so that they can be
    /// joined to the first half's array one piece at a time.
    mutating func remainingElements(stop: () -> Bool) -> (rows: [[CustomerRecord]], skipped: Int, end: Int)? {
        var rows: [[CustomerRecord]] = []
        var piece: [CustomerRecord] = []
        var skipped = 0
        var first = false
        while !stop() {
            guard let more = nextItem(&first, closer: UInt8(ascii: "]")) else { return nil }
            guard more else {
                if !piece.isEmpty { rows.append(piece) }
                return (rows, skipped, i)
            }
            switch element() {
            case .record(let r):
                if piece.isEmpty { piece.reserveCapacity(RecordsPart.piece) }
                piece.append(r)
                if piece.count == RecordsPart.piece {
                    rows.append(piece)
                    piece = []
                }
            case .skipped: skipped += 1
            case nil: return nil
            }
        }
        return nil
    }
}

/// The later half of `IncrementalFindScan.readInTwo`, read on a thread of
/// its own. `wait` always joins that thread, so the bytes it reads need to
/// live only as long as the call that made it.
final class RecordsPart: @unchecked Sendable {
    typealias Read = (rows: [[CustomerRecord]], skipped: Int, end: Int)
    /// Rows a piece: ~370 KB, over the 256 KiB above which a freed block goes
    /// straight back to the kernel (`Memory.returnLargeBlocksAtOnce`, for the CLI).
    static let piece = 2_048
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private var read: Read?

    init(_ body: UnsafeBufferPointer<UInt8>, from start: Int) {
        let bytes = UncheckedBytes(body)
        Thread.detachNewThread { [self] in
            var scanner = FindAnswerScanner(bytes: bytes.body, at: start)
            read = scanner.remainingElements { stopped.load(ordering: .relaxed) }
            done.signal()
        }
    }

    /// The rows read (nil when malformed), once the thread has ended; handed
    /// over, not kept, so that each piece is freed once joined.
    func wait() -> Read? {
        done.wait()
        defer { read = nil }
        return read
    }

    /// Stops the thread at its next element and waits for it to end.
    func cancel() {
        stopped.store(true, ordering: .relaxed)
        done.wait()
    }
}

/// A buffer pointer handed to a thread that is joined before the bytes go.
struct UncheckedBytes: @unchecked Sendable {
    let body: UnsafeBufferPointer<UInt8>
    init(_ body: UnsafeBufferPointer<UInt8>) { self.body = body }
}
