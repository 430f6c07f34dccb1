import Kafka

/// What one committed batch held.
public struct BatchSummary: Sendable {
    /// Messages committed: the batch's, less those held back for another input topic's earlier messages, plus
    /// those held back before and processed now (``Worker``, docs/runtime.md "Order of a partition's topics").
    public var messages: Int
    /// Events handled (not duplicates, not dead-lettered).
    public var processed: Int
    /// Events dead-lettered.
    public var deadLettered: Int
    /// From receiving the batch to its last partition's commit.
    public var duration: Duration
    /// The next offset of every input topic partition the batch committed: each message below it is processed
    /// (or dead-lettered) and its outputs are in the outbox.
    public var committed: [KafkaTopicPartitionOffset] = []
}
