import Foundation
import GRDB
import Kafka
import Logging
import Synchronization

/// Publishes each partition store's changes to its changelog partition and then its outbox to the output topics,
/// in order, with the idempotent producer; deletes rows only after their delivery reports.
///
/// One round of a store:
/// 1. marks the outbox rows it will send `attempted` (a committed change, so it is part of the state below);
/// 2. reads, in one snapshot, the current value of every row changed since the last round (the keys the changelog
///    triggers noted), and publishes them to the changelog partition of the store's number, followed by a round
///    marker; every record names the file that published it (`ot-store`);
/// 3. only once the changelog has them, sends the marked outbox rows to their topics;
/// 4. deletes the delivered rows and the published notes, and records the marker's offset.
///
/// So whatever reached an output topic is in the changelog first, together with the state and consumed offsets that
/// caused it: a store restored from the changelog never emits it again, and an output not yet sent is in the
/// restored outbox and is sent by the new owner.
///
/// Each store drains on its own: a wake-up starts a drain task for every ready store that has none, and one that is
/// draining goes round again when it is done, so a batch committed to one store never waits for another store's
/// round (its commit, its broker round trips). Everything done for one store is sequential (at most one drain task
/// per store), so no row is ever sent by two senders of one worker.
final class OutboxRelay: Sendable {
    private let stores: PartitionStores
    private let producer: KafkaProducer
    private let changelogTopic: String
    private let metrics: WorkerMetrics
    private let logger: Logger
    private let batchSize: Int
    private let onPublished: @Sendable (_ partition: Int32, _ offsets: [String: Int64]) -> Void
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation
    /// Per store, its drain task, and whether it must go round again (woken while it drained).
    private let draining = Mutex<[Int32: (task: Task<Void, Never>, again: Bool)]>([:])
    private let fatal = Mutex<KafkaError?>(nil)

    /// The header carrying an outbox row's id, for ``OutboxRecovery``.
    static let outboxIDHeader = "ot-outbox-id"
    /// The header naming the store file that published a changelog record.
    static let storeHeader = "ot-store"

