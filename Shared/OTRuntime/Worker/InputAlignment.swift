import Kafka
import Synchronization

/// Holds back a partition's messages of one input topic while another input topic of the partition has messages
/// published before them that the consumer has not fetched yet, so that a worker catching up on backlogs in two
/// topics processes them in the order they were published, as it did live (docs/runtime.md, "Order of a partition's
/// topics").
///
/// librdkafka fetches each topic-partition on its own: after downtime, a batch can hold a hundred of a partition's
/// registration events and none of its commands, which are still on their way. Processed at once, the commands
/// published between those events would come after all of them. So each batch's messages of a partition join the
/// ones held back before, are put in publication order (``InputOrder``), and are processed up to the first message
/// that another topic's unfetched messages could precede: a topic whose fetched messages are all taken, whose next
/// offset is below its high watermark, and whose last fetched message is older than that message. The rest waits for
/// the next batch.
///
/// A topic whose high watermark is not known yet (its first fetch has not come back) counts as having messages to
/// come. What waits longer than ``maximumWait`` is processed anyway, and the topic that held it counts as stalled
/// until it moves on (a partition whose last messages the broker no longer has), as is anything beyond
/// ``maximumHeld`` messages of a partition: the order then falls back to the batch's. Live, when every topic is
/// caught up, nothing waits.
final class InputAlignment: Sendable {
    private struct Held {
        var messages: [KafkaConsumerMessage]
        var since: ContinuousClock.Instant
    }

    private struct State {
        /// The next offset of each input topic-partition the consumer will deliver: where it started, then past the
        /// last message delivered.
        var next: [KafkaTopicPartition: Int64] = [:]
        /// The timestamp of the last message delivered of each input topic-partition.
        var lastTimestamp: [KafkaTopicPartition: Int64] = [:]
        /// Messages delivered and not processed yet, by partition number.
        var held: [Int32: Held] = [:]
        /// Topic-partitions that made messages wait ``maximumWait`` in vain, at the offset they stood still at.
        var stalled: [KafkaTopicPartition: Int64] = [:]
    }

    /// How long messages wait at most for another topic's earlier messages.
    let maximumWait: Duration
    /// How many messages of a partition wait at most.
    let maximumHeld: Int
    private let inputTopics: [String]
    private let state = Mutex(State())

    /// - Parameter inputTopics: The worker's input topics; with one, nothing is ever held.
    init(inputTopics: [String], maximumWait: Duration = .seconds(2), maximumHeld: Int = 50_000) {
        self.inputTopics = inputTopics
        self.maximumWait = maximumWait
        self.maximumHeld = maximumHeld
    }

    /// Notes where the consumer starts the assigned topic-partitions. The beginning (`-2`, a topic the store never
    /// read) counts as offset 0: a topic whose first messages the broker has deleted makes messages wait once, until
    /// ``maximumWait`` marks it stalled, or until its first message comes.
    func started(_ offsets: [KafkaTopicPartition: Int64]) {
        state.withLock { state in
            for (partition, offset) in offsets {
                if offset >= 0 {
                    state.next[partition] = offset
                } else if offset == -2 {
                    state.next[partition] = 0
                }
            }
        }
    }

    /// Forgets partitions revoked or lost: what was held of them is not processed here (their next owner, or this
    /// instance after a new assignment, reads it again from the store's offsets).
    func forget(_ partitions: Set<Int32>) {
        state.withLock { state in
            for partition in partitions { state.held[partition] = nil }
            state.next = state.next.filter { !partitions.contains($0.key.partition) }
            state.lastTimestamp = state.lastTimestamp.filter { !partitions.contains($0.key.partition) }
            state.stalled = state.stalled.filter { !partitions.contains($0.key.partition) }
        }
    }

    /// Whether any messages are held back.
    var isHolding: Bool { state.withLock { !$0.held.isEmpty } }

