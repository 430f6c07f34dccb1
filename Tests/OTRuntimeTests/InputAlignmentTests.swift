import Testing

@testable import Kafka
@testable import OTRuntime

/// A partition's messages of several input topics, processed in the order they were published: merged by timestamp,
/// and held back while another topic has earlier messages still to fetch.
@Suite("Input alignment: a partition's topics in publication order", .timeLimit(.minutes(1)))
struct InputAlignmentTests {
    static let events = "events"
    static let commands = "commands"

    /// A message of partition 0 (or `partition`) without key, value or headers.
    func message(_ topic: String, _ offset: Int64, at timestamp: Int64?, partition: Int32 = 0) -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: topic, partition: partition, offset: offset, timestamp: timestamp,
            storage: KafkaConsumerBatchStorage(bytes: [], headers: []), keyRange: nil, valueRange: nil,
            headerRange: 0..<0)
    }

    /// Each message as `topic@offset`, in order.
    func names(_ messages: [KafkaConsumerMessage]?) -> [String] {
        (messages ?? []).map { "\($0.topic)@\($0.offset)" }
    }

    /// High watermarks by topic, for partition 0.
    func watermarks(_ ends: [String: Int64]) -> (KafkaTopicPartition) -> Int64? { { ends[$0.topic] } }

    @Test("the topics of a batch are merged by timestamp, each in its offset order, when nothing is left to fetch")
    func mergedByTimestamp() {
        let alignment = InputAlignment(inputTopics: [Self.events, Self.commands])
        let batch = [
            message(Self.events, 10, at: 100), message(Self.events, 11, at: 300), message(Self.events, 12, at: 250),
            message(Self.commands, 5, at: 200), message(Self.commands, 6, at: 300),
        ]
        let ready = alignment.ready(batch, highWatermark: watermarks([Self.events: 13, Self.commands: 7]))
        // events@12 has an earlier timestamp than events@11 but stays after it; a tie keeps the batch's order.
        #expect(
            names(ready[0]) == ["events@10", "commands@5", "events@11", "events@12", "commands@6"])
        #expect(!alignment.isHolding)
    }

    @Test("messages wait while another topic has earlier messages to fetch, and go with them when they come")
    func heldUntilTheOtherTopicComes() {
        let alignment = InputAlignment(inputTopics: [Self.events, Self.commands])
        // The store had read both topics up to 10 and 5; the commands' backlog (5, 6) is not fetched yet.
        alignment.started([
            KafkaTopicPartition(topic: Self.events, partition: 0): 10,
            KafkaTopicPartition(topic: Self.commands, partition: 0): 5,
        ])
        let ends = watermarks([Self.events: 12, Self.commands: 7])
        let first = alignment.ready(
            [message(Self.events, 10, at: 100), message(Self.events, 11, at: 400)], highWatermark: ends)
        #expect(first.isEmpty)
        #expect(alignment.isHolding)

        // The first command comes (published at 200): events@10 goes before it; events@11 waits for command 6.
        let second = alignment.ready([message(Self.commands, 5, at: 200)], highWatermark: ends)
        #expect(names(second[0]) == ["events@10", "commands@5"])
        let third = alignment.ready([message(Self.commands, 6, at: 300)], highWatermark: ends)
        #expect(names(third[0]) == ["commands@6", "events@11"])
        #expect(!alignment.isHolding)
    }

    @Test("what another topic's last fetched message is newer than need not wait; a topic never read counts from 0")
    func olderThanTheOtherTopicsLast() {
        let alignment = InputAlignment(inputTopics: [Self.events, Self.commands])
        // Commands never read by the store: the beginning, offset 0.
        alignment.started([
            KafkaTopicPartition(topic: Self.events, partition: 0): 0,
            KafkaTopicPartition(topic: Self.commands, partition: 0): -2,
        ])
        let ends = watermarks([Self.events: 3, Self.commands: 2])
        // Command 0 (at 500) comes with the events; command 1 is still to fetch, and not older than command 0.
        let ready = alignment.ready(
            [message(Self.events, 0, at: 100), message(Self.events, 1, at: 600), message(Self.commands, 0, at: 500)],
            highWatermark: ends)
        #expect(names(ready[0]) == ["events@0", "commands@0"])
        #expect(alignment.isHolding)
    }

    @Test("a topic whose first fetch has not come back holds messages back; partitions are aligned each on their own")
    func unknownWatermarkAndOtherPartitions() {
        let alignment = InputAlignment(inputTopics: [Self.events, Self.commands])
        alignment.started([
            KafkaTopicPartition(topic: Self.commands, partition: 0): 4,
            KafkaTopicPartition(topic: Self.commands, partition: 1): 4,
        ])
        let ready = alignment.ready(
            [message(Self.events, 0, at: 100), message(Self.events, 0, at: 100, partition: 1)],
            highWatermark: { $0.topic == Self.commands && $0.partition == 0 ? nil : 4 })
        #expect(ready[0] == nil, "partition 0's commands: watermark not known yet")
        #expect(names(ready[1]) == ["events@0"], "partition 1's commands: caught up")
    }

    @Test("what waited the longest wait goes anyway, and the topic that held it back holds nothing more until it moves")
    func maximumWait() {
        let alignment = InputAlignment(inputTopics: [Self.events, Self.commands], maximumWait: .seconds(2))
        alignment.started([KafkaTopicPartition(topic: Self.commands, partition: 0): 3])
        // The broker reports messages up to 5 that it cannot deliver (its last ones deleted, say).
        let ends = watermarks([Self.events: 100, Self.commands: 5])
        let start = ContinuousClock.now
        #expect(
            alignment.ready([message(Self.events, 0, at: 100)], now: start, highWatermark: ends).isEmpty)
        #expect(
            alignment.ready([], now: start + .milliseconds(1_900), highWatermark: ends).isEmpty)
        let late = alignment.ready([], now: start + .seconds(2), highWatermark: ends)
        #expect(names(late[0]) == ["events@0"])
        // Stalled at offset 3: later events do not wait for it.
        let next = alignment.ready([message(Self.events, 1, at: 200)], now: start + .seconds(3), highWatermark: ends)
        #expect(names(next[0]) == ["events@1"])
    }

    @Test("a revoked partition's held messages are dropped, to be read again; one topic is never held")
    func forgetAndOneTopic() {
        let alignment = InputAlignment(inputTopics: [Self.events, Self.commands])
        alignment.started([KafkaTopicPartition(topic: Self.commands, partition: 0): 0])
        let ends = watermarks([Self.events: 1, Self.commands: 1])
        #expect(alignment.ready([message(Self.events, 0, at: 100)], highWatermark: ends).isEmpty)
        alignment.forget([0])
        #expect(!alignment.isHolding)
        #expect(alignment.ready([], highWatermark: ends).isEmpty)

        let single = InputAlignment(inputTopics: [Self.events])
        let batch = [message(Self.events, 1, at: 300), message(Self.events, 2, at: 100)]
        #expect(names(single.ready(batch, highWatermark: { _ in nil })[0]) == ["events@1", "events@2"])
    }
}