    init(
        stores: PartitionStores, producer: KafkaProducer, changelogTopic: String, metrics: WorkerMetrics,
        logger: Logger, batchSize: Int = 5_000,
        onPublished: @escaping @Sendable (_ partition: Int32, _ offsets: [String: Int64]) -> Void
    ) {
        self.stores = stores
        self.producer = producer
        self.changelogTopic = changelogTopic
        self.metrics = metrics
        self.logger = logger
        self.batchSize = batchSize
        self.onPublished = onPublished
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the relay to look at the outboxes (after a batch commits).
    func notify() { wakeUp.yield() }

    /// The producer's fatal error, once it has one: nothing can be published any more.
    var fatalError: KafkaError? { fatal.withLock { $0 } }

    /// Publishes what partition `partition`'s store holds and waits until it is all out (or publishing failed), so
    /// that the partition can be released to another instance.
    func release(_ partition: Int32) async {
        // Wait for the drain in progress, then drain once more as the store's drain task, so that no other drain of
        // it runs beside this one.
        while true {
            let (running, mine) = draining.withLock { draining -> (Task<Void, Never>?, Task<Void, Never>?) in
                if let entry = draining[partition] { return (entry.task, nil) }
                let task = Task { await self.drainLoop(partition) }
                draining[partition] = (task, false)
                return (nil, task)
            }
            if let mine {
                await mine.value
                return
            }
            await running?.value
        }
    }

    /// Runs until ``finish()``; then lets every drain end, publishes what is left and returns.
    func run() async {
        for await _ in wakeUps {
            startDrains()
        }
        for task in draining.withLock({ $0.values.map(\.task) }) { await task.value }
        await withTaskGroup(of: Void.self) { group in
            for partition in stores.ready {
                group.addTask { await self.release(partition) }
            }
        }
    }

    /// Ends ``run()`` after one last drain of every store.
    func finish() { wakeUp.finish() }

    /// Starts a drain of every ready store that is not draining; one that is goes round again after.
    private func startDrains() {
        for partition in stores.ready {
            draining.withLock { draining in
                if draining[partition] != nil {
                    draining[partition]!.again = true
                } else {
                    draining[partition] = (Task { await self.drainLoop(partition) }, false)
                }
            }
        }
    }

    /// A store's drain task: drains, and again while it was woken meanwhile; then leaves the store to the next
    /// wake-up.
    private func drainLoop(_ partition: Int32) async {
        while true {
            await drain(partition)
            let again = draining.withLock { draining -> Bool in
                if draining[partition]?.again == true {
                    draining[partition]!.again = false
                    return true
                }
                draining[partition] = nil
                return false
            }
            if !again { return }
        }
    }

    /// Publishes one store until nothing is left or publishing fails.
    private func drain(_ partition: Int32) async {
        _ = await stores.withStore(partition) { store in
            do {
                while try await publishRound(of: store) {}
            } catch {
                logger.error("outbox relay failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
            }
        }
    }

    /// What one round publishes: the changelog records of a snapshot, then the outbox rows marked for it.
    private struct Round: Sendable {
        var number: Int64
        var rows: [PendingRow]
        var changes: [KafkaProducerMessage]
        var lastNote: Int64
        var offsets: [String: Int64]
        var needsMarker: Bool
        /// An idle store whose erasure waits for its scrub.
        var scrub = false
    }

    /// One round; `false` when there was nothing to publish or it failed (the rest waits for the next wake-up).
    private func publishRound(of store: PartitionStore) async throws -> Bool {
        let round = try await prepareRound(of: store)
        guard !round.rows.isEmpty || !round.changes.isEmpty || round.needsMarker else {
            metrics.outboxBacklog(partition: store.partition, 0)
            if round.scrub { try await scrub(store) }
            return false
        }
        let storeHeader = KafkaHeader(name: Self.storeHeader, string: store.storeID)
        let marker = KafkaProducerMessage(
            topic: changelogTopic, key: Array(ChangelogRecord.markerKey.utf8), value: Array("\(round.number)".utf8),
            headers: [storeHeader], partition: store.partition)
        guard !stores.isClosing(store.partition) else { return false }
        let changelogReports = try await producer.send(round.changes + [marker])
        if let failure = changelogReports.lazy.compactMap(\.error).first {
            try noteFailure(failure, store: store, what: "publishing the changelog failed")
            return false
        }
        let markerOffset = changelogReports.last!.offset
        // The changelog holds everything the outputs stand on: now they may go.
        var delivered: [Int64] = []
        var positions: [KafkaTopicPartition: Int64] = [:]
        var failure: KafkaError?
        if !round.rows.isEmpty && !stores.isClosing(store.partition) {
            let reports = try await producer.send(round.rows.map(\.message))
            for (row, report) in zip(round.rows, reports) {
                if let error = report.error {
                    failure = failure ?? error
                    continue
                }
                delivered.append(row.seq)
                let target = KafkaTopicPartition(topic: report.topic, partition: report.partition)
                positions[target] = max(positions[target] ?? -1, report.offset)
            }
        }
        let scrub = try await store.write { [delivered, positions] db in
            try db.execute(sql: "DELETE FROM ot_changelog_pending WHERE seq <= ?", arguments: [round.lastNote])
            try db.execute(sql: "UPDATE ot_store_meta SET marker_offset = ?", arguments: [markerOffset])
            for chunk in stride(from: 0, to: delivered.count, by: 500) {
                let seqs = delivered[chunk..<min(chunk + 500, delivered.count)]
                try db.execute(
                    sql: "DELETE FROM ot_outbox WHERE seq IN (\(seqs.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments(Array(seqs)))
            }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO ot_outbox_positions (topic, partition, delivered_offset) VALUES (?, ?, ?)
                    ON CONFLICT (topic, partition) DO UPDATE SET
                        delivered_offset = max(delivered_offset, excluded.delivered_offset)
                    """)
            for (target, offset) in positions {
                try upsert.execute(arguments: [target.topic, target.partition, offset])
            }
            return try Self.scrubDue(db)
        }
        if scrub { try await self.scrub(store) }
        metrics.published(delivered.count)
        if !round.offsets.isEmpty { onPublished(store.partition, round.offsets) }
        if let failure {
            try noteFailure(failure, store: store, what: "outbox delivery failed")
            return false
        }
        return true
    }

    /// Whether an erasure waits for its scrub and nothing that held the erased data is left to publish.
    private static func scrubDue(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT (SELECT scrub_requested FROM ot_store_meta) = 1 AND NOT EXISTS (SELECT 1 FROM ot_outbox)
                    AND NOT EXISTS (SELECT 1 FROM ot_changelog_pending)
                """)!
    }

    /// Checkpoints the store's log into its file and truncates it (HandlerContext.scrubAfterPublishing()); a
    /// reader holding an old snapshot defers it to a later round.
    private func scrub(_ store: PartitionStore) async throws {
        guard try await store.store.truncateLog() else { return }
        try await store.write { db in try db.execute(sql: "UPDATE ot_store_meta SET scrub_requested = 0") }
        logger.info("store log truncated after an erasure", metadata: ["partition": "\(store.partition)"])
    }

    /// Logs a failed delivery (librdkafka already retried it for `message.timeout.ms`, so this is a long outage or
    /// a fatal producer error); what was not delivered stays and goes again next round.
    private func noteFailure(_ error: KafkaError, store: PartitionStore, what: String) throws {
        logger.error("\(what)", metadata: ["partition": "\(store.partition)", "error": "\(error)"])
        if let fatalError = producer.fatalError {
            fatal.withLock { $0 = $0 ?? fatalError }
        }
        let backlog = try store.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ot_outbox") ?? 0 }
        metrics.outboxBacklog(partition: store.partition, backlog)
    }

    /// Marks the next outbox rows `attempted` and reads the round's snapshot: those rows, the changed rows' current
    /// values and the consumed offsets.
    private func prepareRound(of store: PartitionStore) async throws -> Round {
        let limit = batchSize
        let idleCheck = """
            SELECT NOT EXISTS (SELECT 1 FROM ot_outbox) AND NOT EXISTS (SELECT 1 FROM ot_changelog_pending)
                AND (SELECT marker_offset IS NOT NULL FROM ot_store_meta)
            """
        // Most drains of a store end on an idle check: read it from a snapshot, without the writer's lock and a
        // commit. Only this relay makes a store idle, so a store found busy stays busy until the write below.
        let idleNow = try await store.store.read { db -> Bool? in
            try Bool.fetchOne(db, sql: idleCheck)! ? try Self.scrubDue(db) : nil
        }
        if let scrub = idleNow {
            return Round(number: 0, rows: [], changes: [], lastNote: 0, offsets: [:], needsMarker: false, scrub: scrub)
        }
        // The flag: for a round, whether it needs a marker (a store that never published one); when idle, whether a
        // scrub is due.
        let (number, lastSeq, flag) = try await store.write { db -> (Int64, Int64?, Bool) in
            let idle = try Bool.fetchOne(db, sql: idleCheck)!
            if idle { return (0, nil, try Self.scrubDue(db)) }
            let lastSeq = try Int64.fetchOne(
                db, sql: "SELECT max(seq) FROM (SELECT seq FROM ot_outbox ORDER BY seq LIMIT ?)", arguments: [limit])
            if let lastSeq {
                try db.execute(
                    sql: "UPDATE ot_outbox SET attempted = 1 WHERE seq <= ? AND attempted = 0", arguments: [lastSeq])
            }
            try db.execute(sql: "UPDATE ot_store_meta SET round = round + 1")
            let meta = try Row.fetchOne(db, sql: "SELECT round, marker_offset FROM ot_store_meta")!
            return (meta["round"] as Int64, lastSeq, (meta["marker_offset"] as Int64?) == nil)
        }
        if number == 0 {
            return Round(
                number: 0, rows: [], changes: [], lastNote: 0, offsets: [:], needsMarker: false, scrub: flag)
        }
        let changelogTopic = self.changelogTopic
        let storeHeader = KafkaHeader(name: Self.storeHeader, string: store.storeID)
        let schemaHeader = KafkaHeader(name: StoreSchema.header, string: store.schema.description)
        return try await store.store.read { db in
            var changes: [KafkaProducerMessage] = []
            let lastNote = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM ot_changelog_pending") ?? 0
            let tables = try String.fetchAll(db, sql: "SELECT DISTINCT tbl FROM ot_changelog_pending ORDER BY tbl")
            for name in tables {
                guard let table = store.changelogTables[name] else { continue }
                for (key, values) in try table.pendingRows(in: db) {
                    changes.append(
                        KafkaProducerMessage(
                            topic: changelogTopic, key: ChangelogRecord.key(table: name, rowKey: key),
                            value: values.map(ChangelogRowCodec.encode), headers: [storeHeader, schemaHeader],
                            partition: store.partition))
                }
            }
            // Every round's offsets, changed or not: a restored store's first round (a marker alone) tells the
            // group's mirror what the changelog holds.
            let offsets = try PartitionStore.consumedOffsets(in: db)
            let rows = try lastSeq.map { try Self.outboxRows(in: db, through: $0) } ?? []
            return Round(
                number: number, rows: rows, changes: changes, lastNote: lastNote, offsets: offsets,
                needsMarker: flag)
        }
    }

    private struct PendingRow: Sendable {
        var seq: Int64
        var message: KafkaProducerMessage
    }

    private static func outboxRows(in db: Database, through lastSeq: Int64) throws -> [PendingRow] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT seq, outbox_id, topic, partition, key, value, headers FROM ot_outbox WHERE seq <= ? ORDER BY seq",
            arguments: [lastSeq]
        ).map { row in
            let headers =
                OutboxHeaders.decode(Array(row["headers"] as Data))
                + [KafkaHeader(name: outboxIDHeader, string: row["outbox_id"])]
            return PendingRow(
                seq: row["seq"],
                message: KafkaProducerMessage(
                    topic: row["topic"], key: (row["key"] as Data?).map(Array.init),
                    value: (row["value"] as Data?).map(Array.init), headers: headers, partition: row["partition"]))
        }
    }
}