    /// The messages to process now, by partition, each partition's in publication order: `batch` with what was held
    /// back before, less what must wait for another topic's earlier messages.
    /// - Parameter highWatermark: The last high watermark the consumer saw of a topic-partition, `nil` before its
    ///   first fetch came back.
    func ready(
        _ batch: [KafkaConsumerMessage], now: ContinuousClock.Instant = .now,
        highWatermark: (KafkaTopicPartition) -> Int64?
    ) -> [Int32: [KafkaConsumerMessage]] {
        let groups = Dictionary(grouping: batch, by: \.partition)
        guard inputTopics.count > 1 else { return groups }
        return state.withLock { state in
            // A batch holds each topic-partition's messages in runs: note where each run ends.
            var run: KafkaConsumerMessage?
            func noteEnd(of last: KafkaConsumerMessage) {
                state.next[last.topicPartition] = last.offset + 1
                if let timestamp = last.timestamp { state.lastTimestamp[last.topicPartition] = timestamp }
            }
            for message in batch {
                if let last = run, last.partition != message.partition || last.topic != message.topic {
                    noteEnd(of: last)
                }
                run = message
            }
            if let run { noteEnd(of: run) }

            var ready: [Int32: [KafkaConsumerMessage]] = [:]
            for partition in Set(groups.keys).union(state.held.keys) {
                let held = state.held.removeValue(forKey: partition)
                let new = groups[partition] ?? []
                let messages = InputOrder.merged(held.map { $0.messages + new } ?? new)
                var (cut, blockers) = cutoff(
                    in: messages, partition: partition, state: state, highWatermark: highWatermark)
                let since = held?.since ?? now
                if cut < messages.count, since.duration(to: now) >= maximumWait || messages.count > maximumHeld {
                    // Waited long enough: what held them back stands still; take everything.
                    for blocker in blockers { state.stalled[blocker] = state.next[blocker] }
                    cut = messages.count
                }
                if cut == messages.count {
                    ready[partition] = messages
                } else if cut > 0 {
                    ready[partition] = Array(messages[..<cut])
                }
                if cut < messages.count {
                    state.held[partition] = Held(messages: Array(messages[cut...]), since: cut > 0 ? now : since)
                }
            }
            return ready
        }
    }

    /// How many of `messages` (a partition's, in publication order) can be processed before another topic's
    /// unfetched messages might have to come first, and those topics.
    private func cutoff(
        in messages: [KafkaConsumerMessage], partition: Int32, state: State,
        highWatermark: (KafkaTopicPartition) -> Int64?
    ) -> (Int, [KafkaTopicPartition]) {
        // The topics with messages still to fetch: where the consumer stands is known (it started the partition at a
        // stored offset, or delivered a message of it), and is below the high watermark, or that is not known yet.
        let behind: [(topic: String, partition: KafkaTopicPartition, last: Int64?)] = inputTopics.compactMap { topic in
            let other = KafkaTopicPartition(topic: topic, partition: partition)
            guard let next = state.next[other], state.stalled[other] != next else { return nil }
            if let end = highWatermark(other), next >= end { return nil }
            return (topic, other, state.lastTimestamp[other])
        }
        guard !behind.isEmpty, let first = messages.first?.topic else { return (messages.count, []) }
        // A topic holds back only the messages of the others: a group of one topic waits for no topic but another
        // (a service reading its backlog of one topic, the other caught up, walks no message).
        if !messages.contains(where: { $0.topic != first }), !behind.contains(where: { $0.topic != first }) {
            return (messages.count, [])
        }
        var remaining: [String: Int] = [:]
        for message in messages { remaining[message.topic, default: 0] += 1 }
        for (index, message) in messages.enumerated() {
            let blockers = behind.filter { other in
                guard other.topic != message.topic, remaining[other.topic, default: 0] == 0 else { return false }
                // Its messages come in the order they were published: none is older than the last delivered.
                if let last = other.last, let timestamp = message.timestamp, timestamp <= last { return false }
                return true
            }
            if !blockers.isEmpty { return (index, blockers.map(\.partition)) }
            remaining[message.topic, default: 0] -= 1
        }
        return (messages.count, [])
    }
}
