import Kafka

/// An event a handler emitted, on its way out: it is kept in memory from the transaction that emitted it until it
/// is delivered. Before it is sent it is recorded on the changelog in a chunk of messages (``OutboxChunk``: a row of
/// `ot_outbox_chunks`, which a restore writes back and ``OutboxRecovery`` checks), under the sequence number the relay
/// gives it.
struct OutboxMessage: Sendable {
    /// Its place in the store's outbox, given when the relay records it (0 before).
    var seq: Int64 = 0
    /// The chunk whose record holds it on the changelog, once the changelog has it (0 before).
    var chunk: Int64 = 0
    /// The key of the changelog record it was restored from (a chunk's, or an `ot_outbox` row's from before chunks),
    /// for a message a restore gave back, or of the chunk it is recorded in when that chunk was delivered in part:
    /// that record's tombstone goes with the round that records it again.
    var restoredKey: [UInt8]?
    /// The id that tells the message on its topic (the CloudEvent id), sent as the header `ot-outbox-id`.
    var outboxID: String
    var topic: String
    var partition: Int32
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]
    /// ``headers`` in ``OutboxHeaders``' form, as an outbox chunk keeps them.
    var encodedHeaders: [UInt8]

    /// The message to send: the headers and `ot-outbox-id`.
    var producerMessage: KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topic, key: key, value: value,
            headers: headers + [KafkaHeader(name: OutboxRelay.outboxIDHeader, string: outboxID)],
            partition: partition)
    }
}
