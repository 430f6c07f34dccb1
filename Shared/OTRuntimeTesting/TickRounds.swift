import Foundation
import KafkaTesting
import OTRuntime

/// The rounds of idle ticks the workers of a test reported (``OTRuntime/WorkerConfiguration/onTicked``), and waits
/// on them: what only the ticks do (facts that fall due, pruning, an idle partition's tombstones) is checked each
/// time a round has committed, not on a timer.
public final class TickRounds: Sendable {
    /// How many rounds have ended.
    private let count = AwaitableState(0)

    /// No rounds yet.
    public init() {}

    /// Records a round that ended; pass it to ``OTRuntime/WorkerConfiguration/onTicked``.
    public func record(_ summary: TickSummary) { count.update { $0 += 1 } }

    /// How many rounds have ended so far.
    public var completed: Int { count.value }

    /// Returns once `condition` holds: asked now, and again after each round of ticks that ends after it was last
    /// asked. A round that ends while the condition is asked wakes the next ask at once, so none is missed.
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
