import Foundation

/// Resumes a continuation once, with whichever result comes first, and then
/// cancels the work that lost.
final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var early: Result<T, any Error>?
    private var done = false
    private var cancelWork: (@Sendable () -> Void)?

    func arm(_ c: CheckedContinuation<T, any Error>) {
        let pending: Result<T, any Error>? = lock.withLock {
            if let early {
                done = true
                return early
            }
            continuation = c
            return nil
        }
        if let pending { c.resume(with: pending) }
    }

    func onCancel(_ cancel: @escaping @Sendable () -> Void) {
        let finished = lock.withLock { () -> Bool in
            cancelWork = cancel
            return done
        }
        if finished { cancel() }
    }

    /// True when `result` is the one the caller gets.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (accepted, c, cancel): (Bool, CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) = lock.withLock {
            guard !done else { return (false, nil, nil) }
            guard let continuation else {
                if early == nil {
                    early = result
                    return (true, nil, nil)
                }
                return (false, nil, nil)
            }
            done = true
            self.continuation = nil
            return (true, continuation, cancelWork)
        }
        c?.resume(with: result)
        cancel?()
        return accepted
    }
}
