import Foundation
import Kafka
import KafkaTesting
import TestTraits
import Testing

@testable import OTRuntime

/// The group's committed offsets as a mirror of what each owned partition's changelog holds.
@Suite("OffsetMirror against the embedded broker", .tags(.broker), .needsBroker, .timeLimit(.minutes(2)))
struct OffsetMirrorTests {
    @Test(
        "commits the offsets of owned partitions only: not of one never owned, nor of one lost before its relay ended")
    func ownedOnly() async throws {
        let topic = "mirrored-\(UUID().uuidString.prefix(8))"
        let kafka = try EmbeddedKafka(topics: [topic])
        let consumer = try kafka.makeConsumer(groupID: "mirror-\(UUID().uuidString.prefix(8))")
        let partitions = (0..<3).map { KafkaTopicPartition(topic: topic, partition: $0) }
        try await consumer.assign(
            partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.partition, offset: -2) })
        let mirror = OffsetMirror(consumer: consumer, logger: kafka.logger)

        mirror.own(0)
        mirror.own(2)
        mirror.record(0, [topic: 5])
        mirror.record(1, [topic: 7])  // never owned
        mirror.record(2, [topic: 3])
        mirror.forget([2])
        mirror.record(2, [topic: 9])  // a relay round that ended after the partition was lost
        mirror.commitAll()
        // Commits go to the coordinator in order: once this last one is in, those before it are decided.
        mirror.record(0, [topic: 6])
        let committed = try await eventually("the last commit") {
            let committed = try await consumer.committed(partitions, timeout: .seconds(5))
            return committed[partitions[0]] == 6 ? committed : nil
        }
        #expect(committed[partitions[1]] == nil, "never owned")
        #expect(committed[partitions[2]] == 3, "what it mirrored while owned, not what came after it was lost")
        await consumer.close()
    }
}
