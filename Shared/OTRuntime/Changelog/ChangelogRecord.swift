import GRDB
import Kafka

/// A record of a service's changelog topic (`<service>.changelog.v1`, compacted; partition `n` holds the changes
/// of partition store `n`), as the relay writes it and a restore reads it.
///
/// - A row: key `<table>` U+001F `<row key>` (the rowid, or the primary key's values as a JSON array), value the
///   row's columns (``ChangelogRowCodec``), or no value (a tombstone) when the row was deleted.
/// - The end of a relay round: key `ot.round`, value the round's number. What a round published is complete once
///   its marker follows it; a restore applies nothing after the last marker.
///
/// Every record carries the header `ot-store`, the identity of the store file that published it; every row record
/// also `ot-schema`, the migrations of that store (``StoreSchema``).
enum ChangelogRecord {
    case row(table: String, key: String, values: [DatabaseValue]?)
    case marker(round: Int64)

    /// The key of every round marker.
    static let markerKey = "ot.round"
    private static let separator = UInt8(0x1F)

    /// The key of a row's record.
    static func key(table: String, rowKey: String) -> [UInt8] { Array(table.utf8) + [separator] + Array(rowKey.utf8) }

    /// Reads a consumed changelog message.
    ///
    /// - Throws: ``ChangelogError/malformedRecord(_:)`` for a message this runtime did not write.
    init(_ message: KafkaConsumerMessage) throws(ChangelogError) {
        guard let key = message.key else { throw .malformedRecord("a record without a key") }
        if let split = key.firstIndex(of: Self.separator) {
            let table = String(decoding: key[key.startIndex..<split], as: UTF8.self)
            let rowKey = String(decoding: key[(split + 1)...], as: UTF8.self)
            var values: [DatabaseValue]?
            if let value = message.value { values = try ChangelogRowCodec.decode(value) }
            self = .row(table: table, key: rowKey, values: values)
        } else if key.elementsEqual(Self.markerKey.utf8), let value = message.value,
            let round = Int64(String(decoding: value, as: UTF8.self))
        {
            self = .marker(round: round)
        } else {
            throw .malformedRecord("an unknown key \(String(decoding: key, as: UTF8.self))")
        }
    }
}
