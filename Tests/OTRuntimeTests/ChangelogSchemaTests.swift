import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import OTStore
import TestTraits
import Testing

@testable import OTRuntime

/// The counting handler of a later release: its store has one more column, filled by the migration that adds it
/// (twice the count) and kept up to date by the handler.
private struct DoublingCountingHandler: WorkerHandler {
    let base = CountingHandler()

    var migrations: StoreMigrations {
        var migrations = base.migrations
        migrations.register("counting-2-doubled") { db in
            try db.execute(sql: "ALTER TABLE counts ADD COLUMN doubled INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "UPDATE counts SET doubled = count * 2")
        }
        return migrations
    }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        try base.handle(event, context: context)
        try context.database.execute(
            sql: "UPDATE counts SET doubled = count * 2 WHERE key = ?", arguments: [event.key ?? ""])
    }
}

/// The counting handler of a later release that keeps its counts in another table, under other names (`key-7`'s
/// count as `tally-7`'s): its migration moves them there (`tallies`), publishes the new rows and drops the old
/// table with a tombstone for each of its rows (`ChangelogMigration`). No row it keeps holds the text `key-`.
private struct TallyingCountingHandler: WorkerHandler {
    var migrations: StoreMigrations {
        var migrations = CountingHandler().migrations
        migrations.register("counting-2-tallies") { db in
            try db.execute(sql: "CREATE TABLE tallies (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
            try db.execute(sql: "INSERT INTO tallies (key, n) SELECT 'tally-' || substr(key, 5), count FROM counts")
            try ChangelogMigration.publishAll("tallies", in: db)
            try ChangelogMigration.dropTable("counts", in: db)
        }
        return migrations
    }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        let key = event.key ?? ""
        let tally = "tally-" + key.dropFirst(4)
        try context.database.execute(
            sql: "INSERT INTO tallies (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1",
            arguments: [tally])
        let n =
            try Int.fetchOne(context.database, sql: "SELECT n FROM tallies WHERE key = ?", arguments: [tally]) ?? 0
        try context.emit(Counted(key: key, count: n, inputID: event.cloudEvent.id), key: key)
    }
}

