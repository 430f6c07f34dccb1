import Foundation
import GRDB
import Kafka
import OTContract

/// Writes outgoing messages into a partition store's outbox table, inside the caller's transaction.
struct OutboxWriter: Sendable {
    /// This service's CloudEvents `source`.
    let source: String
    /// Partition counts of the topics the service writes to, for the partitioner.
    let partitionCounts: @Sendable (String) -> Int32

    static let contentType = KafkaHeader(name: "content-type", string: "application/cloudevents+json")

    /// Appends a CloudEvent in structured JSON mode, partitioned as the Java client and librdkafka's
    /// `murmur2_random` would by `key`.
    func append(_ cloudEvent: CloudEvent, to topic: String, key: String, in db: Database) throws {
        let keyBytes = Array(key.utf8)
        let partition = KafkaPartitioner.murmur2Partition(of: keyBytes, partitionCount: partitionCounts(topic))
        try appendRaw(
            outboxID: cloudEvent.id, topic: topic, partition: partition, key: keyBytes,
            value: cloudEvent.structuredJSON(), headers: [Self.contentType], in: db)
    }

    /// Appends a message as it is, to a given partition.
    func appendRaw(
        outboxID: String, topic: String, partition: Int32, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader],
        in db: Database
    ) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO ot_outbox (outbox_id, topic, partition, key, value, headers) VALUES (?, ?, ?, ?, ?, ?)")
        try statement.execute(arguments: [
            outboxID, topic, partition, key.map { Data($0) }, value.map { Data($0) },
            Data(OutboxHeaders.encode(headers)),
        ])
    }
}
