import Foundation
import Kafka
import KafkaTesting
import TestTraits
import Testing

/// Run alone, after every other suite (`make test`): taking a mock broker down closes its listening socket, and
/// bringing it up binds the same port again. A connection opened meanwhile anywhere on the machine may have taken that
/// port as its own, and librdkafka 2.0.2 then aborts the process (`Failed to create mock broker listener`): once in a
/// full run, with every other suite's clients connecting beside it (2026-12-02).
@Suite("A broker outage against the embedded broker", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct BrokerOutageTests {
    @Test("the idempotent producer delivers each message once, in order, while a broker is down and back")
    func exactlyOnceAcrossBrokerOutage() async throws {
        let topic = uniqueName("outage")
        let kafka = try EmbeddedKafka(topics: [topic])
        // Few reconnection attempts while the broker is down: an attempt that picks the broker's own port as its
        // source port would hold it (TCP's self-connect), and the broker could not listen again.
        let producer = try kafka.makeProducer { configuration in
            configuration.kafka.properties["reconnect.backoff.ms"] = "1000"
            configuration.kafka.properties["reconnect.backoff.max.ms"] = "1000"
        }
        let messages = sequencedMessages(topic: topic, count: 3_000, keys: 30)
        // First a third, so that connections exist and each key's partition is known.
        let firstReports = try await producer.send(Array(messages[..<1_000]))
        let partitionOfKey = Dictionary(
            zip(messages[..<1_000].map(\.key!), firstReports.map(\.partition)), uniquingKeysWith: { first, _ in first })
        let admin = try KafkaAdmin(configuration: kafka.configuration, logger: kafka.logger)
        let leaders = try #require(try await admin.metadata().topics[topic]).partitions
        // The broker that leads the partition of the first key goes down.
        let firstPartition = try #require(partitionOfKey[messages[0].key!])
        let broker = try #require(leaders.first { $0.id == firstPartition }?.leader)
        #expect((1...3).contains(broker), "leaders: \(leaders)")
        let onBroker = Set(leaders.filter { $0.leader == broker }.map(\.id))
        let heldBack = messages[1_000...].filter { onBroker.contains(partitionOfKey[$0.key!]!) }.count
        #expect(heldBack > 0)

        try kafka.cluster.setBrokerDown(broker)
        let rest = Task { try await producer.send(Array(messages[1_000...])) }
        // The outage lasts until everything for the other brokers is delivered and exactly that broker's share waits.
        // The count is the producer's bookkeeping, with no wait of its own to offer: read every 20 ms.
        try await poll(
            "only the stopped broker's messages outstanding", every: .milliseconds(20), timeout: .seconds(60)
        ) {
            producer.outstandingCount == heldBack
        }
        try kafka.cluster.setBrokerUp(broker)
        let restReports = try await rest.value
        #expect((firstReports + restReports).allSatisfy { $0.isDelivered })

        try await expectExactlyOnceInOrder(messages, kafka: kafka, topic: topic)
        await producer.shutdown()
    }
}
