import Foundation
import GRDB
import Kafka
import KafkaTesting
import Logging
import OTRuntimeTesting
import OTStore
import TestTraits
import Testing

@testable import OTRuntime

@Suite("OutboxRecovery", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct OutboxRecoveryTests {
    @Test("rows sent before a crash but not deleted are not sent again; the others are")
    func recoversDeliveredRows() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let topic = CountingHandler.output.name
        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), logger: kafka.logger)
        // Six rows marked attempted, as a restore leaves the outbox the changelog held (the relay records each
        // message there before it sends it).
        try await store.store.write { db in
            for index in 0..<6 {
                try db.execute(
                    sql: """
                        INSERT INTO ot_outbox (outbox_id, topic, partition, key, value, headers, attempted)
                        VALUES (?, ?, 3, ?, ?, ?, 1)
                        """,
                    arguments: [
                        "row-\(index)", topic, Data("k".utf8), Data("v\(index)".utf8), Data(OutboxHeaders.encode([])),
                    ])
            }
        }
        // The crash came after the first four reached the topic, before the relay deleted them; another writer
        // had written to the partition meanwhile.
        let producer = try kafka.makeProducer()
        try await producer.sendAll(
            (0..<4).map {
                KafkaProducerMessage(
                    topic: topic, key: "k", value: "v\($0)",
                    headers: [KafkaHeader(name: OutboxRelay.outboxIDHeader, string: "row-\($0)")], partition: 3)
            } + [KafkaProducerMessage(topic: topic, key: "other", value: "x", partition: 3)])
        await producer.shutdown()

        try await OutboxRecovery(configuration: kafka.configuration, logger: kafka.logger).recover(store)

        let left = try await store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT outbox_id, attempted FROM ot_outbox ORDER BY seq").map {
                ($0["outbox_id"] as String, $0["attempted"] as Int)
            }
        }
        #expect(left.map(\.0) == ["row-4", "row-5"])
        #expect(left.allSatisfy { $0.1 == 0 })
        try store.close()
    }

    @Test(
        "headers survive the outbox's binary form",
        arguments: [
            [] as [KafkaHeader],
            [KafkaHeader(name: "content-type", string: "application/cloudevents+json")],
            [
                KafkaHeader(name: "null", value: nil), KafkaHeader(name: "", value: []),
                KafkaHeader(name: "bin", value: [0, 255, 10]),
            ],
        ])
    func headerEncoding(headers: [KafkaHeader]) {
        #expect(OutboxHeaders.decode(OutboxHeaders.encode(headers)) == headers)
    }

    @Test("national IDs are masked in texts and keys")
    func masking() {
        #expect(
            maskNationalIDs(in: "invalid national ID 01010112345 in data.personId")
                == "invalid national ID 010101***** in data.personId")
        #expect(maskNationalIDs(in: "offset 123456789012 and 12345") == "offset 123456789012 and 12345")
        #expect(maskKey("01010112345") == "010101*****")
        #expect(maskKey(nil) == "-")
    }
}
