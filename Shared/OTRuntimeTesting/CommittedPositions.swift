import Kafka
import OTRuntime

/// What the workers of a test reported as committed (``OTRuntime/BatchSummary/committed``), and waits on it: a
/// test learns that the service has processed a message from the service itself, not by polling its files.
public final class CommittedPositions: Sendable {
    /// The next offset committed in each partition.
    private let next = AwaitableState([KafkaTopicPartition: Int64]())

    /// No positions yet.
    public init() {}

    /// Records a batch's committed next offsets and wakes whoever waited for a message below them.
    public func record(_ offsets: [KafkaTopicPartitionOffset]) {
        next.update { next in
            for offset in offsets {
                next[offset.topicPartition] = max(next[offset.topicPartition] ?? 0, offset.offset)
            }
        }
    }

    /// Whether the message at `message` has been committed.
    public func isCommitted(_ message: KafkaTopicPartitionOffset) -> Bool {
        Self.isCommitted(message, in: next.value)
    }

    /// Waits until the message at `message` (its topic, partition and own offset) has been committed by a worker.
    /// Returns at once when it already was; throws `CancellationError` when the waiting task is cancelled (as
    /// `withTimeout` does).
    public func wait(for message: KafkaTopicPartitionOffset) async throws {
        try await next.wait { Self.isCommitted(message, in: $0) ? .success(()) : nil }
    }

    private static func isCommitted(_ message: KafkaTopicPartitionOffset, in next: [KafkaTopicPartition: Int64]) -> Bool
    {
        (next[message.topicPartition] ?? 0) > message.offset
    }
}
