import Foundation
import GRDB
import Kafka
import Logging

/// Makes an assigned partition's store current before any of its events is processed: the local file is kept when
/// it is provably what the changelog holds (every record published after its own last round marker is its own),
/// and otherwise replaced by a new file restored from the changelog partition.
///
/// A restore applies the records of complete rounds only (up to the last round marker). The rows of a round left
/// incomplete by an owner that died while publishing are noted as pending, so that the new owner's first round
/// publishes their true values and a later restore does not take the dead owner's half-published changes.
struct ChangelogRestore: Sendable {
    let configuration: KafkaConfiguration
    let topic: String
    let metrics: WorkerMetrics
    let logger: Logger
    /// The longest a restore may read without reaching the changelog's end.
    var timeout: Duration = .seconds(120)

    /// What a restore did, for logs and benchmarks.
    struct Outcome: Sendable {
        var restored: Bool
        var reason: String
        var records = 0
        var duration: Duration = .zero
    }

    /// A consumer for restores, which partitions assigned together share (``prepare(_:stores:consumer:)``): a new
    /// consumer's first request waited about 45 ms for its metadata, a third of a typical partition's restore.
    func makeConsumer() throws -> KafkaConsumer {
        var consumerConfiguration = KafkaConsumerConfiguration(kafka: configuration, groupID: "ot-changelog-restore")
        consumerConfiguration.pollTimeout = .milliseconds(50)
        consumerConfiguration.maxBatchSize = 10_000
        // It reads partitions that hold data, one after another: an empty fetch held longer delays the next
        // partition's first one (a consumer has one fetch in flight per broker). It lives only while restoring.
        consumerConfiguration.fetchWaitMax = .milliseconds(5)
        // A restore reads one partition from its start to its end: large fetches, few round trips.
        consumerConfiguration.kafka.properties["max.partition.fetch.bytes"] =
            consumerConfiguration.kafka.properties["max.partition.fetch.bytes"] ?? "16777216"
        return try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
    }

    /// Returns the partition's store, current: the local one, or a new one restored from the changelog, read with
    /// `consumer` (from ``makeConsumer()``, closed by its owner), or with a consumer of its own.
    func prepare(
        _ partition: Int32, stores: PartitionStores, consumer shared: KafkaConsumer? = nil
    ) async throws -> (PartitionStore, Outcome) {
        let started = ContinuousClock.now
        if let shared { return try await prepare(partition, stores: stores, consumer: shared, started: started) }
        let consumer = try makeConsumer()
        do {
            let result = try await prepare(partition, stores: stores, consumer: consumer, started: started)
            await consumer.close()
            return result
        } catch {
            await consumer.close()
            throw error
        }
    }

    private func prepare(
        _ partition: Int32, stores: PartitionStores, consumer: KafkaConsumer, started: ContinuousClock.Instant
    ) async throws -> (PartitionStore, Outcome) {
        let changelog = KafkaTopicPartition(topic: topic, partition: partition)
        let (low, high) = try await consumer.watermarks(of: changelog)
        let reason: String
        var store: PartitionStore
        if high > low,
            !FileManager.default.fileExists(
                atPath: PartitionStore.path(partition: partition, directory: stores.directory))
        {
            // Not created only to be replaced.
            reason = "there is no local store"
        } else {
            store = try stores.open(partition)
            guard let stale = try await staleness(of: store, low: low, high: high, consumer: consumer) else {
                return (store, Outcome(restored: false, reason: "the local store is current"))
            }
            reason = stale
        }
        logger.info(
            "restoring a partition store from the changelog",
            metadata: ["partition": "\(partition)", "reason": "\(reason)", "records": "\(high - low)"])
        await stores.close(partition)
        try PartitionStore.removeFiles(partition: partition, directory: stores.directory)
        let records: Int
        let deletedWritten: Bool
        (store, records, deletedWritten) = try await restore(
            partition, stores: stores, from: low, to: high, consumer: consumer)
        // The changelog replays rows that were deleted later (an erased person's among them): their pages went
        // through the log; truncate it so that only the final, zeroed pages remain. Where a row was written in one
        // transaction and deleted in a later one, the file is rebuilt too (SQLiteStore.truncateLog(rebuildingFile:)).
        _ = try await store.store.truncateLog(rebuildingFile: deletedWritten)
        let outcome = Outcome(restored: true, reason: reason, records: records, duration: started.duration(to: .now))
        logger.info(
            "restored a partition store",
            metadata: [
                "partition": "\(partition)", "records": "\(records)", "duration": "\(outcome.duration)",
            ])
        return (store, outcome)
    }

