import OTStore

/// The escaping of the person stage's row text: ids, which the contract does not restrict, written so that they
/// cannot be mistaken for the separators of fields, lines and contributions.
extension StoredText {
    /// `text` with `%`, `,`, `=`, `\n` and `\r` written as `%XX` (upper-case hex): the bytes that separate a row's
    /// fields, lines and contributions. Any other byte, a multi-byte character's too (none of them is ASCII), is
    /// kept.
    mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { source in
            // The runs between reserved bytes are copied whole.
            var run = 0
            for index in source.indices where Self.isReserved(source[index]) {
                append(bytes: UnsafeBufferPointer(rebasing: source[run..<index]))
                append(byte: UInt8(ascii: "%"))
                append(byte: Self.hexDigit(source[index] >> 4))
                append(byte: Self.hexDigit(source[index] & 0x0F))
                run = index + 1
            }
            append(bytes: UnsafeBufferPointer(rebasing: source[run...]))
        }
    }

    /// Whether `byte` is one ``appendEscaped(_:)`` writes as `%XX`.
    static func isReserved(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "%") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "=") || byte == 0x0A
            || byte == 0x0D
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
