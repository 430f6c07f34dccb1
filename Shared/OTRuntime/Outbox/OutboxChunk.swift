import Kafka

/// Emitted messages recorded on the changelog together, as one row of `ot_outbox_chunks` (`seq`, `messages`): up to
/// ``maxMessages`` messages or about ``maxBytes`` of them, in order, under one record key, which gets one tombstone
/// once every message in it is delivered.
///
/// Until 2026-12-07 every message had a record of its own (an `ot_outbox` row) and a tombstone of its own: three
/// changelog and output messages per output, where a chunk takes one, and a chunk's record and tombstone per few
/// hundred. A restore still reads `ot_outbox` rows, and a store that had some sends them in a chunk of its own.
///
/// `messages` is a format byte (1), then per message its values in ``ChangelogRowCodec``'s form: `seq`, `outbox_id`,
/// `topic`, `partition`, `key`, `value`, `headers` (``OutboxHeaders``).
enum OutboxChunk {
    /// The table whose rows the chunks are.
    static let table = "ot_outbox_chunks"
    /// The most messages in a chunk.
    static let maxMessages = 512
    /// A chunk takes no further message past this many bytes (a record must stay well under the broker's limit of
    /// about 1 MB; one message larger than this has a chunk of its own).
    static let maxBytes = 64 * 1024

    private static let format: UInt8 = 1
    private static let columns = 7

    /// The key of a chunk's record.
    static func key(_ seq: Int64) -> [UInt8] { ChangelogRecord.key(table: table, rowKey: String(seq)) }

    /// The bytes `message` takes in a chunk.
    static func size(of message: OutboxMessage) -> Int {
        // The count (2), two integers (9 each), two texts and three blobs (5 and their bytes each; a NULL blob is 1).
        2 + 2 * 9 + 2 * 5 + message.outboxID.utf8.count + message.topic.utf8.count
            + (message.key.map { 5 + $0.count } ?? 1) + (message.value.map { 5 + $0.count } ?? 1) + 5
            + message.encodedHeaders.count
    }

    /// How `messages` divide into chunks, in order: each range one chunk.
    static func ranges(of messages: [OutboxMessage]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = messages.startIndex
        while start < messages.endIndex {
            var end = start
            var bytes = 0
            while end < messages.endIndex && end - start < maxMessages {
                let size = size(of: messages[end])
                if end > start && bytes + size > maxBytes { break }
                bytes += size
                end += 1
            }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// The `messages` column of a chunk holding `messages`.
    static func encode(_ messages: ArraySlice<OutboxMessage>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(columnSize(of: messages))
        append(messages, to: &bytes)
        return bytes
    }

    /// The changelog record value of chunk `seq` holding `messages`, after `prefix` (the store's schema,
    /// ``StoreSchema/valuePrefix``): the row's rowid, `seq` and `messages`. The column is written in place, so that
    /// an output's bytes are copied once on their way into the record.
    static func recordValue(_ seq: Int64, _ messages: ArraySlice<OutboxMessage>, after prefix: [UInt8]) -> [UInt8] {
        let columnSize = columnSize(of: messages)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.count + 2 + 2 * 9 + 5 + columnSize)
        bytes.append(contentsOf: prefix)
        ChangelogRowCodec.appendCount(3, to: &bytes)
        ChangelogRowCodec.append(seq, to: &bytes)
        ChangelogRowCodec.append(seq, to: &bytes)
        ChangelogRowCodec.appendBlobHeader(length: columnSize, to: &bytes)
        append(messages, to: &bytes)
        return bytes
    }

    /// The size of the `messages` column holding `messages`.
    private static func columnSize(of messages: ArraySlice<OutboxMessage>) -> Int {
        messages.reduce(1) { $0 + size(of: $1) }
    }

    /// Appends the `messages` column holding `messages`: ``columnSize(of:)`` bytes.
    private static func append(_ messages: ArraySlice<OutboxMessage>, to bytes: inout [UInt8]) {
        bytes.append(format)
        for message in messages {
            ChangelogRowCodec.appendCount(columns, to: &bytes)
            ChangelogRowCodec.append(message.seq, to: &bytes)
            ChangelogRowCodec.append(text: message.outboxID, to: &bytes)
            ChangelogRowCodec.append(text: message.topic, to: &bytes)
            ChangelogRowCodec.append(Int64(message.partition), to: &bytes)
            ChangelogRowCodec.append(blob: message.key, to: &bytes)
            ChangelogRowCodec.append(blob: message.value, to: &bytes)
            ChangelogRowCodec.append(blob: message.encodedHeaders, to: &bytes)
        }
    }

    /// The messages of a chunk's `messages` column; `nil` when the bytes are not such a column.
    static func decode(_ bytes: [UInt8]) -> [OutboxMessage]? {
        guard bytes.first == format else { return nil }
        var reader = ChangelogRowCodec.Reader(bytes: bytes, index: 1)
        var messages: [OutboxMessage] = []
        while reader.index < bytes.count {
            guard reader.count() == columns, let seq = reader.integer(), let outboxID = reader.text(),
                let topic = reader.text(), let partition = reader.integer(), let key = reader.blob(),
                let value = reader.blob(), let headers = reader.blob(), let encodedHeaders = headers,
                let partition = Int32(exactly: partition)
            else { return nil }
            var message = OutboxMessage(
                outboxID: outboxID, topic: topic, partition: partition, key: key, value: value,
                headers: OutboxHeaders.decode(encodedHeaders), encodedHeaders: encodedHeaders)
            message.seq = seq
            messages.append(message)
        }
        return messages
    }
}
