/// One changed row as the changelog records it: the record key (`<table>` U+001F `<row key>`) and the row's values
/// in ``ChangelogRowCodec``'s form, or `nil` (a tombstone) for a deleted row.
struct ChangeRecord: Sendable {
    var key: [UInt8]
    var value: [UInt8]?
}
