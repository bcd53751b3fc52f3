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