    /// Why the local store is not current; `nil` when it is.
    private func staleness(
        of store: PartitionStore, low: Int64, high: Int64, consumer: KafkaConsumer
    ) async throws -> String? {
        if try await store.wasLeftInUse() {
            // Its worker stopped without publishing what it committed (a crash, a lost partition): what the file
            // holds beyond the changelog may have emitted messages that are gone. The changelog is the truth (when
            // it is empty: nothing was ever published, and the input is read again from the start).
            return "the local store was left in use by a worker that stopped without publishing everything"
        }
        guard high > low else { return nil }  // nothing was ever published: the local store is all there is
        guard let marker = try await store.publishedMarkerOffset() else {
            return "the local store has never published to the changelog, which holds state"
        }
        guard marker >= low else { return "the changelog no longer holds this store's last round" }
        guard marker < high else {
            // The changelog is shorter than this store's own record of it (the topic was recreated): the local
            // store is the only copy; keep it, and its next rounds publish what it changes.
            logger.warning(
                "the changelog ends before this store's last round marker; keeping the local store",
                metadata: ["partition": "\(store.partition)", "marker": "\(marker)", "end": "\(high)"])
            return nil
        }
        // A round's marker names the store that published the round; a row's record names it too when it was
        // written before 2026-12-07. Rows that no marker follows were published by a store that stopped in the
        // middle of a round: never this one, which publishes its marker last and was found released above.
        var foreign: String?
        var unmarked = false
        let markerKey = Array(ChangelogRecord.markerKey.utf8)
        try await read(consumer, store.partition, from: marker, to: high) { message in
            let publisher = message.headerString(OutboxRelay.storeHeader)
            let isMarker = message.key.map { $0.elementsEqual(markerKey) } ?? false
            if isMarker || publisher != nil, publisher != store.storeID { foreign = foreign ?? publisher ?? "unknown" }
            unmarked = !isMarker && (unmarked || publisher == nil)
        }
        if unmarked { foreign = foreign ?? "unknown" }
        return foreign.map { _ in "another store published to the changelog after this one" }
    }

    /// A row record as a restore applies it: with the schema of the store that wrote it, its whole key (to tell a
    /// later record of the same row), and its value still encoded.
    private typealias RowRecord = (
        schema: StoreSchema, table: String, key: String, recordKey: ArraySlice<UInt8>, value: ArraySlice<UInt8>?
    )

