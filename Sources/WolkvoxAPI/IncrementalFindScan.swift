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

    init() {}

    mutating func advance(_ body: Data) {
        guard body.count >= retryAt else { return }
        switch phase {
        case .done, .abandoned: return
        case .start, .members, .records: break
        }
        body.withUnsafeBytes { raw in
            var scanner = FindAnswerScanner(bytes: raw.bindMemory(to: UInt8.self), at: committed)
            scanner.resume(&phase, &result, committed: &committed)
        }
        // What was tried and did not complete must double before the next try.
        retryAt = body.count + max(1, body.count - committed)
    }

    /// The answer, when the whole body was read while it arrived.
    mutating func finish(_ body: Data) -> FindAnswerScanner.Result? {
        retryAt = 0
        advance(body)
        guard case .done = phase else { return nil }
        let rest = body.count - committed
        let trailing = body.withUnsafeBytes { raw in
            raw.suffix(rest).allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        }
        return trailing ? result : nil
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
        _ phase: inout IncrementalFindScan.Phase, _ result: inout Result, committed: inout Int
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
        }
    }
}
