/// A text for the store put together as UTF-8 bytes: for the compact texts a service writes into a row for every
/// event (`ot-statistics`' versions and contributions, `ot-registrations`' residences).
///
/// `String`'s own `+=` costs about 340 instructions an append (it keeps the string's grapheme and normalization
/// flags), and such a text is a dozen or two of them; an `Array`'s `append(contentsOf:)` still about 120. Here a
/// piece is copied into memory of the text's own, and the string made once at the end.
///
/// ```swift
/// var line = StoredText(capacity: 64)
/// line.append(date.description)
/// line.appendField(county.rawValue)  // ",03"
/// let text = line.text
/// ```
public struct StoredText: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    /// An empty text with room for `capacity` bytes (it grows past them).
    public init(capacity: Int) {
        self.capacity = max(capacity, 16)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// Appends `text`.
    public mutating func append(_ text: String) {
        if let copied = text.utf8.withContiguousStorageIfAvailable({ append(bytes: $0) }) { return copied }
        var text = text  // not contiguous (bridged): made so
        text.withUTF8 { append(bytes: $0) }
    }

    /// A comma, then `text`: the next field of a line.
    public mutating func appendField(_ text: String) {
        append(byte: UInt8(ascii: ","))
        append(text)
    }

    /// Appends one ASCII character (a separator).
    public mutating func appendASCII(_ character: Unicode.Scalar) {
        append(byte: UInt8(ascii: character))
    }

    /// The text: valid UTF-8, as every piece appended was.
    public var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

    /// Appends bytes: UTF-8, or part of a text's UTF-8 that ends where a character does.
    public mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (start + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends one byte (ASCII).
    public mutating func append(byte: UInt8) {
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
}
