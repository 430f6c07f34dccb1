import Foundation
import GRDB
import Kafka
import Logging

/// After a crash, removes from a partition store's outbox the rows that were delivered but not yet deleted, so
/// that nothing is published twice.
///
/// The relay records a round's messages on the changelog in chunks (``OutboxChunk``) before it sends them and records,
/// per topic partition, the highest offset it delivered to. A message of a restored chunk (or a restored `ot_outbox`
/// row marked `attempted`, from before chunks) may or may not be on its topic: the recovery reads each such topic
/// partition from just after the recorded offset to its end and drops the messages whose `ot-outbox-id` header it
/// finds there. The rest are sent again, in order, by the relay.
struct OutboxRecovery: Sendable {
    let configuration: KafkaConfiguration
    let logger: Logger
    /// The longest the read of one output partition may take without reaching its end.
    var timeout: Duration = .seconds(120)

    /// The read of an output partition did not reach its end in time.
    struct RecoveryTimedOut: Error, CustomStringConvertible {
        let target: KafkaTopicPartition
        let end: Int64
        let timeout: Duration
        var description: String {
            "reading \(target) up to offset \(end) to recover the outbox did not finish within \(timeout)"
        }
    }

    func recover(_ store: PartitionStore) async throws {
        let (targets, positions, chunks) = try await store.store.read { db in
            var targets = Set(
                try Row.fetchAll(
                    db, sql: "SELECT DISTINCT topic, partition FROM ot_outbox WHERE attempted = 1"
                ).map { KafkaTopicPartition(topic: $0["topic"], partition: $0["partition"]) })
            // Every chunk a restore gave back was on the changelog before any of its messages was sent.
            var chunks: [(seq: Int64, messages: [OutboxMessage])] = []
            for row in try Row.fetchAll(db, sql: "SELECT seq, messages FROM \(OutboxChunk.table) ORDER BY seq") {
                let seq: Int64 = row["seq"]
                guard let messages = OutboxChunk.decode(Array(row["messages"] as Data)) else {
                    throw ChangelogError.malformedRecord("the outbox chunk \(seq) does not decode")
                }
                chunks.append((seq, messages))
                for message in messages {
                    targets.insert(KafkaTopicPartition(topic: message.topic, partition: message.partition))
                }
            }
            var positions: [KafkaTopicPartition: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT topic, partition, delivered_offset FROM ot_outbox_positions") {
                positions[KafkaTopicPartition(topic: row["topic"], partition: row["partition"])] =
                    row["delivered_offset"]
            }
            return (targets.sorted { $0 < $1 }, positions, chunks)
        }
        guard !targets.isEmpty else { return }
        var consumerConfiguration = KafkaConsumerConfiguration(kafka: configuration, groupID: "ot-outbox-recovery")
        consumerConfiguration.pollTimeout = .milliseconds(50)
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        var found: Set<String> = []
        for target in targets {
            let (low, high) = try await consumer.watermarks(of: target)
            let start = max(low, (positions[target] ?? -1) + 1)
            guard start < high else { continue }
            try await consumer.assign([KafkaTopicPartitionOffset(target, offset: start)])
            // Bounded like a restore: a read that cannot reach the end stops the worker with the reason rather
            // than holding the assignment (and the group's rebalance) for ever.
            let timer = Task { [consumer, timeout] in
                try await Task.sleep(for: timeout)
                await consumer.close()
            }
            defer { timer.cancel() }
            var reachedEnd = false
            readLoop: for try await event in consumer.events {
                guard case .messages(let batch) = event else { continue }
                for message in batch {
                    if let id = message.headerString(OutboxRelay.outboxIDHeader) { found.insert(id) }
                    if message.offset >= high - 1 {
                        reachedEnd = true
                        break readLoop
                    }
                }
            }
            guard reachedEnd else {
                await consumer.close()
                throw RecoveryTimedOut(target: target, end: high, timeout: timeout)
            }
        }
        await consumer.close()
        let delivered = Array(found)
        let foundIDs = found
        let removed = try await store.write { db in
            var removed = 0
            for chunk in stride(from: 0, to: delivered.count, by: 500) {
                let ids = delivered[chunk..<min(chunk + 500, delivered.count)]
                try db.execute(
                    sql: """
                        DELETE FROM ot_outbox WHERE attempted = 1
                        AND outbox_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                        """,
                    arguments: StatementArguments(Array(ids)))
                removed += db.changesCount
            }
            try db.execute(sql: "UPDATE ot_outbox SET attempted = 0")
            // A chunk keeps the messages not found; one with none left goes.
            for chunk in chunks {
                let left = chunk.messages.filter { !foundIDs.contains($0.outboxID) }
                guard left.count < chunk.messages.count else { continue }
                removed += chunk.messages.count - left.count
                if left.isEmpty {
                    try db.execute(
                        sql: "DELETE FROM \(OutboxChunk.table) WHERE seq = ?", arguments: [chunk.seq])
                } else {
                    try db.execute(
                        sql: "UPDATE \(OutboxChunk.table) SET messages = ? WHERE seq = ?",
                        arguments: [Data(OutboxChunk.encode(left[...])), chunk.seq])
                }
            }
            return removed
        }
        logger.info(
            "outbox recovered after an interrupted send",
            metadata: ["partition": "\(store.partition)", "alreadyDelivered": "\(removed)"])
    }
}