@Suite(
    "Changelog across a store migration: a restore runs the later migrations over older rows",
    .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct ChangelogSchemaTests {
    @Test(
        "a release that adds a column restores the older release's changelog on an empty disk and goes on; the older release refuses the newer changelog"
    )
    func upgradeAndRefusedDowngrade() async throws {
        let kafka = try makeCountingKafka()
        let directories = [TemporaryDirectory(), TemporaryDirectory(), TemporaryDirectory()]
        defer { for directory in directories { directory.remove() } }
        let producer = try kafka.makeProducer()
        let keys = 30

        // The older release counts ten events per key.
        try await countTenPerKey(keys, kafka: kafka, producer: producer, directory: directories[0].url)

        // The newer release starts on an empty disk: every partition is restored from the older release's changelog.
        // Then one more event for each of the first half of the keys.
        let newer = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: DoublingCountingHandler(), directory: directories[1].url)
        try await producer.sendAll(Array(try countEvents(keys, keys: keys).prefix(keys / 2)))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(10 * keys + keys / 2))
        try await newer.stop()

        // Counting went on from ten: no key started again, none counted twice.
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        for key in 0..<keys {
            let expected = key < keys / 2 ? Array(1...11) : Array(1...10)
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == expected, "key-\(key)")
        }
        // The new column: filled by the migration over the restored rows (2 × 10), and by the handler after it
        // (2 × 11).
        var stored: [String: (count: Int, doubled: Int)] = [:]
        for row in try storeRows(in: directories[1].url, "SELECT key, count, doubled FROM counts") {
            stored[row["key"]] = (row["count"], row["doubled"])
        }
        #expect(stored.count == keys)
        for key in 0..<keys {
            let count = key < keys / 2 ? 11 : 10
            #expect(stored["key-\(key)"].map { [$0.count, $0.doubled] } == [count, 2 * count], "key-\(key)")
        }

        // The older release cannot go back to a changelog the newer one wrote: it stops and says why.
        let downgraded = startCountingWorker(kafka: kafka, directory: directories[2].url)
        await #expect {
            try await withTimeout(.seconds(60), waitingFor: "the older release to stop") {
                try await downgraded.waitForExit()
            }
        } throws: { error in
            "\(error)".contains("cannot be restored by this release")
                && "\(error)".contains(".2 (runtime.service migrations)")
        }
        try? await downgraded.stop()
        await producer.shutdown()
    }

    @Test(
        "a release that moves its rows to another table upgrades in place, publishes them there and a tombstone for each old row; a restore on an empty disk has only the new table and goes on"
    )
    func rowsMovedToAnotherTable() async throws {
        let kafka = try makeCountingKafka()
        let directories = [TemporaryDirectory(), TemporaryDirectory()]
        defer { for directory in directories { directory.remove() } }
        let producer = try kafka.makeProducer()
        let keys = 30
        let scrubs = Occurrences()
        func newer(on directory: URL) -> InProcessWorker {
            InProcessWorker(
                kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
                handler: TallyingCountingHandler(), directory: directory
            ) { configuration in
                configuration.onScrubbed = { _ in scrubs.record() }
            }
        }

        // The older release counts ten events per key; the newer one takes over its files and counts one more for
        // the first half of the keys.
        try await countTenPerKey(keys, kafka: kafka, producer: producer, directory: directories[0].url)
        let upgraded = newer(on: directories[0].url)
        try await producer.sendAll(Array(try countEvents(keys, keys: keys).prefix(keys / 2)))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(10 * keys + keys / 2))
        try await upgraded.stop()

        // The changelog's last word on every old row is its tombstone, and on every key its tally.
        var holdsValue: [String: Bool] = [:]
        for record in try await kafka.readToEnd("\(CountingHandler.service).changelog.v1") {
            guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
            holdsValue[key] = record.value != nil
        }
        let oldRows = holdsValue.filter { $0.key.hasPrefix("counts\u{1F}") }
        #expect(oldRows.count == keys)
        #expect(oldRows.values.allSatisfy { !$0 })
        #expect(holdsValue.filter { $0.key.hasPrefix("tallies\u{1F}") && $0.value }.count == keys)

        // On an empty disk the newer release restores from that changelog (the older release's rows, then the
        // tombstones of a table its schema no longer has) and counts one more event for every key.
        let restored = newer(on: directories[1].url)
        // The old rows were restored, then moved and dropped by the migration, and the keys of their tombstones
        // noted meanwhile: once those are out, no page of them is left in the files.
        try await withTimeout(.seconds(60), waitingFor: "the restore") { try await restored.worker.waitUntilReady() }
        try await StoreFiles.waitUntilNoneContain("key-", under: directories[1].url, after: scrubs)
        try await producer.sendAll(try countEvents(keys, keys: keys))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(11 * keys + keys / 2))
        try await restored.stop()
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        for key in 0..<keys {
            let expected = key < keys / 2 ? Array(1...12) : Array(1...11)
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == expected, "key-\(key)")
        }
        #expect(try storeRows(in: directories[1].url, "SELECT name FROM sqlite_master WHERE name = 'counts'").isEmpty)
        var tallies: [String: Int] = [:]
        for row in try storeRows(in: directories[1].url, "SELECT key, n FROM tallies") {
            tallies[row["key"]] = row["n"]
        }
        #expect(tallies.count == keys)
        #expect((0..<keys).allSatisfy { tallies["tally-\($0)"] == ($0 < keys / 2 ? 12 : 11) })
        await producer.shutdown()
    }

    @Test(
        "a changelog written before a row's value began with its schema (each row's schema in its header) restores as before: the later migrations run over its rows"
    )
    func rowsWithSchemaHeaders() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let keys = 30

        // The older release counts ten events per key.
        try await countTenPerKey(keys, kafka: kafka, producer: producer, directory: directory.url)

        // Its changelog as the releases before 2026-12-07 wrote it, in another service's changelog topic: each row's
        // value without the schema, which its header `ot-schema` names instead.
        let legacy = "legacy-counting"
        let records = try await changelogRecords(forLegacyService: legacy, in: kafka)
        var rewritten: [KafkaProducerMessage] = []
        var rowsWithHeader = 0
        for record in records {
            var value = record.value.map { Array($0) }
            var headers = record.headers
            if let bytes = value, let split = StoreSchema.split(value: bytes[...]) {
                value = Array(split.row)
                headers.append(
                    KafkaHeader(name: "ot-schema", string: "\(split.schema.runtime).\(split.schema.service)"))
                rowsWithHeader += 1
            }
            rewritten.append(
                KafkaProducerMessage(
                    topic: "\(legacy).changelog.v1", key: record.key.map { Array($0) }, value: value,
                    headers: headers, partition: record.partition))
        }
        #expect(rowsWithHeader >= keys, "the older release's rows")
        try await producer.sendAll(rewritten)

        // The newer release restores it on an empty disk, then counts one more event for the first half of the keys.
        let restoredDirectory = TemporaryDirectory()
        defer { restoredDirectory.remove() }
        let newer = InProcessWorker(
            kafka: kafka, service: legacy, inputTopics: [CountingHandler.input.name],
            handler: DoublingCountingHandler(), directory: restoredDirectory.url)
        try await producer.sendAll(Array(try countEvents(keys, keys: keys).prefix(keys / 2)))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(10 * keys + keys / 2))
        try await newer.stop()

        // Restored as rows of the older schema, the migration filled the new column (2 × 10); counted after it, the
        // handler (2 × 11). Restored as rows of this release's schema, the column would be 0 where no event came.
        var stored: [String: [Int]] = [:]
        for row in try storeRows(in: restoredDirectory.url, "SELECT key, count, doubled FROM counts") {
            stored[row["key"]] = [row["count"], row["doubled"]]
        }
        #expect(stored.count == keys)
        for key in 0..<keys {
            let count = key < keys / 2 ? 11 : 10
            #expect(stored["key-\(key)"] == [count, 2 * count], "key-\(key)")
        }
        await producer.shutdown()
    }

    @Test(
        "a changelog written when the de-duplication records were a row per event (runtime schema 7) restores on an empty disk into rows per transaction: the events it recorded are still known when they come again"
    )
    func deduplicationRecordsOfRuntimeSchema7() async throws {
        let kafka = try makeCountingKafka()
        let directories = [TemporaryDirectory(), TemporaryDirectory()]
        defer { for directory in directories { directory.remove() } }
        let producer = try kafka.makeProducer()
        let keys = 30

        // This release counts ten events per key.
        let first = try await countTenPerKey(keys, kafka: kafka, producer: producer, directory: directories[0].url)

        // Its changelog as a release of runtime schema 7 wrote it, in another service's changelog topic: every
        // processed event a row of `ot_processed_events` of its own (rowid, source, id, processed_at), keyed by its
        // rowid in the order of processing; every other row as it is, with schema 7 (whose tables are the same).
        let legacy = "legacy-dedupe"
        let records = try await changelogRecords(forLegacyService: legacy, in: kafka)
        var rewritten: [KafkaProducerMessage] = []
        var nextRowid: [Int32: Int64] = [:]
        var batchKeys: [String] = []
        var oldKeys: Set<String> = []
        for record in records {
            let key = record.key.map { Array($0) } ?? []
            var headers = record.headers
            if let index = headers.firstIndex(where: { $0.name == StoreSchema.header }),
                let schema = headers[index].value.flatMap({ StoreSchema(header: String(decoding: $0, as: UTF8.self)) })
            {
                headers[index] = KafkaHeader(
                    name: StoreSchema.header, string: StoreSchema(runtime: 7, service: schema.service).description)
            }
            func write(key: [UInt8], value: [UInt8]?) {
                rewritten.append(
                    KafkaProducerMessage(
                        topic: "\(legacy).changelog.v1", key: key, value: value, headers: headers,
                        partition: record.partition))
            }
            guard let value = record.value else {
                #expect(!key.starts(with: Array("ot_processed_batches".utf8)), "no batch was deleted")
                write(key: key, value: nil)
                continue
            }
            guard let (schema, row) = StoreSchema.split(value: value) else {
                write(key: key, value: Array(value))  // a round marker
                continue
            }
            #expect(schema.runtime >= 8, "written by this release")
            let older = StoreSchema(runtime: 7, service: schema.service)
            guard key.starts(with: Array("ot_processed_batches\u{1F}".utf8)) else {
                write(key: key, value: older.valuePrefix + row)
                continue
            }
            batchKeys.append("\(record.partition)/\(String(decoding: key, as: UTF8.self))")
            // The batch's values: its rowid, processed_at and the events.
            let values = changelogRowValues(row)
            guard values.count == 3, case .int64(let processedAt) = values[1].storage,
                case .blob(let events) = values[2].storage
            else {
                Issue.record("an ot_processed_batches row of \(values.count) values: \(values)")
                continue
            }
            for event in storedEvents(Array(events)) {
                let rowid = nextRowid[record.partition, default: 0] + 1
                nextRowid[record.partition] = rowid
                let rowKey = "ot_processed_events\u{1F}\(rowid)"
                oldKeys.insert("\(record.partition)/\(rowKey)")
                let old = ChangelogRowCodec.encode([
                    rowid.databaseValue, event.source.databaseValue, event.id.databaseValue,
                    processedAt.databaseValue,
                ])
                write(key: Array(rowKey.utf8), value: older.valuePrefix + old)
            }
        }
        #expect(Set(batchKeys).count == batchKeys.count, "each batch published once")
        #expect(oldKeys.count == 10 * keys, "a row per processed event")
        try await producer.sendAll(rewritten)

        // This release restores that changelog on an empty disk. The upstream then sends the same ten events per
        // key again (as after a redelivery), and one new event per key.
        let restored = InProcessWorker(
            kafka: kafka, service: legacy, inputTopics: [CountingHandler.input.name], handler: CountingHandler(),
            directory: directories[1].url)
        try await withTimeout(.seconds(60), waitingFor: "the restore") { try await restored.worker.waitUntilReady() }
        let new = try countEvents(keys, keys: keys)
        try await producer.sendAll(first + new)
        // Each key's new event follows its redelivered ones in its partition: once the new events are counted, the
        // redelivered ones were read before them.
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(11 * keys))
        try await restored.stop()

        // Counted once each: the redelivered events were known from the restored records, the new ones counted on
        // from ten.
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(outputs.count == 11 * keys)
        for key in 0..<keys {
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == Array(1...11), "key-\(key)")
        }
        // The store keeps them as rows per transaction, all 330, and no table of the old form.
        let expected = Set(
            try (first + new).map { (message: KafkaProducerMessage) -> String in
                try CloudEvent(structuredJSON: message.value ?? []).id
            })
        #expect(Set(try processedEvents(in: directories[1].url).map(\.id)) == expected)
        #expect(
            try storeRows(in: directories[1].url, "SELECT name FROM sqlite_master WHERE name = 'ot_processed_events'")
                .isEmpty)
        // The changelog's last word on every old row is its tombstone, published by the migration after the restore.
        var holdsValue: [String: Bool] = [:]
        for record in try await kafka.readToEnd("\(legacy).changelog.v1") {
            guard let key = record.keyString, key.hasPrefix("ot_processed_events\u{1F}") else { continue }
            holdsValue["\(record.partition)/\(key)"] = record.value != nil
        }
        #expect(Set(holdsValue.keys) == oldKeys)
        #expect(holdsValue.values.allSatisfy { !$0 })
        await producer.shutdown()
    }
}

