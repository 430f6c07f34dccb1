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

/// Looks at `condition` every `interval` until it holds, failing with ``TimeoutError`` if it does not within
/// `timeout`. For what has no event to await (a process table, a file appearing); await the event where there is one.
public func poll(
    _ what: String, every interval: Duration = .milliseconds(50), timeout: Duration = .seconds(30),
    until condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimeoutError(what: what, timeout: timeout) }
        try await Task.sleep(for: interval)  // a look at something that cannot be awaited
    }
}

/// Asks `value` every `interval` until it gives one, failing with ``TimeoutError`` if it has not within `timeout`;
/// a question still unanswered then (an HTTP request, a broker call) is cancelled. For what has no push form (a
/// metrics endpoint, watermarks, committed offsets); await the event where there is one.
public func eventually<T: Sendable>(
    _ what: String, every interval: Duration = .milliseconds(50), timeout: Duration = .seconds(30),
    _ value: @escaping @Sendable () async throws -> T?
) async throws -> T {
    try await withTimeout(timeout, waitingFor: what) {
        while true {
            if let value = try await value() { return value }
            try await Task.sleep(for: interval)  // a look at something that cannot be awaited
        }
    }
}
