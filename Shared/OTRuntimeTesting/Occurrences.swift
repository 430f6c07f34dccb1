import Foundation
import KafkaTesting
import OTRuntime

/// Something the workers of a test report each time it happens, to wait on: a round of idle ticks
/// (``OTRuntime/WorkerConfiguration/onTicked``), a store's log truncated after an erasure
/// (``OTRuntime/WorkerConfiguration/onScrubbed``). What only that work changes (facts that fall due, pruning, an
/// idle partition's tombstones, an erased person's data in the files) is checked each time it has happened, not on
/// a timer.
public final class Occurrences: Sendable {
    /// How many times it has happened.
    private let count = AwaitableState(0)

    /// None yet.
    public init() {}

    /// Records one occurrence and wakes the waits.
    public func record() { count.update { $0 += 1 } }

    /// Returns once `condition` holds: asked now, and again after each occurrence recorded since it was last asked.
    /// One recorded while the condition is asked wakes the next ask at once, so none is missed.
    /// - Throws: ``KafkaTesting/TimeoutError`` naming `what` when it does not hold within `timeout`.
    public func wait(
        until what: String, timeout: Duration = .seconds(60), _ condition: @escaping @Sendable () async throws -> Bool
    ) async throws {
        try await withTimeout(timeout, waitingFor: what) { [count] in
            while true {
                let before = count.value
                if try await condition() { return }
                try await count.wait { $0 > before ? .success(()) : nil }
            }
        }
    }
}