    /// Applies the changelog's complete rounds to a new, empty store and returns it with every migration, the records
    /// read, and whether a row written in one of its transactions may have been deleted in a later one.
    ///
    /// Each row goes into a store of the schema it was written from (what its value begins with, or its `ot-schema`
    /// header; a record with neither is of this build's schema); where the schema moves on, the store is reopened
    /// with the later migrations, which run over the rows restored so far as they ran over the writer's own store
    /// when it was upgraded.
    private func restore(
        _ partition: Int32, stores: PartitionStores, from low: Int64, to high: Int64, consumer: KafkaConsumer
    ) async throws -> (PartitionStore, Int, Bool) {
        let current = stores.currentSchema
        // The new file and its migrations (milliseconds) take shape while the changelog is read: most changelogs
        // hold this build's schema only.
        let opening = Task { try stores.open(partition, schema: current) }
        var opened: PartitionStore?
        func store(of schema: StoreSchema) async throws -> PartitionStore {
            if opened == nil {
                let first = try await opening.value
                if schema == current {
                    opened = first
                    return first
                }
                // The changelog starts with an older schema's rows: they go into a store of that schema.
                await stores.close(partition)
                try PartitionStore.removeFiles(partition: partition, directory: stores.directory)
            }
            if let open = opened, open.schema == schema { return open }
            guard schema.precedes(current) else {
                throw ChangelogError.unrestorableSchema(
                    partition: partition,
                    reason: "a record was written by a store of schema \(schema) (runtime.service migrations), "
                        + "this release has \(current); is it older than the release that wrote the changelog?")
            }
            if let open = opened {
                guard open.schema.precedes(schema) else {
                    throw ChangelogError.unrestorableSchema(
                        partition: partition,
                        reason: "the changelog's schema goes back from \(open.schema) to \(schema)")
                }
                await stores.close(partition)
            }
            let store = try stores.open(partition, schema: schema)
            opened = store
            return store
        }
        var complete: [RowRecord] = []
        var round: [RowRecord] = []
        var applied = 0
        // Each transaction applies only the last record of each of its rows, so a deletion can meet a row written
        // before only in a later transaction.
        var transactions = 0
        var deletedWritten = false
        let total = high - low
        metrics.restoreRemaining(partition: partition, Int(total))
        func apply(_ rows: [RowRecord], repair: Bool) async throws {
            var start = rows.startIndex
            while start < rows.endIndex {
                let schema = repair ? current : rows[start].schema
                let end = repair ? rows.endIndex : rows[start...].firstIndex { $0.schema != schema } ?? rows.endIndex
                let target = try await store(of: schema)
                // Only the last record of a row counts (a row changed in many rounds, an outbox chunk and its
                // tombstone): the changelog is compacted only now and then, and never on the development broker.
                let run = repair ? Array(rows[start..<end]) : Self.lastOfEachRow(rows[start..<end])
                if !repair, transactions > 0, run.contains(where: { $0.value == nil }) { deletedWritten = true }
                transactions += 1
                // The changelog has these rows: no notes (the repair's go to ot_changelog_pending, which is not noted).
                try await target.writeUnnoted { [run] db in
                    var statements: [String: ChangelogTable.Apply] = [:]
                    for row in run {
                        guard let table = target.changelogTables[row.table] else {
                            // A deleted row of a table this schema does not have: one a migration dropped after
                            // publishing its rows' tombstones (ChangelogMigration.dropTable). Nothing to delete.
                            if row.value == nil { continue }
                            throw ChangelogError.unknownTable(row.table)
                        }
                        if repair {
                            try db.execute(
                                sql: "INSERT INTO ot_changelog_pending (tbl, pk) VALUES (?, ?)",
                                arguments: [row.table, row.key])
                            continue
                        }
                        if statements[row.table] == nil { statements[row.table] = try table.applyStatements(in: db) }
                        try statements[row.table]!(key: row.key, encoded: row.value)
                    }
                }
                start = end
            }
        }
        var count = 0
        // Consecutive records mostly share one schema and a table: parse the header and the name once.
        var lastHeader: [UInt8]?
        var lastSchema = current
        var lastTable: (bytes: [UInt8], name: String) = ([], "")
        let markerKey = Array(ChangelogRecord.markerKey.utf8)
        do {
            try await read(consumer, partition, from: low, to: high) { message in
                count += 1
                guard let recordKey = message.key else {
                    throw ChangelogError.malformedRecord("a record without a key")
                }
                if let split = recordKey.firstIndex(of: ChangelogRecord.separator) {
                    let tableBytes = recordKey[..<split]
                    if !tableBytes.elementsEqual(lastTable.bytes) {
                        lastTable = (Array(tableBytes), String(decoding: tableBytes, as: UTF8.self))
                    }
                    let key = String(decoding: recordKey[(split + 1)...], as: UTF8.self)
                    if let value = message.value, value.first == StoreSchema.valueMark {
                        // A row's value that begins with its schema (since 2026-12-07).
                        guard let (schema, row) = StoreSchema.split(value: value) else {
                            throw ChangelogError.malformedRecord("a row's value too short for its schema")
                        }
                        round.append((schema, lastTable.name, key, recordKey, row))
                        return
                    }
                    // A tombstone, or a row written before 2026-12-07: the schema in a header (none before
                    // 2026-12-02: this release's).
                    let header = message.header(StoreSchema.header) ?? nil
                    let same =
                        switch (header, lastHeader) {
                        case (nil, nil): true
                        case (let header?, let last?): header.elementsEqual(last)
                        default: false
                        }
                    if !same {
                        if let header {
                            guard let schema = StoreSchema(header: String(decoding: header, as: UTF8.self)) else {
                                throw ChangelogError.malformedRecord(
                                    "the schema header '\(String(decoding: header, as: UTF8.self))' is not two counts")
                            }
                            lastSchema = schema
                        } else {
                            lastSchema = current
                        }
                        lastHeader = header.map(Array.init)
                    }
                    round.append((lastSchema, lastTable.name, key, recordKey, message.value))
                } else if recordKey.elementsEqual(markerKey) {
                    complete += round
                    round.removeAll(keepingCapacity: true)
                } else {
                    throw ChangelogError.malformedRecord(
                        "an unknown key \(maskNationalIDs(in: String(decoding: recordKey, as: UTF8.self)))")
                }
            } afterBatch: {
                if complete.count >= 20_000 {
                    try await apply(complete, repair: false)
                    applied += complete.count
                    complete.removeAll(keepingCapacity: true)
                }
                metrics.restoreRemaining(partition: partition, Int(total) - count)
            }
            try await apply(complete, repair: false)
            applied += complete.count
            if !round.isEmpty {
                logger.warning(
                    "the changelog ends with an incomplete round; its rows will be published again with their true values",
                    metadata: ["partition": "\(partition)", "rows": "\(round.count)"])
                try await apply(round, repair: true)
            }
            metrics.restoreRemaining(partition: partition, 0)
            return (try await store(of: current), count, deletedWritten)
        } catch {
            // Nothing is left opening behind the caller's clean-up.
            _ = try? await opening.value
            throw error
        }
    }

