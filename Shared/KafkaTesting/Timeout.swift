import Foundation

/// A condition a test awaited did not come about in time.
public struct TimeoutError: Error, CustomStringConvertible {
    /// What was awaited.
    public var what: String
    /// How long.
    public var timeout: Duration

    public var description: String { "timed out after \(timeout) waiting for \(what)" }

    /// A timeout after `timeout` waiting for `what`.
    public init(what: String, timeout: Duration) {
        self.what = what
        self.timeout = timeout
    }
}

/// Runs `operation`, failing with ``TimeoutError`` if it has not finished within `timeout`.
/// The operation is cancelled then.
public func withTimeout<T: Sendable>(
    _ timeout: Duration, waitingFor what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)  // a deadline, not a wait for a condition
            throw TimeoutError(what: what, timeout: timeout)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
