import Kafka

/// An event a handler emitted, on its way out: it is kept in memory from the transaction that emitted it until it
/// is delivered. Before it is sent it is recorded on the changelog as a row of `ot_outbox` (the same row a restore
/// writes back and ``OutboxRecovery`` checks), under the sequence number the relay gives it.
struct OutboxMessage: Sendable {
    /// Its place in the store's outbox, given when the relay records it (0 before).
    var seq: Int64 = 0
    /// The id that tells the message on its topic (the CloudEvent id), sent as the header `ot-outbox-id`.
    var outboxID: String
    var topic: String
    var partition: Int32
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]
    /// ``headers`` in ``OutboxHeaders``' form, as the `ot_outbox` row keeps them.
    var encodedHeaders: [UInt8]

    /// The message to send: the headers and `ot-outbox-id`.
    var producerMessage: KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topic, key: key, value: value,
            headers: headers + [KafkaHeader(name: OutboxRelay.outboxIDHeader, string: outboxID)],
            partition: partition)
    }

    /// The changelog record key of its `ot_outbox` row.
    var recordKey: [UInt8] { ChangelogRecord.outboxKey(seq) }

    /// Its `ot_outbox` row in ``ChangelogRowCodec``'s form after `prefix` (the store's schema,
    /// ``StoreSchema/valuePrefix``): rowid, `seq`, `outbox_id`, `topic`, `partition`, `key`, `value`, `headers`, and
    /// `attempted` 1 (it may be on its topic once the changelog has it).
    func recordValue(after prefix: [UInt8]) -> [UInt8] {
        // Its exact size, so that the bytes are never copied to grow: the prefix, the count (2), four integers (9
        // each), two texts and three blobs (5 and their bytes each; a NULL blob is 1).
        let texts = outboxID.utf8.count + topic.utf8.count
        let blobs = (key.map { 5 + $0.count } ?? 1) + (value.map { 5 + $0.count } ?? 1) + 5 + encodedHeaders.count
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.count + 2 + 4 * 9 + 2 * 5 + texts + blobs)
        bytes.append(contentsOf: prefix)
        ChangelogRowCodec.appendCount(9, to: &bytes)
        ChangelogRowCodec.append(seq, to: &bytes)
        ChangelogRowCodec.append(seq, to: &bytes)
        ChangelogRowCodec.append(text: outboxID, to: &bytes)
        ChangelogRowCodec.append(text: topic, to: &bytes)
        ChangelogRowCodec.append(Int64(partition), to: &bytes)
        ChangelogRowCodec.append(blob: key, to: &bytes)
        ChangelogRowCodec.append(blob: value, to: &bytes)
        ChangelogRowCodec.append(blob: encodedHeaders, to: &bytes)
        ChangelogRowCodec.append(1, to: &bytes)
        return bytes
    }
}
