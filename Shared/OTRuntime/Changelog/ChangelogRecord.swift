/// A record of a service's changelog topic (`<service>.changelog.v1`, compacted; partition `n` holds the changes
/// of partition store `n`), as the relay writes it and a restore reads it (`ChangelogRestore`; the values are bound
/// in C, `CSQLite_bindRow`).
///
/// - A row: key `<table>` U+001F `<row key>` (the rowid, or the primary key's values as a JSON array), value the
///   row's columns (``ChangelogRowCodec``), or no value (a tombstone) when the row was deleted.
/// - The end of a relay round: key `ot.round`, value the round's number. What a round published is complete once
///   its marker follows it; a restore applies nothing after the last marker.
///
/// Every row record carries the migrations of the store that wrote it (``StoreSchema``): a row's value begins with
/// them (``StoreSchema/valuePrefix``), a tombstone has them in the header `ot-schema`. Every marker carries the
/// header `ot-store`, the identity of the store file that published the round. (Until 2026-12-07 every record carried
/// `ot-store` and every row record `ot-schema`, its value without the prefix; a restore still reads records so.)
enum ChangelogRecord {
    /// The key of every round marker.
    static let markerKey = "ot.round"
    /// Between the table and the row key in a row's record key.
    static let separator = UInt8(0x1F)

    /// The key of a row's record.
    static func key(table: String, rowKey: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(table.utf8.count + 1 + rowKey.utf8.count)
        bytes.append(contentsOf: table.utf8)
        bytes.append(separator)
        bytes.append(contentsOf: rowKey.utf8)
        return bytes
    }

    /// The key of an `ot_outbox` row's record, by its `seq` (its rowid): until 2026-12-07 two for every emitted event,
    /// the record and, once delivered, its tombstone; a restore may still give such rows back (``OutboxChunk``).
    static func outboxKey(_ seq: Int64) -> [UInt8] { key(table: "ot_outbox", rowKey: String(seq)) }
}
