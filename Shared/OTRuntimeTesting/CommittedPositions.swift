import Kafka
import Synchronization

/// What the workers of a test reported as committed (``OTRuntime/BatchSummary/committed``), and waits on it: a
/// test learns that the service has processed a message from the service itself, not by polling its files.
public final class CommittedPositions: Sendable {
    private struct Waiter {
        var message: KafkaTopicPartitionOffset
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var next: [KafkaTopicPartition: Int64] = [:]
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0

        func isCommitted(_ message: KafkaTopicPartitionOffset) -> Bool {
            (next[message.topicPartition] ?? 0) > message.offset
        }
    }

    private let state = Mutex(State())

    /// No positions yet.
    public init() {}

    /// Records a batch's committed next offsets and wakes whoever waited for a message below them.
    public func record(_ offsets: [KafkaTopicPartitionOffset]) {
        let ready = state.withLock { state in
            for offset in offsets {
                state.next[offset.topicPartition] = max(state.next[offset.topicPartition] ?? 0, offset.offset)
            }
            let done = state.waiters.filter { state.isCommitted($0.value.message) }
            for id in done.keys { state.waiters[id] = nil }
            return done.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Whether the message at `message` has been committed.
    public func isCommitted(_ message: KafkaTopicPartitionOffset) -> Bool {
        state.withLock { $0.isCommitted(message) }
    }

    /// Waits until the message at `message` (its topic, partition and own offset) has been committed by a worker.
    /// Returns at once when it already was; throws `CancellationError` when the waiting task is cancelled (as
    /// `withTimeout` does).
    public func wait(for message: KafkaTopicPartitionOffset) async throws {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    // Under the lock: a cancellation either happened before (seen here) or runs after the waiter
                    // is registered (and finds it).
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.isCommitted(message) { return .success(()) }
                    state.waiters[id] = Waiter(message: message, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }
}
