import Foundation

/// What every request passes through before it leaves: at most `limit`
/// requests in flight for one token. The client only knows this protocol, so
/// the process-wide `TokenGate`, the machine-wide `MachineGate` (file locks)
/// and a team-wide gate in a shared database can stand in for one another
/// without touching a caller.
public protocol PermitGate: Sendable {
    /// Permits this gate gives at once (1 or 2, the API's hard limit).
    var limit: Int { get }

    /// Runs `body` holding one permit; waits (cancellably, in order) while
    /// none is free, and gives the permit back however `body` ends.
    func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T

    /// `observer(true)` when a request of this process waits for a permit held
    /// by another holder (another wvconsole on this machine, say), and
    /// `observer(false)` when no request waits for one any more. One observer;
    /// setting another replaces it. Gates that only see one process never call it.
    func observeOutsideWait(_ observer: (@Sendable (Bool) -> Void)?)

    /// `observer(reason)` when a shared gate (the team's, in PostgreSQL)
    /// cannot be reached and requests fall back to the machine-wide one, and
    /// `observer(nil)` when it is back. One observer; gates with no fallback never call it.
    func observeFallback(_ observer: (@Sendable (String?) -> Void)?)
}

extension PermitGate {
    public func observeOutsideWait(_ observer: (@Sendable (Bool) -> Void)?) {}
    public func observeFallback(_ observer: (@Sendable (String?) -> Void)?) {}
}

/// The "waiting for a slot another process holds" bookkeeping a shared gate
/// reports through `observeOutsideWait`: the observer hears `true` when the
/// first such wait begins and `false` when the last one ends.
public final class OutsideWaits: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var observer: (@Sendable (Bool) -> Void)?

    public init() {}

    public var now: Int { lock.withLock { count } }

    public func observe(_ observer: (@Sendable (Bool) -> Void)?) { lock.withLock { self.observer = observer } }

    public func begin() { change(+1) }

    public func end() { change(-1) }

    private func change(_ by: Int) {
        let notify: (@Sendable (Bool) -> Void)? = lock.withLock {
            count += by
            return (by > 0 ? count == 1 : count == 0) ? observer : nil
        }
        notify?(by > 0)
    }
}
