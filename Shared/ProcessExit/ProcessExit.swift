import Foundation
import Synchronization

/// The exit of a child process, awaited without holding a thread: `Process.terminationHandler` (set before the
/// process runs) records the status and resumes the waiters. (`waitUntilExit` on a dispatch thread spins
/// Foundation's run loop, a core per waiting child, and may starve the thread pool that delivers signals.)
public final class ProcessExit: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    /// Watches `process`; call before `process.run()`.
    public init(watching process: Process) {
        process.terminationHandler = { [self] process in exited(process.terminationStatus) }
    }

    private func exited(_ status: Int32) {
        let waiters = state.withLock { state in
            state.status = status
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    /// The exit status, once the process has exited.
    public var status: Int32 {
        get async {
            await withCheckedContinuation { continuation in
                let status = state.withLock { state -> Int32? in
                    if state.status == nil { state.waiters.append(continuation) }
                    return state.status
                }
                if let status { continuation.resume(returning: status) }
            }
        }
    }
}
