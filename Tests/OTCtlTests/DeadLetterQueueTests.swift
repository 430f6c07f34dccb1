import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import OTCtl

/// `otctl dlq` against dead letters a real worker wrote: the counting worker of the runtime's tests, in process.
@Suite("otctl dlq against the embedded broker", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct DeadLetterQueueTests {
    @Test("a dead letter the runtime wrote is listed with its reason; replay puts the original on its partition")
    func listAndReplay() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: CountingHandler.topics)
        let input = CountingHandler.input.name
        let key = "01820850056"
        // Not the partition the key would choose: a replay that chose by key would miss it.
        let byKey = KafkaPartitioner.murmur2Partition(of: Array(key.utf8), partitionCount: kafka.partitions)
        let partition = (byKey + 5) % kafka.partitions
        let otherPartition = (partition + 1) % kafka.partitions
        let contentType = KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)
        let trace = KafkaHeader(name: "traceparent", string: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        let rejectedEvent = try CloudEvent(Count(fail: "permanent"), source: "urn:test")
        let producer = try kafka.makeProducer()
        let reports = try await producer.send([
            KafkaProducerMessage(
                topic: input, key: Array(key.utf8), value: try CloudEvent(Count(), source: "urn:test").structuredJSON(),
                headers: [contentType], partition: partition),
            KafkaProducerMessage(
                topic: input, key: Array(key.utf8), value: rejectedEvent.structuredJSON(),
                headers: [contentType, trace],
                partition: partition),
            KafkaProducerMessage(
                topic: input, key: Array("other".utf8), value: Array("{not json".utf8), partition: otherPartition),
        ])
        await producer.shutdown()
        #expect(reports.allSatisfy { $0.isDelivered })
        #expect(reports.map(\.offset) == [0, 1, 0])

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otctl-dlq-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let worker = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [input], handler: CountingHandler(),
            directory: directory)
        let topic = DeadLetterQueue.topic(ofService: CountingHandler.service)
        #expect(topic == "ot-counting-worker.dlq.v1")
        try await kafka.waitForMessages(in: topic, count: 2)
        try await worker.stop()

        // list
        let queue = DeadLetterQueue(kafka: kafka.configuration, topic: topic)
        let letters = try await queue.read()
        #expect(letters.count == 2)
        let rejected = try #require(letters.first { $0.sourcePartition == partition })
        #expect(rejected.position.partition == partition, "a dead letter keeps its partition number")
        #expect(rejected.sourceTopic == input && rejected.sourceOffset == 1 && rejected.attempts == 1)
        #expect(rejected.event?.type == Count.eventType && rejected.event?.id == rejectedEvent.id)
        #expect(rejected.originalHeaders == [contentType, trace], "the dead-letter headers and ot-outbox-id left out")
        #expect(rejected.line.hasPrefix("\(partition)@\(rejected.position.offset)  20"))
        #expect(
            rejected.line.contains(
                "  from \(input) p\(partition)@1  \(Count.eventType) \(rejectedEvent.id)  key 018208*****  attempts 1  "
            ))
        #expect(rejected.line.hasSuffix("permanent: the event asked to be rejected"), "\(rejected.line)")
        #expect(!rejected.line.contains(key))
        let unreadable = try #require(letters.first { $0.sourcePartition == otherPartition })
        #expect(unreadable.event == nil && unreadable.line.contains("  (not a CloudEvent)  key other  "))
        #expect(unreadable.error?.contains("JSON") == true, "\(unreadable.line)")

        // replay --dry-run sends nothing
        let before = try await kafka.messageCount(of: input)
        var lines: [String] = []
        try await queue.replay([rejected], dryRun: true) { lines.append($0) }
        #expect(
            lines == [
                "would send \(rejected.position) to \(input) p\(partition)@1  \(Count.eventType) \(rejectedEvent.id)  "
                    + "key 018208*****"
            ])
        #expect(try await kafka.messageCount(of: input) == before)

        // replay --offset: the chosen one only, to its partition, as it was
        lines = []
        let chosen = try queue.select([rejected.position], from: letters)
        #expect(try await queue.replay(chosen, dryRun: false) { lines.append($0) } == 1)
        #expect(
            lines == [
                "sent \(rejected.position) to \(input) p\(partition)@2 (dead-lettered at offset 1)  "
                    + "\(Count.eventType) \(rejectedEvent.id)  key 018208*****"
            ])
        #expect(try await kafka.messageCount(of: input) == before + 1)
        let consumer = try kafka.makeConsumer(groupID: "otctl-dlq-check")
        try await consumer.assign([KafkaTopicPartitionOffset(topic: input, partition: partition, offset: 2)])
        let replayed = try #require(try await consumer.collect(1).first)
        await consumer.close()
        #expect(replayed.partition == partition && replayed.offset == 2)
        #expect(replayed.keyString == key)
        #expect(replayed.value.map(Array.init) == rejectedEvent.structuredJSON())
        #expect(replayed.headers == [contentType, trace])
    }

    @Test("a position that holds no dead letter is refused, and nothing is sent")
    func unknownPosition() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: CountingHandler.topics)
        let queue = DeadLetterQueue(kafka: kafka.configuration, topic: "ot-counting-worker.dlq.v1")
        let letters = try await queue.read()
        #expect(letters.isEmpty)
        #expect {
            try queue.select([DeadLetterPosition(partition: 3, offset: 17)], from: letters)
        } throws: { error in
            "\(error)".hasPrefix("no dead letter at 3@17 in ot-counting-worker.dlq.v1")
        }
    }
}
