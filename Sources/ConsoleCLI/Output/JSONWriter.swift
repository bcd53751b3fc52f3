import Foundation
import WolkvoxAPI

/// A byte-level JSON writer for the one output that can be huge: `find
/// --json` with up to 60,000 records. Foundation's JSONEncoder (sorted,
/// snake-cased keys) spent most of a 60,000-row run encoding; this writes the
/// same document — same keys, same order, same values — directly.
///
/// Strings are escaped so the output is safe to print on a terminal and
/// still carries the server's data exactly: besides what JSON requires
/// (quote, backslash, C0 controls) it escapes DEL, the C1 controls (U+0080–
/// U+009F, which some terminals read as CSI/OSC) and the bidi and line
/// separator characters as `\uXXXX`. `JSONOutput.terminalSafe` applies the
/// same rule to everything JSONEncoder writes.
final class JSONWriter {
    /// One growable buffer written through a pointer: appends are a bounds
    /// check and a memcpy (an Array's uniqueness and capacity checks on every
    /// small append were a fifth of a 60,000-row write).
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// When set, `flushIfLarge` hands the bytes on once they pass 1 MiB.
    private let out: StdoutWriter?

    init(capacity: Int = 0, flushingTo out: StdoutWriter? = nil) {
        self.capacity = max(capacity, 256)
        base = .allocate(capacity: self.capacity)
        self.out = out
    }

    deinit { base.deallocate() }

    /// What has been written (and not yet flushed).
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Called between records: keeps at most ~1 MiB in memory when streaming.
    func flushIfLarge() {
        guard let out, count >= StdoutWriter.chunk else { return }
        StdoutWriter.write(UnsafeRawBufferPointer(start: base, count: count), to: out.fd)
        count = 0
    }

    /// Another writer's bytes (written by another thread, see
    /// `JSONOutput.writeRecords`): streamed straight out when streaming.
    func append(_ other: JSONWriter) {
        let run = UnsafeBufferPointer(start: other.base, count: other.count)
        guard let out else { return append(run) }
        StdoutWriter.write(UnsafeRawBufferPointer(start: base, count: count), to: out.fd)
        count = 0
        StdoutWriter.write(UnsafeRawBufferPointer(run), to: out.fd)
    }

    /// Writes the rest (streaming only).
    func finish() {
        guard let out else { return }
        StdoutWriter.write(UnsafeRawBufferPointer(start: base, count: count), to: out.fd)
        count = 0
    }

    @inline(__always)
    private func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        grow(n)
    }

    private func grow(_ n: Int) {
        let grown = max(capacity * 2, count + n)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = grown
    }

    @inline(__always)
    private func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let from = run.baseAddress else { return }
        reserve(run.count)
        (base + count).update(from: from, count: run.count)
        count += run.count
    }

    func raw(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Bytes already JSON (a whole encoded value).
    func json(_ data: Data) { data.withUnsafeBytes { append($0.bindMemory(to: UInt8.self)) } }

    func int(_ value: Int) {
        var text = String(value)
        text.withUTF8 { append($0) }
    }

    /// `"key":` — keys are our own ASCII names.
    func key(_ name: StaticString) {
        append(0x22)
        raw(name)
        append(0x22)
        append(0x3A)
    }

    /// `"key":"value",` — a string field followed by the comma before the next.
    func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
        raw(",")
    }

    func string(_ s: String) {
        append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            let n = utf8.count
            // What needs no escape is copied as runs, one append each
            // (appending byte by byte was most of a 60,000-row write).
            var run = 0
            var i = 0
            while i < n {
                let b = utf8[i]
                if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C {
                    i += 1
                    continue
                }
                var escape: UInt32?
                var length = 1
                if b < 0x80 {
                    escape = UInt32(b)
                } else {
                    // Multi-byte: the scalar's length from the lead byte; a
                    // sequence cut by the end is copied as it is.
                    let full = b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : 2)
                    length = min(full, n - i)
                    escape = length == full ? Self.escapedScalar(utf8, at: i, length: length) : nil
                }
                if let escape {
                    if run < i { append(UnsafeBufferPointer(rebasing: utf8[run..<i])) }
                    self.escape(escape)
                    run = i + length
                }
                i += length
            }
            if run < n { append(UnsafeBufferPointer(rebasing: utf8[run..<n])) }
        }
        append(0x22)
    }

    /// One ASCII character JSON requires escaped, or a scalar the terminal must not see raw.
    private func escape(_ v: UInt32) {
        switch v {
        case 0x22:
            append(0x5C)
            append(0x22)
        case 0x5C:
            append(0x5C)
            append(0x5C)
        case 0x0A:
            append(0x5C)
            append(0x6E)
        case 0x0D:
            append(0x5C)
            append(0x72)
        case 0x09:
            append(0x5C)
            append(0x74)
        default: unicodeEscape(v)
        }
    }

    /// The scalar at `i` if it must be escaped, else nil. Everything
    /// `TerminalSafety.mustEscape` names above ASCII has a 2- or 3-byte form.
    private static func escapedScalar(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> UInt32? {
        let v: UInt32
        switch length {
        case 2: v = UInt32(utf8[i] & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
        case 3: v = UInt32(utf8[i] & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
        default: return nil
        }
        return TerminalSafety.mustEscape(v) ? v : nil
    }

    private func unicodeEscape(_ v: UInt32) {
        var text = TerminalSafety.jsonEscape(v)
        text.withUTF8 { append($0) }
    }
}

/// A writer handed to the thread that fills it; the caller waits for that
/// thread before it reads the writer.
struct UncheckedWriter: @unchecked Sendable {
    let writer: JSONWriter
}

enum TerminalSafety {
    /// `\uXXXX`, lower-case hex, for a scalar in the Basic Multilingual Plane.
    static func jsonEscape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// C0 and C1 controls, DEL, the line and paragraph separators, and the
    /// bidi controls `TerminalText` removes from what the console shows.
    static func mustEscape(_ v: UInt32) -> Bool {
        v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || TerminalText.isBidiControl(v)
    }
}
