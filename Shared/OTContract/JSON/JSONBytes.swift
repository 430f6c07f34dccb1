import Foundation

/// Byte tests of JSON text, eight bytes at a time.
///
/// A byte is found equal to a value, or below one of at most 0x80, across a word at once: subtracting 0x01 (or the
/// value) from every byte sets a byte's high bit where the byte was below it. Each test is exact for the word as a
/// whole (some byte matches exactly when it says so), which is all the loops ask; which byte matched, they find byte
/// by byte.
enum JSONBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the eight bytes in `word` is a quote, a backslash or a control character: a byte a JSON string
    /// cannot hold as it is.
    static func needsEscape(_ word: UInt64) -> Bool {
        found(in: word) & highBits != 0
    }

    /// The position, from `start` on, of the first byte of `bytes` that is a quote, a backslash, a control character
    /// or not ASCII (where a plain ASCII string ends or turns out not to be plain), or `bytes.count`.
    ///
    /// Eight bytes at a time: in a word where some byte is one, the lowest flagged byte is one (a borrow flags bytes
    /// only above a byte that matched), so the position is exact without a look at the bytes before it.
    static func plainASCIIEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        if let base = bytes.baseAddress {
            while position + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                let flags = (found(in: word) | word) & highBits
                if flags != 0 { return position + flags.trailingZeroBitCount / 8 }
                position += 8
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            position += 1
        }
        return position
    }

    /// The position, from `start` on in steps of eight bytes, of the first whole word of `bytes` for which `stop` is
    /// true, or of the bytes left after the last whole word: where a loop byte by byte takes over.
    static func skipWords(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, until stop: (UInt64) -> Bool) -> Int {
        var position = start
        guard let base = bytes.baseAddress else { return position }
        while position + 8 <= bytes.count {
            if stop(UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))) { break }
            position += 8
        }
        return position
    }

    /// Whether any byte of `text` is a quote, a backslash or a control character.
    static func needsEscape(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = skipWords(in: text, from: 0, until: needsEscape)
        while position < text.count {
            let byte = text[position]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            position += 1
        }
        return false
    }

    /// The high bit of each byte set where the byte is a quote, a backslash or below 0x20 (and perhaps above such a
    /// byte, by the borrow; never in a word without one).
    private static func found(in word: UInt64) -> UInt64 {
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        return ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes) | ((word &- ones &* 0x20) & ~word)
    }

    /// Whether `a` comes before `b` in UTF-8 byte order (the order of a sorted JSON object's keys), by `memcmp`
    /// rather than a generic walk over the two views.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0, let left = x.baseAddress, let right = y.baseAddress {
                    let order = memcmp(left, right, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }
}
