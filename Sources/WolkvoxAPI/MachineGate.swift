#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging

/// The token's in-flight limit for every wvconsole process on this machine
/// (the console, each CLI command, bulk jobs) that uses the same server and
/// token: one lock file per permit ("slot") in a private folder, taken with
/// `flock(LOCK_EX | LOCK_NB)`. The kernel drops a lock when its holder's
/// descriptor closes, so a process that dies — even by `kill -9` — frees its
/// slot at once and nothing is left to clean up.
///
/// Inside the process a `TokenGate` of the same limit keeps the order and the
/// cancellation: a request first takes an in-process permit, then a free
/// slot; the slot goes back with the permit. Waiting for a slot that another
/// process holds polls (0.1 ms, doubling to 1 ms), is cancellable (task
/// cancellation) and is reported through `observeOutsideWait`.
///
/// The files are named by server and token fingerprint, never by the token;
/// the folder is 0700 and each file 0600. Slot 0 is tried first, so a process
/// configured for 1 and one for 2 together never exceed 2, the API's maximum.
public final class MachineGate: PermitGate, @unchecked Sendable {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public let limit: Int
    public let directory: URL
    public let slotPaths: [String]
    let local: TokenGate

    private let lock = NSLock()
    private var descriptors: [Int32]
    private var held: [Bool]
    private let outsideWaits = OutsideWaits()
    private var peak = 0
    private var holding = 0

    static let firstPoll: Duration = .microseconds(100)
    static let longestPoll: Duration = .milliseconds(1)

    /// Opens (creating 0600) the slot files for `server` and `tokenFingerprint`
    /// in `directory`, creating that 0700. Throws if the folder is not private
    /// to this user or a slot file is a symlink or someone else's.
    public init(directory: URL, server: String, tokenFingerprint: String, limit: Int) throws {
        self.limit = min(max(limit, 1), TokenGate.hardLimit)
        self.directory = directory
        self.local = TokenGate(limit: self.limit)
        do { try FileTrust.ensurePrivateDirectory(directory.path) } catch let refusal as FileTrust.Refusal {
            throw Failure(refusal.description)
        }
        let safeServer = String(server.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
        let safeFingerprint = String(tokenFingerprint.filter(\.isHexDigit))
        // Always both slot files, so every process names the same ones whatever its limit.
        let paths = (0..<TokenGate.hardLimit).map {
            directory.appendingPathComponent("gate-\(safeServer)-\(safeFingerprint).\($0).lock").path
        }
        var fds: [Int32] = []
        for path in paths.prefix(self.limit) {
            let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                fds.forEach { _ = close($0) }
                throw Failure("cannot open the request-slot lock \(path): \(reason)")
            }
            var st = stat()
            guard fstat(fd, &st) == 0, st.st_uid == geteuid(), st.st_mode & S_IFMT == S_IFREG else {
                close(fd)
                fds.forEach { _ = close($0) }
                throw Failure("\(path) is not a lock file of yours; remove it and run again.")
            }
            if st.st_mode & 0o777 != 0o600 { fchmod(fd, 0o600) }
            fds.append(fd)
        }
        slotPaths = Array(paths.prefix(self.limit))
        descriptors = fds
        held = Array(repeating: false, count: fds.count)
    }

    deinit {
        for fd in descriptors { close(fd) }
    }

    public func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await local.withPermit {
            let slot = try await self.takeSlot()
            defer { self.release(slot) }
            return try await body()
        }
    }

    public func observeOutsideWait(_ observer: (@Sendable (Bool) -> Void)?) {
        outsideWaits.observe(observer)
    }

    /// Slots this process holds now, and the most it ever held at once (tests).
    public var holdingNow: Int { lock.withLock { holding } }
    public var peakHeld: Int { lock.withLock { peak } }
    /// Requests of this process waiting for a slot another process holds.
    public var waitingOutside: Int { outsideWaits.now }

    private func takeSlot() async throws -> Int {
        var delay = Self.firstPoll
        var announced = false
        let started = ContinuousClock.now
        defer { if announced { outsideWaits.end() } }
        while true {
            if let slot = try tryTake() {
                // A process that ended (Ctrl-C, kill -9) with a request in
                // flight left its lease: the server may still work on that
                // request, and counts it, until the lease ends.
                if let until = lease(slot), until > Date() {
                    if !announced {
                        announced = true
                        outsideWaits.begin()
                    }
                    Logger(label: "wvconsole.gate").info(
                        "waiting for a request of an ended process that the server may still count",
                        metadata: ["slot": "\(slot)", "until": "\(until.timeIntervalSince1970)"])
                    do {
                        try await Task.sleep(for: .seconds(min(until.timeIntervalSinceNow, Self.leaseLength.seconds)))
                    } catch {
                        release(slot)
                        throw error
                    }
                }
                setLease(slot, until: Date().addingTimeInterval(Self.leaseLength.seconds))
                if announced {
                    Logger(label: "wvconsole.gate").info(
                        "request slot free after waiting for another process",
                        metadata: [
                            "slot": "\(slot)", "waited_ms": "\(Int((ContinuousClock.now - started).seconds * 1000))",
                        ])
                }
                return slot
            }
            try Task.checkCancellation()
            if !announced {
                announced = true
                outsideWaits.begin()
                Logger(label: "wvconsole.gate").info("waiting for a request slot held by another process", metadata: ["limit": "\(limit)"])
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, Self.longestPoll)
        }
    }

    private func tryTake() throws -> Int? {
        try lock.withLock {
            for i in held.indices where !held[i] {
                if flock(descriptors[i], LOCK_EX | LOCK_NB) == 0 {
                    held[i] = true
                    holding += 1
                    peak = max(peak, holding)
                    return i
                }
                let e = errno
                if e != EWOULDBLOCK && e != EAGAIN && e != EINTR {
                    throw Failure("cannot lock the request slot \(slotPaths[i]): \(String(cString: strerror(e)))")
                }
            }
            return nil
        }
    }

    /// How long the server may work on a request: a slot's lease, written
    /// in its lock file while a request holds it, and cleared when the
    /// request (its answer read, or a cancelled one drained) is over.
    static let leaseLength: Duration = WolkvoxClient.timeLimit

    /// The lease a slot's file holds ("until <unix seconds>"), if any.
    func lease(_ slot: Int) -> Date? {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = lock.withLock { pread(descriptors[slot], &buffer, buffer.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer.prefix(n), as: UTF8.self)
        guard text.hasPrefix("until "), let seconds = Double(text.dropFirst(6).prefix { !$0.isWhitespace }) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    private func setLease(_ slot: Int, until: Date?) {
        let text = until.map { String(format: "until %.3f pid %d\n", $0.timeIntervalSince1970, getpid()) } ?? ""
        lock.withLock {
            let fd = descriptors[slot]
            _ = ftruncate(fd, 0)
            if !text.isEmpty { _ = text.withCString { pwrite(fd, $0, strlen($0), 0) } }
        }
    }

    private func release(_ slot: Int) {
        setLease(slot, until: nil)
        lock.withLock {
            _ = flock(descriptors[slot], LOCK_UN)
            held[slot] = false
            holding -= 1
        }
    }
}
