#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Large outputs (`find` of up to 60,000 rows, as JSON or a table) go out
/// through one 1 MiB buffer with plain write(2) calls: a handful of system
/// calls for 25 MB, no Data or String for the whole document, and the memory
/// of one buffer rather than of one more copy of the answer.
struct StdoutWriter {
    static let chunk = 1 << 20
    let fd: Int32
    private(set) var buffer: [UInt8] = []

    init(fd: Int32 = 1) {
        self.fd = fd
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    mutating func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunk { flush() }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.chunk { flush() }
    }

    mutating func append(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.chunk { flush() }
    }

    /// Writes what is buffered; a closed pipe (`| head`) ends quietly.
    mutating func flush() {
        Self.write(buffer, to: fd)
        buffer.removeAll(keepingCapacity: true)
    }

    static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { write($0, to: fd) }
    }

    static func write(_ raw: UnsafeRawBufferPointer, to fd: Int32) {
        guard var base = raw.baseAddress else { return }
        var left = raw.count
        while left > 0 {
            #if canImport(Glibc)
            let n = Glibc.write(fd, base, left)
            #else
            let n = Darwin.write(fd, base, left)
            #endif
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            left -= n
            base += n
        }
    }
}
