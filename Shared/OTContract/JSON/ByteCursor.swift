/// Writes bytes one after another into memory whose size was worked out before (an array made with
/// `init(unsafeUninitializedCapacity:initializingWith:)`): no check of uniqueness or room per write, as an array's
/// `append` makes, and no capture of a position by nested functions. Inlined: called, a write cost more than it
/// saved (callgrind, `JSONObjectWriter`).
struct ByteCursor {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// How many bytes are written.
    private(set) var position = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @inline(__always) mutating func put(_ byte: UInt8) {
        precondition(position < buffer.count)
        buffer[position] = byte
        position += 1
    }

    @inline(__always) mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(position + bytes.count <= buffer.count)
        (buffer.baseAddress! + position).update(from: source, count: bytes.count)
        position += bytes.count
    }

    @inline(__always) mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { put($0) }
    }

    /// A string's UTF-8 bytes if none needs an escape in JSON (`JSONBytes.needsEscape`), checked as they are
    /// copied; `false`, with nothing written, when one does.
    @inline(__always) mutating func put(plainUTF8Of text: String) -> Bool {
        // Where the string keeps its bytes, without the copy of the string `withUTF8` needs.
        if let plain = text.utf8.withContiguousStorageIfAvailable({ putIfPlain($0) }) { return plain }
        var text = text
        return text.withUTF8 { putIfPlain($0) }
    }

    @inline(__always) private mutating func putIfPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !JSONBytes.needsEscape(utf8) else { return false }
        put(utf8)
        return true
    }

    /// An integer's decimal digits, with a minus sign when it is negative (as ``JSONWriter`` writes them).
    @inline(__always) mutating func put(decimal number: Int) {
        if number < 0 { put(UInt8(ascii: "-")) }
        JSONWriter.withDigits(of: UInt64(number.magnitude)) { put($0) }
    }
}