/// Sends ten events for each of `keys` keys, lets a counting worker on `directory` count them all, and stops it.
/// - Returns: The events sent.
@discardableResult
private func countTenPerKey(_ keys: Int, kafka: EmbeddedKafka, producer: KafkaProducer, directory: URL) async throws
    -> [KafkaProducerMessage]
{
    let events = try countEvents(10 * keys, keys: keys)
    try await producer.sendAll(events)
    let worker = startCountingWorker(kafka: kafka, directory: directory)
    try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(10 * keys))
    try await worker.stop()
    return events
}

/// The counting worker's changelog records in the order they were written, once the topics of the service `legacy`
/// exist: a test writes them there as an older release would have.
private func changelogRecords(forLegacyService legacy: String, in kafka: EmbeddedKafka) async throws
    -> [KafkaConsumerMessage]
{
    try kafka.createTopic("\(legacy).changelog.v1")
    try kafka.createTopic("\(legacy).dlq.v1")
    return try await kafka.readToEnd("\(CountingHandler.service).changelog.v1")
        .sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
}

/// A changelog row's values, read by the format `ChangelogRowCodec` documents (a 16-bit big-endian count, then per
/// value a tag, 0 null, 1 integer, 2 real, 3 text, 4 blob, and the value: 8 bytes big-endian for a number, a 32-bit
/// big-endian length and the bytes for text and a blob), not by the runtime's own code.
private func changelogRowValues(_ bytes: ArraySlice<UInt8>) -> [DatabaseValue] {
    let bytes = Array(bytes)
    func number(at position: Int, size: Int) -> UInt64 {
        bytes[position..<position + size].reduce(0) { $0 << 8 | UInt64($1) }
    }
    let count = Int(number(at: 0, size: 2))
    var position = 2
    var values: [DatabaseValue] = []
    for _ in 0..<count {
        let tag = bytes[position]
        position += 1
        switch tag {
        case 1, 2:
            let bits = number(at: position, size: 8)
            values.append(tag == 1 ? Int64(bitPattern: bits).databaseValue : Double(bitPattern: bits).databaseValue)
            position += 8
        case 3, 4:
            let length = Int(number(at: position, size: 4))
            let content = Array(bytes[position + 4..<position + 4 + length])
            values.append(
                tag == 3 ? String(decoding: content, as: UTF8.self).databaseValue : Data(content).databaseValue)
            position += 4 + length
        default:
            values.append(.null)
        }
    }
    return values
}
