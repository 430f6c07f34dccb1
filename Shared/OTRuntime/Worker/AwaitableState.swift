import Synchronization

/// A value behind a lock that tasks can wait on: a waiter's condition is asked when it starts waiting and after
/// every change, under the lock, so that no change slips between the two.
///
/// A condition returns `nil` to go on waiting, `.success` to return and `.failure` to throw. A cancelled wait throws
/// `CancellationError`.
public final class AwaitableState<Value: Sendable>: Sendable {
    /// What a condition decides.
    public typealias Outcome = Result<Void, any Error>

    private struct Waiter {
        let condition: @Sendable (Value) -> Outcome?
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Inside {
        var value: Value
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
    }

    private let inside: Mutex<Inside>

    /// Starts at `value`, with no one waiting.
    public init(_ value: Value) { inside = Mutex(Inside(value: value)) }

    /// The value now.
    public var value: Value { inside.withLock { $0.value } }

    /// How many tasks wait.
    public var waiting: Int { inside.withLock { $0.waiters.count } }

    /// Changes the value, then ends the waits whose condition now decides.
    public func update(_ change: (inout Value) -> Void) {
        let decided = inside.withLock { inside in
            change(&inside.value)
            var decided: [(CheckedContinuation<Void, any Error>, Outcome)] = []
            for (id, waiter) in inside.waiters {
                guard let outcome = waiter.condition(inside.value) else { continue }
                inside.waiters[id] = nil
                decided.append((waiter.continuation, outcome))
            }
            return decided
        }
        for (continuation, outcome) in decided { continuation.resume(with: outcome) }
    }

    /// Returns once `condition` decides success (at once if it does now), throws what it decides otherwise.
    /// - Throws: The condition's failure, or `CancellationError` when the waiting task is cancelled.
    public func wait(until condition: @escaping @Sendable (Value) -> Outcome?) async throws {
        let id = inside.withLock { inside in
            defer { inside.nextWaiter += 1 }
            return inside.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now: Outcome? = inside.withLock { inside in
                    // Under the lock: a cancellation either happened before (seen here) or runs after the waiter
                    // is registered (and finds it).
                    if let outcome = condition(inside.value) { return outcome }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    inside.waiters[id] = Waiter(condition: condition, continuation: continuation)
                    return nil
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            inside.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }
}
