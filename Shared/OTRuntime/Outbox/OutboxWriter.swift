import Foundation
import GRDB
import Kafka
import OTContract
import OTStore

/// Writes outgoing messages into a partition store's outbox table, inside the caller's transaction.
struct OutboxWriter: Sendable {
    /// This service's CloudEvents `source`.
    let source: String
    /// Partition counts of the topics the service writes to, for the partitioner.
    let partitionCounts: @Sendable (String) -> Int32

    static let contentType = KafkaHeader(name: "content-type", string: "application/cloudevents+json")

    /// The headers of a structured-mode event as the outbox keeps them, encoded once.
    private static let structuredHeaders = OutboxHeaders.encode([contentType])

    /// Appends a CloudEvent in structured JSON mode, partitioned as the Java client and librdkafka's
    /// `murmur2_random` would by `key`.
    func append(_ cloudEvent: CloudEvent, to topic: String, key: String, in db: Database) throws {
        let keyBytes = Array(key.utf8)
        let partition = KafkaPartitioner.murmur2Partition(of: keyBytes, partitionCount: partitionCounts(topic))
        try insert(
            outboxID: cloudEvent.id, topic: topic, partition: partition, key: keyBytes,
            value: cloudEvent.structuredJSON(), encodedHeaders: Self.structuredHeaders, in: db)
    }

    /// Appends a message as it is, to a given partition.
    func appendRaw(
        outboxID: String, topic: String, partition: Int32, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader],
        in db: Database
    ) throws {
        try insert(
            outboxID: outboxID, topic: topic, partition: partition, key: key, value: value,
            encodedHeaders: OutboxHeaders.encode(headers), in: db)
    }

    /// One outbox row, through a direct statement: it runs for every event a handler emits.
    private func insert(
        outboxID: String, topic: String, partition: Int32, key: [UInt8]?, value: [UInt8]?, encodedHeaders: [UInt8],
        in db: Database
    ) throws {
        let statement = try DirectStatement(
            db,
            sql: "INSERT INTO ot_outbox (outbox_id, topic, partition, key, value, headers) VALUES (?, ?, ?, ?, ?, ?)")
        try statement.bind(outboxID, at: 1)
        try statement.bind(topic, at: 2)
        try statement.bind(Int64(partition), at: 3)
        try statement.bind(key, at: 4)
        try statement.bind(value, at: 5)
        try statement.bind(encodedHeaders, at: 6)
        try statement.execute()
    }
}
