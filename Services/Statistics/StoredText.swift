/// A stored text put together as UTF-8 bytes: for the person stage's row (``RegistrationVersion/storedLine``,
/// ``Contribution/stored``, ``PersonState/contributionsText``), written for every event.
///
/// `String`'s own `+=` costs about 340 instructions an append (it keeps the string's grapheme and normalization
/// flags), and a version's line is 23 of them; an `Array`'s `append(contentsOf:)` still about 120. Here a piece is
/// copied into memory of the text's own, and the string made once at the end.
struct StoredText: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    mutating func append(_ text: String) {
        if let copied = text.utf8.withContiguousStorageIfAvailable({ append(bytes: $0) }) { return copied }
        var text = text  // not contiguous (bridged): made so
        text.withUTF8 { append(bytes: $0) }
    }

    /// A comma, then `text`: the next field of a line.
    mutating func appendField(_ text: String) {
        append(byte: UInt8(ascii: ","))
        append(text)
    }

    mutating func appendASCII(_ character: Unicode.Scalar) {
        append(byte: UInt8(ascii: character))
    }

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

    /// The text: valid UTF-8, as every piece appended was.
    var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

    private mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (start + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    private mutating func append(byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    private mutating func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        capacity = max(2 * capacity, count + more)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: start, count: count)
        start.deallocate()
        start = grown
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
