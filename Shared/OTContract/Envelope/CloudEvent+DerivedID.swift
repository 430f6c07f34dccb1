extension CloudEvent {
    /// An event id derived from `cause`: the same text always gives the same id, so that an event emitted again for
    /// the same cause (a replay, a restore, a retried batch) carries the id it had the first time and consumers that
    /// de-duplicate by id recognise it.
    ///
    /// The id has the form of a UUID (version 8, "custom"), such as `1f0c6a2e-94b1-8c3d-a5e7-0b2f4c6d8e10`: 122 bits
    /// of two independent 64-bit hashes of the cause's UTF-8 bytes. Not a cryptographic hash: causes are the system's
    /// own (an input event's source and id with a position), not chosen by an adversary.
    ///
    /// - Parameter cause: What caused the event, unique per event: for example the input event's source and id and
    ///   the position of the output among those it caused.
    public static func derivedID(from cause: String) -> String {
        var hasher = DerivedIDHasher()
        hasher.combine(cause)
        return hasher.id
    }

    /// 128 bits as a lowercase UUID text with the given version and the RFC 9562 variant.
    static func uuidText(high: UInt64, low: UInt64, version: UInt8) -> String {
        var bytes = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: &bytes) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                let hex: StaticString = "0123456789abcdef"
                var position = 0
                for index in 0..<16 {
                    var byte = bytes[index]
                    if index == 6 { byte = byte & 0x0F | version << 4 }
                    if index == 8 { byte = byte & 0x3F | 0x80 }
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = hex.utf8Start[Int(byte >> 4)]
                    text[position + 1] = hex.utf8Start[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
    }
}
