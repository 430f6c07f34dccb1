import Foundation
import Kafka
import KafkaTesting
import OTRuntimeTesting
import TestTraits
import Testing

@testable import OTRuntime

@Suite(
    "A delivered chunk of messages leaves the changelog without a round of its own",
    .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct OutboxTombstoneTests {
    /// The `ot-outbox-id`s of the messages in a chunk's record value; `nil` when it is no such value.
    static func outboxIDs(inChunkRecord value: ArraySlice<UInt8>) -> [String]? {
        // The row after the schema: its rowid, `seq` and `messages`.
        guard let (_, row) = StoreSchema.split(value: value) else { return nil }
        var reader = ChangelogRowCodec.Reader(bytes: Array(row), index: 0)
        guard reader.count() == 3, reader.integer() != nil, reader.integer() != nil,
            case .some(.some(let column)) = reader.blob()
        else { return nil }
        return OutboxChunk.decode(column)?.map(\.outboxID)
    }

    /// The start of every chunk record's key.
    static let chunkKeyPrefix = Array(ChangelogRecord.key(table: OutboxChunk.table, rowKey: ""))

    /// The messages of the changelog's outbox chunks that are still there (each chunk key whose last record is not
    /// a tombstone), by their `ot-outbox-id`. No message may have a record of its own (an `ot_outbox` row), as each
    /// had before chunks.
    static func outboxRowsLeft(in kafka: EmbeddedKafka) async throws -> Set<String> {
        let rowPrefix = Array(ChangelogRecord.key(table: "ot_outbox", rowKey: ""))
        var left: [String: Set<String>] = [:]
        for message in try await kafka.readToEnd("\(CountingHandler.service).changelog.v1") {
            guard let key = message.key else { continue }
            #expect(!key.starts(with: rowPrefix), "a message recorded on its own")
            guard key.starts(with: chunkKeyPrefix) else { continue }
            let name = "\(message.partition):" + String(decoding: key, as: UTF8.self)
            guard let value = message.value else {
                left[name] = nil
                continue
            }
            left[name] = Set(try #require(outboxIDs(inChunkRecord: value)))
        }
        return left.values.reduce(into: []) { $0.formUnion($1) }
    }

    /// Reads the changelog until `condition` holds of its outbox rows, or fails after a minute.
    static func waitForOutboxRows(
        in kafka: EmbeddedKafka, _ what: String, _ condition: @escaping @Sendable (Set<String>) -> Bool
    ) async throws {
        try await eventually(what, every: .milliseconds(100), timeout: .seconds(60)) {
            condition(try await outboxRowsLeft(in: kafka)) ? () : nil
        }
    }

    @Test(
        "a graceful stop sends the tombstones of what was delivered; while running, an idle partition's go with its next tick"
    )
    func tombstones() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let ticks = Occurrences()
        func start(tick: Duration) -> InProcessWorker {
            InProcessWorker(
                kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
                handler: CountingHandler(), directory: directory.url
            ) {
                $0.tickInterval = tick
                $0.onTicked = { _ in ticks.record() }
            }
        }

        // No tick in the test's time: the delivered message's row stays on the changelog until the release.
        let first = start(tick: .seconds(3_600))
        try await producer.sendAll(try countEvents(3, keys: 3))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 3)
        try await Self.waitForOutboxRows(in: kafka, "the three messages in outbox chunks on the changelog") {
            $0.count == 3
        }
        try await first.stop()
        #expect(try await Self.outboxRowsLeft(in: kafka).isEmpty, "the release sends every tombstone")

        // Ticks every 200 ms: with no further input, the partitions' ticks take the tombstones out.
        let second = start(tick: .milliseconds(200))
        try await producer.sendAll(try countEvents(3, keys: 3))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 6)
        // A tick writes them, and the relay's next round publishes them: looked for after each round of ticks.
        try await ticks.wait(until: "the tombstones of the idle partitions") {
            try await Self.outboxRowsLeft(in: kafka).isEmpty
        }
        try await second.stop()
    }

    @Test(
        "messages a store gives back are recorded again in a new chunk, their old chunk's tombstone after it, and sent once"
    )
    func restoredMessages() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let first = startCountingWorker(kafka: kafka, directory: directory.url)
        try await producer.sendAll(try countEvents(3, keys: 3))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 3)
        try await first.stop()

        // Partition 0's released file with a chunk as a restore leaves one (chunk 99: two messages not on their
        // topic); the next worker keeps the file, finds neither message on the output and sends both.
        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: CountingHandler().migrations,
            logger: kafka.logger)
        let messages = (1...2).map { index in
            var message = OutboxMessage(
                outboxID: "given-back-\(index)", topic: CountingHandler.output.name, partition: 0,
                key: Array("k".utf8), value: Array("v\(index)".utf8), headers: [], encodedHeaders: [])
            message.seq = Int64(index)
            return message
        }
        try await store.writeUnnoted { db in
            try db.execute(
                sql: "INSERT INTO ot_outbox_chunks (seq, messages) VALUES (99, ?)",
                arguments: [Data(OutboxChunk.encode(messages[...]))])
        }
        try store.close()

        let second = startCountingWorker(kafka: kafka, directory: directory.url)
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 5)
        try await second.stop()

        let sent = try await kafka.readToEnd(CountingHandler.output.name).compactMap {
            $0.headerString(OutboxRelay.outboxIDHeader)
        }
        #expect(sent.filter { $0.hasPrefix("given-back-") }.sorted() == ["given-back-1", "given-back-2"])
        // On partition 0 of the changelog: a new chunk holding both, then chunk 99's tombstone; nothing of chunk
        // 99's own; at the end no chunk left.
        let changelog = try await kafka.readToEnd("\(CountingHandler.service).changelog.v1")
            .filter { $0.partition == 0 }.sorted { $0.offset < $1.offset }
        let old = OutboxChunk.key(99)
        let tombstone = try #require(changelog.firstIndex { $0.key.map(Array.init) == old })
        #expect(changelog[tombstone].value == nil)
        #expect(changelog.filter { $0.key.map(Array.init) == old }.count == 1)
        let holding = changelog[..<tombstone].lastIndex { message in
            guard let key = message.key, key.starts(with: Self.chunkKeyPrefix), Array(key) != old,
                let value = message.value
            else { return false }
            return Self.outboxIDs(inChunkRecord: value) == ["given-back-1", "given-back-2"]
        }
        #expect(holding != nil, "a chunk holding both before the old chunk's tombstone")
        #expect(try await Self.outboxRowsLeft(in: kafka).isEmpty)
    }

    @Test(
        "a chunk delivered in part is recorded again with what is left, in the round that brings the positions delivered: no chunk on the changelog holds a message delivered before them"
    )
    func partlyDelivered() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // The relay of one store, as a worker runs it, with two messages in one round: one to a partition the output
        // topic does not have, which is never delivered.
        let stores = PartitionStores(
            directory: directory.url, migrations: CountingHandler().migrations, logger: kafka.logger)
        let store = try stores.open(0)
        try await store.beginUse()
        stores.markReady(0)
        let relay = OutboxRelay(
            stores: stores, producer: try kafka.makeProducer(),
            changelogTopic: "\(CountingHandler.service).changelog.v1",
            metrics: WorkerMetrics(service: CountingHandler.service), logger: kafka.logger, onPublished: { _, _ in })
        let messages = [("delivered", Int32(0)), ("undeliverable", 999)].map { id, partition in
            OutboxMessage(
                outboxID: id, topic: CountingHandler.output.name, partition: partition, key: Array("k".utf8),
                value: Array(id.utf8), headers: [], encodedHeaders: [])
        }
        store.unpublished.withLock { $0.append(records: [], messages: messages, offsets: nil, scrub: false) }
        await relay.release(0)
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 1)
        #expect(try await Self.outboxRowsLeft(in: kafka) == ["delivered", "undeliverable"])

        // The store's next write puts the position the delivery reached into the file, and the next round onto the
        // changelog: from then on a restore reads the output only past "delivered", so no chunk may hold it.
        try await store.write { _ in }
        await relay.release(0)
        let positionsKey = Array(ChangelogRecord.key(table: "ot_outbox_positions", rowKey: ""))
        let changelog = try await kafka.readToEnd("\(CountingHandler.service).changelog.v1")
        #expect(changelog.contains { $0.key?.starts(with: positionsKey) == true && $0.value != nil })
        #expect(try await Self.outboxRowsLeft(in: kafka) == ["undeliverable"])
        #expect(store.relay.withLock { $0.recorded.map(\.outboxID) } == ["undeliverable"])
        try store.close()
    }
}
