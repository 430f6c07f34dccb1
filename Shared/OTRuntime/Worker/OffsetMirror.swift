import Kafka
import Logging
import Synchronization

/// Kafka's committed offsets of the group as a mirror of what each owned partition's changelog holds, never more:
/// lag tools read them, and ``Worker`` checks a store's start against them.
///
/// A commit can fail (the group is rebalancing, the coordinator moved), and nothing may come after it to commit
/// again: an idle partition would show its last batch as lag forever. So the mirror keeps what it was told and
/// commits it again every few seconds (``commitAll()``), which is idempotent.
final class OffsetMirror: Sendable {
    private let consumer: KafkaConsumer
    private let logger: Logger
    /// Per owned partition number: per input topic, the next offset the changelog holds.
    private let published = Mutex<[Int32: [String: Int64]]>([:])

    init(consumer: KafkaConsumer, logger: Logger) {
        self.consumer = consumer
        self.logger = logger
    }

    /// The changelog now holds `offsets` for `partition`: mirror them.
    func record(_ partition: Int32, _ offsets: [String: Int64]) {
        guard !offsets.isEmpty else { return }
        published.withLock { $0[partition, default: [:]].merge(offsets) { max($0, $1) } }
        commit([partition: offsets])
    }

    /// The partitions are no longer this member's: their offsets are the new owner's to commit.
    func forget(_ partitions: Set<Int32>) {
        published.withLock { published in
            for partition in partitions { published[partition] = nil }
        }
    }

    /// Commits everything again.
    func commitAll() {
        commit(published.withLock { $0 })
    }

    private func commit(_ offsets: [Int32: [String: Int64]]) {
        let positions = offsets.flatMap { partition, topics in
            topics.map { KafkaTopicPartitionOffset(topic: $0.key, partition: partition, offset: $0.value) }
        }
        guard !positions.isEmpty else { return }
        do {
            try consumer.commitInBackground(positions)
        } catch {
            logger.debug("mirroring offsets to Kafka failed", metadata: ["error": "\(error)"])
        }
    }
}
