import Kafka

/// Reads topics from their beginning in the background and lets a test await a condition on what has arrived:
/// "await output with a timeout", without polling and without sleeping.
///
/// ```swift
/// let watcher = try await TopicWatcher(kafka: kafka, topics: ["ot.registrations.v1"])
/// let messages = try await watcher.wait("one registration") { $0.count == 1 }
/// await watcher.stop()
/// ```
public final class TopicWatcher: Sendable {
    private let consumer: KafkaConsumer
    private let store = AwaitableLog<KafkaConsumerMessage>()
    private let task: Task<Void, any Error>

    /// Starts reading every partition of `topics` from the beginning.
    public init(kafka: EmbeddedKafka, topics: [String]) async throws {
        consumer = try kafka.makeConsumer(groupID: "watcher")
        try await consumer.assign(
            topics.flatMap { topic in
                (0..<kafka.partitions).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: -2) }
            })
        let (consumer, store) = (self.consumer, self.store)
        task = Task {
            for try await event in consumer.events {
                if case .messages(let batch) = event { await store.append(contentsOf: batch) }
            }
        }
    }

    /// Every message read so far, in arrival order.
    public var messages: [KafkaConsumerMessage] { get async { await store.entries } }

    /// Waits until `condition` holds for the messages read so far and returns them; fails after `timeout`.
    @discardableResult
    public func wait(
        _ what: String, timeout: Duration = .seconds(30),
        until condition: @escaping @Sendable ([KafkaConsumerMessage]) -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        try await store.wait(what, timeout: timeout, until: condition)
    }

    /// Stops reading.
    public func stop() async {
        task.cancel()
        await consumer.close()
    }
}
