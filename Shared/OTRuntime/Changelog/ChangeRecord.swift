/// One changed row as the changelog records it: the record key (`<table>` U+001F `<row key>`) and the row's values
/// in ``ChangelogRowCodec``'s form, or `nil` (a tombstone) for a deleted row. The records of one collect are parts of
/// one buffer (``ChangeNotes/collect()``), which the messages made from them share.
struct ChangeRecord: Sendable {
    var key: ArraySlice<UInt8>
    var value: ArraySlice<UInt8>?

    init(key: ArraySlice<UInt8>, value: ArraySlice<UInt8>?) {
        self.key = key
        self.value = value
    }

    init(key: [UInt8], value: [UInt8]?) {
        self.init(key: key[...], value: value.map { $0[...] })
    }
}
