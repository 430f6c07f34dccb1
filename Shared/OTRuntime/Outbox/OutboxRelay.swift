import Foundation
import GRDB
import Kafka
import Logging
import Synchronization

/// Publishes what the partition stores' outboxes hold, in order, with the idempotent producer, and deletes rows
/// only after their delivery reports.
///
/// One task runs the relay; everything it does is sequential, so no outbox row is ever sent by two senders.
/// Each round it first marks the rows it is about to send (`attempted`), so that after a crash
/// ``OutboxRecovery`` knows which rows may already be on their topic.
final class OutboxRelay: Sendable {
    private let stores: PartitionStores
    private let producer: KafkaProducer
    private let metrics: WorkerMetrics
    private let logger: Logger
    private let batchSize: Int
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation
    private let releases = Mutex<[(partition: Int32, done: CheckedContinuation<Void, Never>)]>([])

    /// The header carrying an outbox row's id, for ``OutboxRecovery``.
    static let outboxIDHeader = "ot-outbox-id"

    init(
        stores: PartitionStores, producer: KafkaProducer, metrics: WorkerMetrics, logger: Logger, batchSize: Int = 5_000
    ) {
        self.stores = stores
        self.producer = producer
        self.metrics = metrics
        self.logger = logger
        self.batchSize = batchSize
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the relay to look at the outboxes (after a batch commits).
    func notify() { wakeUp.yield() }

    /// Sends what partition `partition`'s outbox holds and waits until it is empty (or sending failed), so that
    /// the partition can be released to another instance.
    func release(_ partition: Int32) async {
        await withCheckedContinuation { continuation in
            releases.withLock { $0.append((partition, continuation)) }
            wakeUp.yield()
        }
    }

    /// Runs until ``finish()``; then sends what is left and returns.
    func run() async {
        for await _ in wakeUps {
            await relayRound()
        }
        await relayRound()
    }

    /// Ends ``run()`` after one last round.
    func finish() { wakeUp.finish() }

    private func relayRound() async {
        let pendingReleases = releases.withLock { releases in
            defer { releases.removeAll() }
            return releases
        }
        // The stores drain side by side: each round costs two commits and one broker round trip, not that times
        // the number of partitions. Each store's rows still go in their order (what one input key caused is in one
        // store); rows of different stores have no order between them, as their inputs had none.
        await withTaskGroup(of: Void.self) { group in
            for store in stores.ready {
                group.addTask { await self.drain(store) }
            }
        }
        for release in pendingReleases {
            if let store = stores.store(release.partition) { await drain(store) }
            release.done.resume()
        }
    }

    /// Sends the outbox of one store until it is empty or a delivery fails.
    private func drain(_ store: PartitionStore) async {
        do {
            while true {
                let rows = try await pendingRows(of: store)
                guard let last = rows.last else {
                    // Drained: the backlog is known without asking the store.
                    metrics.outboxBacklog(partition: store.partition, 0)
                    return
                }
                try await store.store.write { db in
                    try db.execute(
                        sql: "UPDATE ot_outbox SET attempted = 1 WHERE seq <= ? AND attempted = 0",
                        arguments: [last.seq])
                }
                let reports = try await producer.send(rows.map(\.message))
                var delivered: [Int64] = []
                var positions: [KafkaTopicPartition: Int64] = [:]
                var failure: KafkaError?
                for (row, report) in zip(rows, reports) {
                    if let error = report.error {
                        failure = failure ?? error
                        continue
                    }
                    delivered.append(row.seq)
                    let target = KafkaTopicPartition(topic: report.topic, partition: report.partition)
                    positions[target] = max(positions[target] ?? -1, report.offset)
                }
                try await store.store.write { [delivered, positions] db in
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
                }
                metrics.published(delivered.count)
                if let failure {
                    // Undelivered rows stay and go again next round; librdkafka already retried them for
                    // message.timeout.ms, so this is a long outage.
                    logger.error(
                        "outbox delivery failed", metadata: ["partition": "\(store.partition)", "error": "\(failure)"])
                    let backlog = try await store.store.read { db in
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM ot_outbox") ?? 0
                    }
                    metrics.outboxBacklog(partition: store.partition, backlog)
                    return
                }
            }
        } catch {
            logger.error("outbox relay failed", metadata: ["partition": "\(store.partition)", "error": "\(error)"])
        }
    }

    private struct PendingRow: Sendable {
        var seq: Int64
        var message: KafkaProducerMessage
    }

    private func pendingRows(of store: PartitionStore) async throws -> [PendingRow] {
        let limit = batchSize
        return try await store.store.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT seq, outbox_id, topic, partition, key, value, headers FROM ot_outbox ORDER BY seq LIMIT ?",
                arguments: [limit]
            ).map { row in
                let headers =
                    OutboxHeaders.decode(Array(row["headers"] as Data))
                    + [KafkaHeader(name: Self.outboxIDHeader, string: row["outbox_id"])]
                return PendingRow(
                    seq: row["seq"],
                    message: KafkaProducerMessage(
                        topic: row["topic"], key: (row["key"] as Data?).map(Array.init),
                        value: (row["value"] as Data?).map(Array.init), headers: headers, partition: row["partition"]))
            }
        }
    }
}
