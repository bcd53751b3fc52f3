import Foundation

/// Decoding while the body arrives: `advance` is given the body received so
/// far after each chunk and reads every element it now holds whole, so that
/// when the last byte lands the records are ready. It reads with the same
/// scanner, one envelope member or one `data` element at a time; an element
/// cut by the end of what has arrived is read again, from its start, once
/// what arrived after it is at least as long as what was tried (so a value
/// spanning many chunks costs linear, not quadratic, time).
///
/// `finish` gives the scanner's answer only when every byte was read this
/// way; anything else (a `data` object, malformed or truncated JSON) is nil
/// and the caller scans the whole body as before, so the two paths cannot
/// disagree.
struct IncrementalFindScan {
    enum Phase { case start, members(first: Bool), records(first: Bool), done, abandoned }
    private var phase = Phase.start
    /// Bytes read for good: everything before is in `result`.
    private var committed = 0
    private var retryAt = 0
    private var result = FindAnswerScanner.Result(code: nil, error: nil, msg: "", rows: [])
    /// How many times a second thread's half was taken (tests).
    private(set) var halvesJoined = 0

    init() {}

    mutating func advance(_ body: Data) {
        body.withUnsafeBytes { advance($0.bindMemory(to: UInt8.self)) }
    }

    mutating func advance(_ body: UnsafeBufferPointer<UInt8>) {
        guard body.count >= retryAt else { return }
        switch phase {
        case .done, .abandoned: return
        case .start, .members, .records: break
        }
        var scanner = FindAnswerScanner(bytes: body, at: committed)
        scanner.resume(&phase, &result, committed: &committed)
        // What was tried and did not complete must double before the next try.
        retryAt = body.count + max(1, body.count - committed)
    }

    /// The answer, when the whole body was read while it arrived.
    mutating func finish(_ body: Data, splitFrom: Int = .max) -> FindAnswerScanner.Result? {
        body.withUnsafeBytes { finish($0.bindMemory(to: UInt8.self), splitFrom: splitFrom) }
    }

    /// The answer, when the whole body was read while it arrived. When at
    /// least `splitFrom` bytes of `data` elements are still unread, a second
    /// thread reads the later half of them (`RecordsPart`) while this one
    /// reads up to where that half begins; see `readInTwo`.
    mutating func finish(_ body: UnsafeBufferPointer<UInt8>, splitFrom: Int = .max) -> FindAnswerScanner.Result? {
        retryAt = 0
        if splitFrom < body.count {
            readUpToRecords(body)
            if case .records = phase, body.count - committed >= splitFrom { readInTwo(body) }
        }
        advance(body)
        guard case .done = phase else { return nil }
        let trailing = body[committed...].allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return trailing ? result : nil
    }

    /// Reads envelope members one at a time until `data`'s elements begin
    /// (or nothing more can be read).
    private mutating func readUpToRecords(_ body: UnsafeBufferPointer<UInt8>) {
        while true {
            switch phase {
            case .start, .members: break
            case .records, .done, .abandoned: return
            }
            let before = committed
            var scanner = FindAnswerScanner(bytes: body, at: before)
            scanner.resume(&phase, &result, committed: &committed, stopAt: before + 1)
            if committed == before { return }
        }
    }

    /// The unread elements in two halves, one a thread, with one reading's
    /// answer. The split is a guess: the first `}` `,` `{` past the middle,
    /// which may as well be inside a string or a nested value. The guess
    /// stands only if this thread, reading on from where it was, stops
    /// exactly there between two elements of `data`: from that place and
    /// phase the scanner reads the same bytes the same way whoever runs it,
    /// so the second half's rows are what this thread would have read. Else
    /// (a guess inside a value, a malformed part) the other half is dropped
    /// and this thread reads on alone, as with no split.
    mutating func readInTwo(_ body: UnsafeBufferPointer<UInt8>) {
        guard let split = FindAnswerScanner.elementBoundary(in: body, after: committed + (body.count - committed) / 2) else { return }
        // This thread's array sized for both halves from the rows read so
        // far, so that joining them does not double it (at 60,000 rows a
        // doubling is 6–12 MB of peak memory).
        let perRow = max(1, committed / max(result.rows.count, 1))
        let slack = (body.count - committed) / perRow / 32 + 16
        let later = RecordsPart(body, from: split)
        if !result.rows.isEmpty { result.rows.reserveCapacity(result.rows.count + (body.count - committed) / perRow + slack) }
        var scanner = FindAnswerScanner(bytes: body, at: committed)
        scanner.resume(&phase, &result, committed: &committed, stopAt: split)
        guard committed == split, case .records(first: false) = phase else {
            later.cancel()
            return
        }
        guard var read = later.wait() else { return }
        // Piece by piece, each freed once copied: the two halves are never
        // both whole in memory.
        for k in read.rows.indices {
            result.rows.append(contentsOf: read.rows[k])
            read.rows[k] = []
        }
        result.skippedRows += read.skipped
        committed = read.end
        phase = .members(first: false)
        halvesJoined += 1
    }
}

extension FindAnswerScanner {
    init(bytes: UnsafeBufferPointer<UInt8>, at position: Int) {
        self.init(bytes: bytes)
        i = position
    }

    /// Reads whole members and elements from `committed` on, moving
    /// `committed` past each; stops at the first one the bytes do not hold
    /// whole (or that is malformed, which `finish` leaves to the full scan).
    mutating func resume(
        _ phase: inout IncrementalFindScan.Phase, _ result: inout Result, committed: inout Int, stopAt: Int = .max
    ) {
        while true {
            // `phase` and `committed` move together, only past whole parts.
            var next = phase
            var newRows = false
            var row: CustomerRecord?
            var skipped = false
            switch next {
            case .done, .abandoned: return
            case .start:
                skipSpace()
                if i + 3 <= bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF {
                    i += 3
                    skipSpace()
                }
                guard take(UInt8(ascii: "{")) else { return }
                next = .members(first: true)
            case .members(var first):
                guard let member = member(&first) else { return }
                guard case .key(let key) = member else {
                    next = .done
                    break
                }
                if key == "data" {
                    // An array is read element by element; any other `data` is left to the full scan.
                    guard take(UInt8(ascii: "[")) else {
                        if peek != nil { phase = .abandoned }
                        return
                    }
                    newRows = true
                    next = .records(first: true)
                } else {
                    guard envelopeValue(key, into: &result) else { return }
                    next = .members(first: false)
                }
            case .records(var first):
                guard let more = nextItem(&first, closer: UInt8(ascii: "]")) else { return }
                if more {
                    guard let element = element() else { return }
                    switch element {
                    case .record(let r): row = r
                    case .skipped: skipped = true
                    }
                    next = .records(first: false)
                } else {
                    next = .members(first: false)
                }
            }
            // A value at the very end of what arrived may go on in the next
            // piece (`20` of `200`): it counts once a byte after it is here.
            // A whole answer always has one (its closing brace) until done.
            if case .done = next {} else if peek == nil { return }
            if newRows {
                result.rows = []
                result.hasData = true
                result.skippedRows = 0
            }
            if let row { result.rows.append(row) }
            if skipped { result.skippedRows += 1 }
            phase = next
            committed = i
            if committed >= stopAt { return }
        }
    }
}
