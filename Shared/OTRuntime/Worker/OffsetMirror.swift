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
    private struct State {
        /// The partitions this member owns (between ``own(_:)`` and ``forget(_:)``).
        var owned: Set<Int32> = []
        /// Per owned partition number: per input topic, the next offset the changelog holds.
        var published: [Int32: [String: Int64]] = [:]
    }

    private let consumer: KafkaConsumer
    private let logger: Logger
    private let state = Mutex(State())

    init(consumer: KafkaConsumer, logger: Logger) {
        self.consumer = consumer
        self.logger = logger
    }

    /// The partition is this member's: from now its offsets are mirrored.
    func own(_ partition: Int32) {
        state.withLock { _ = $0.owned.insert(partition) }
    }

    /// The changelog now holds `offsets` for `partition`: mirror them, if the partition is still this member's.
    ///
    /// A relay round that was under way when its partition was lost ends after ``forget(_:)``: its offsets are
    /// dropped. Committed again every few seconds, they would be another member's to commit, and while this member
    /// rejoins the group each such commit fails as from an unknown member, which makes librdkafka start the join
    /// again: the member could stay out of the group (the test "A batch longer than max.poll.interval.ms" failed in
    /// two runs of four on an idle machine, 2026-12-07).
    func record(_ partition: Int32, _ offsets: [String: Int64]) {
        guard !offsets.isEmpty else { return }
        let owned = state.withLock { state in
            guard state.owned.contains(partition) else { return false }
            state.published[partition, default: [:]].merge(offsets) { max($0, $1) }
            return true
        }
        if owned { commit([partition: offsets]) }
    }

    /// The partitions are no longer this member's: their offsets are the new owner's to commit.
    func forget(_ partitions: Set<Int32>) {
        state.withLock { state in
            for partition in partitions {
                state.owned.remove(partition)
                state.published[partition] = nil
            }
        }
    }

    /// Commits everything again.
    func commitAll() {
        commit(state.withLock { $0.published })
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
