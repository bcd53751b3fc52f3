import Foundation

/// Answer rows whose figures belong in the journal's outcome.
protocol JournalTotals {
    var journalTotals: [String: String] { get }
}

extension DNCTotals: JournalTotals {
    var journalTotals: [String: String] {
        [
            "total_added": added.map(String.init) ?? "", "total_rejected": rejected.map(String.init) ?? "",
            "total_sent": sent.map(String.init) ?? "",
        ]
    }
}

extension RegisterTotals: JournalTotals {
    var journalTotals: [String: String] { ["total_registers": total.map(String.init) ?? ""] }
}

/// When a call got its permit and how many bytes came back, for the log line.
final class CallTiming: @unchecked Sendable {
    private let lock = NSLock()
    private var permitAt: ContinuousClock.Instant?
    private var bytes = 0
    func permitted() { lock.withLock { permitAt = ContinuousClock.now } }
    func received(_ n: Int) { lock.withLock { bytes = n } }
    func read(started: ContinuousClock.Instant) -> (Duration, Int) {
        lock.withLock { ((permitAt ?? started) - started, bytes) }
    }
}

/// Set once, inside the permit, just before a request is handed to the transport.
final class SendMark: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func markSent() { lock.withLock { value = true } }
    /// The transport says the request never left after all (see `TransportFailure.beforeSending`).
    func markNotSent() { lock.withLock { value = false } }
    var sent: Bool { lock.withLock { value } }
}