    /// The records that are the last of their row, in order: a record followed by another of the same row (of the
    /// same schema) is left out.
    private static func lastOfEachRow(_ rows: ArraySlice<RowRecord>) -> [RowRecord] {
        var seen = Set<RecordKey>(minimumCapacity: rows.count)
        var keep = [Bool](repeating: false, count: rows.count)
        for index in rows.indices.reversed() where seen.insert(RecordKey(bytes: rows[index].recordKey)).inserted {
            keep[index - rows.startIndex] = true
        }
        var last: [RowRecord] = []
        last.reserveCapacity(seen.count)
        for index in rows.indices where keep[index - rows.startIndex] { last.append(rows[index]) }
        return last
    }

    /// A record's key as ``lastOfEachRow(_:)`` hashes it: its bytes in one piece (an array's own hashing feeds the
    /// hasher byte by byte; 11,000 changelog keys took 3.4 ms that way, 1.6 ms this way).
    private struct RecordKey: Hashable {
        let bytes: ArraySlice<UInt8>

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// Reads the changelog partition from `start` up to (not including) `end`.
    private func read(
        _ consumer: KafkaConsumer, _ partition: Int32, from start: Int64, to end: Int64,
        _ body: (KafkaConsumerMessage) throws -> Void, afterBatch: () async throws -> Void = {}
    ) async throws {
        guard start < end else { return }
        try await consumer.assign([KafkaTopicPartitionOffset(topic: topic, partition: partition, offset: start)])
        let deadline = ContinuousClock.now + timeout
        var count = 0
        let timer = Task { [consumer] in
            try await Task.sleep(until: deadline)
            await consumer.close()
        }
        defer { timer.cancel() }
        for try await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            var reachedEnd = false
            // A shared consumer may still hand out a message of the partition it read before.
            for message in batch where message.partition == partition && message.topic == topic {
                // A record at or past the last offset ends the read: the offset before the end may be gone (a
                // compacted log has gaps), and records published since the watermarks were read are not ours.
                if message.offset >= end - 1 { reachedEnd = true }
                guard message.offset >= start && message.offset < end else { continue }
                try body(message)
                count += 1
            }
            try await afterBatch()
            if reachedEnd {
                // No fetch of this partition stays in flight: the next partition's first requests waited behind
                // one (40 ms, a third of the time, on the development broker).
                try await consumer.assign([])
                return
            }
        }
        throw ChangelogError.restoreTimedOut(partition: partition, read: count, end: end)
    }
}
