import Foundation
import Kafka
import OTContract

/// Adds outgoing messages to the write transaction in hand (``TransactionOutputs``): they leave with it when it
/// commits, and are dropped with it (or with the handler's savepoint) when it rolls back.
struct OutboxWriter: Sendable {
    /// This service's CloudEvents `source`.
    let source: String
    /// Partition counts of the topics the service writes to, for the partitioner.
    let partitionCounts: @Sendable (String) -> Int32

    static let contentType = KafkaHeader(name: "content-type", string: "application/cloudevents+json")

    /// The headers of a structured-mode event, and as the outbox row keeps them, made once.
    private static let structuredHeaders = [contentType]
    private static let encodedStructuredHeaders = OutboxHeaders.encode([contentType])

    /// Appends a CloudEvent in structured JSON mode, partitioned as the Java client and librdkafka's
    /// `murmur2_random` would by `key`.
    func append(_ cloudEvent: CloudEvent, to topic: String, key: String, in outputs: TransactionOutputs) {
        let keyBytes = Array(key.utf8)
        let partition = KafkaPartitioner.murmur2Partition(of: keyBytes, partitionCount: partitionCounts(topic))
        outputs.messages.append(
            OutboxMessage(
                outboxID: cloudEvent.id, topic: topic, partition: partition, key: keyBytes,
                value: cloudEvent.structuredJSON(), headers: Self.structuredHeaders,
                encodedHeaders: Self.encodedStructuredHeaders))
    }

    /// Appends a message as it is, to a given partition.
    func appendRaw(
        outboxID: String, topic: String, partition: Int32, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader],
        in outputs: TransactionOutputs
    ) {
        outputs.messages.append(
            OutboxMessage(
                outboxID: outboxID, topic: topic, partition: partition, key: key, value: value, headers: headers,
                encodedHeaders: OutboxHeaders.encode(headers)))
    }
}
