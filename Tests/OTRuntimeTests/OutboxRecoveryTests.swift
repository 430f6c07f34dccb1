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
    /// A broker with the counting worker's topics, and partition 0's store in a folder of its own.
    static func makeStore() throws -> (EmbeddedKafka, TemporaryDirectory, PartitionStore) {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), logger: kafka.logger)
        return (kafka, directory, store)
    }

    @Test("rows sent before a crash but not deleted are not sent again; the others are")
    func recoversDeliveredRows() async throws {
        let (kafka, directory, store) = try Self.makeStore()
        defer { directory.remove() }
        let topic = CountingHandler.output.name
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
        "chunks keep the messages not found on their topics; a chunk found whole goes; the rest go to memory in order")
    func recoversChunks() async throws {
        let (kafka, directory, store) = try Self.makeStore()
        defer { directory.remove() }
        let topic = CountingHandler.output.name
        func message(_ seq: Int64, partition: Int32) -> OutboxMessage {
            var message = OutboxMessage(
                outboxID: "m-\(seq)", topic: topic, partition: partition, key: Array("k".utf8),
                value: Array("v\(seq)".utf8), headers: [], encodedHeaders: OutboxHeaders.encode([]))
            message.seq = seq
            return message
        }
        // Three chunks as a restore leaves them: 1–2 on partition 3, 3–5 over partitions 3 and 4, 6 on partition 4.
        let chunks: [(Int64, [OutboxMessage])] = [
            (7, [message(1, partition: 3), message(2, partition: 3)]),
            (8, [message(3, partition: 3), message(4, partition: 4), message(5, partition: 3)]),
            (9, [message(6, partition: 4)]),
        ]
        try await store.store.write { db in
            for (seq, messages) in chunks {
                try db.execute(
                    sql: "INSERT INTO ot_outbox_chunks (seq, messages) VALUES (?, ?)",
                    arguments: [seq, Data(OutboxChunk.encode(messages[...]))])
            }
        }
        // The crash came after messages 1, 2 and 4 reached their topics, before the relay tombstoned their chunks.
        let producer = try kafka.makeProducer()
        try await producer.sendAll(
            [(1, 3), (2, 3), (4, 4)].map { seq, partition in
                KafkaProducerMessage(
                    topic: topic, key: "k", value: "v\(seq)",
                    headers: [KafkaHeader(name: OutboxRelay.outboxIDHeader, string: "m-\(seq)")], partition: partition)
            })
        await producer.shutdown()

        try await OutboxRecovery(configuration: kafka.configuration, logger: kafka.logger).recover(store)

        let left = try await store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, messages FROM ot_outbox_chunks ORDER BY seq").map {
                ($0["seq"] as Int64, OutboxChunk.decode(Array($0["messages"] as Data))?.map(\.outboxID))
            }
        }
        #expect(left.map(\.0) == [8, 9])
        #expect(left.map(\.1) == [["m-3", "m-5"], ["m-6"]])

        // Taken into use, the store hands the three left to the relay in order, each to be recorded again with its
        // old chunk's tombstone, and numbers the next chunks after the last it gave back.
        try await store.beginUse()
        let unpublished = store.unpublished.withLock { $0 }
        #expect(unpublished.messages.map(\.outboxID) == ["m-3", "m-5", "m-6"])
        #expect(
            unpublished.messages.map(\.restoredKey) == [OutboxChunk.key(8), OutboxChunk.key(8), OutboxChunk.key(9)])
        #expect(store.relay.withLock { ($0.nextSeq, $0.nextChunk) } == (7, 10))
        // The chunk found whole leaves the changelog with the recovery's own records: its tombstone goes with the
        // first round (chunks 8 and 9 get theirs from the relay, after they are recorded again).
        let tombstoned = unpublished.records.filter { $0.value == nil }.map { Array($0.key) }
        #expect(tombstoned == [OutboxChunk.key(7)])
        let rows = try await store.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ot_outbox_chunks")
        }
        #expect(rows == 0)
        try store.close()
    }

    @Test("the messages of a chunk divide by count and by size, a large one alone")
    func chunkSizes() {
        func message(_ bytes: Int) -> OutboxMessage {
            OutboxMessage(
                outboxID: "id", topic: "t", partition: 0, key: nil, value: Array(repeating: 0x61, count: bytes),
                headers: [], encodedHeaders: [])
        }
        #expect(OutboxChunk.ranges(of: []).isEmpty)
        let many = Array(repeating: message(10), count: OutboxChunk.maxMessages * 2 + 1)
        #expect(OutboxChunk.ranges(of: many).map(\.count) == [OutboxChunk.maxMessages, OutboxChunk.maxMessages, 1])
        // Three of about 30 KiB fill a chunk past 64 KiB: two to a chunk; one of 100 KiB has a chunk of its own.
        let large = [message(30_000), message(30_000), message(30_000), message(100_000), message(10)]
        #expect(OutboxChunk.ranges(of: large) == [0..<2, 2..<3, 3..<4, 4..<5])
        for range in OutboxChunk.ranges(of: large) {
            let bytes = OutboxChunk.encode(large[range])
            #expect(OutboxChunk.decode(bytes)?.map(\.value) == large[range].map(\.value))
            #expect(bytes.count == 1 + large[range].reduce(0) { $0 + OutboxChunk.size(of: $1) })
        }
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
