#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A self-pipe that ends a backend's wait for a key early: work finished on
/// another thread (an answer, a timer) `signal`s it, and the main loop draws
/// at once instead of when the key wait times out (up to 50 ms later).
public final class Wakeup: Sendable {
    public let readFD: Int32
    private let writeFD: Int32

    public init?() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// From any thread. A full pipe already holds a wake-up, so a failed write is fine.
    public func signal() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe once its wake-up has been seen.
    public func drain() {
        var sink = [UInt8](repeating: 0, count: 64)
        while read(readFD, &sink, sink.count) > 0 {}
    }

    /// Waits until `fd` is readable, a `signal` arrives or `milliseconds`
    /// pass. True when `fd` is readable, or a signal (SIGWINCH) interrupted the wait.
    public func wait(for fd: Int32, milliseconds: Int) -> Bool {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)]
        let r = poll(&fds, 2, Int32(milliseconds))
        if fds[1].revents != 0 { drain() }
        return r < 0 || fds[0].revents != 0
    }
}
