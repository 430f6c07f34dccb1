import Foundation
import GRDB

/// The compact binary form of a row's values in a changelog record: a 16-bit column count, then per column a type
/// tag (0 null, 1 integer, 2 real, 3 text, 4 blob) and its value (8 bytes big-endian for numbers, a 32-bit length and
/// the bytes for text and blobs). SQLite's storage classes survive the round trip exactly. The C side writes the same form
/// (`CSQLite_changeNotesCollect`) and reads it (`CSQLite_bindRow`).
enum ChangelogRowCodec {
    static func encode(_ values: [DatabaseValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + values.count * 12)
        append(UInt16(values.count), to: &bytes)
        for value in values {
            switch value.storage {
            case .null:
                bytes.append(0)
            case .int64(let integer):
                bytes.append(1)
                append(UInt64(bitPattern: integer), to: &bytes)
            case .double(let double):
                bytes.append(2)
                append(double.bitPattern, to: &bytes)
            case .string(let string):
                bytes.append(3)
                let utf8 = Array(string.utf8)
                append(UInt32(utf8.count), to: &bytes)
                bytes += utf8
            case .blob(let data):
                bytes.append(4)
                append(UInt32(data.count), to: &bytes)
                bytes += data
            }
        }
        return bytes
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    // Writing a row value by value, without `DatabaseValue`s (the relay's outbox chunks).

    /// Starts a row of `count` values.
    static func appendCount(_ count: Int, to bytes: inout [UInt8]) { append(UInt16(count), to: &bytes) }

    /// Appends an integer value.
    static func append(_ integer: Int64, to bytes: inout [UInt8]) {
        bytes.append(1)
        append(UInt64(bitPattern: integer), to: &bytes)
    }

    /// Appends a text value.
    static func append(text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(3)
            append(UInt32(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends a blob value, or `NULL` for `nil`.
    static func append(blob: [UInt8]?, to bytes: inout [UInt8]) {
        guard let blob else { return bytes.append(0) }
        appendBlobHeader(length: blob.count, to: &bytes)
        bytes.append(contentsOf: blob)
    }

    /// Appends the start of a blob value of `length` bytes, for a caller that appends the bytes itself.
    static func appendBlobHeader(length: Int, to bytes: inout [UInt8]) {
        bytes.append(4)
        append(UInt32(length), to: &bytes)
    }

    /// Reads values in this form from Swift (a restore reads rows in C): every read is `nil` past the end or at a
    /// value of another type.
    struct Reader {
        let bytes: [UInt8]
        var index: Int

        mutating func fixed(_ width: Int) -> UInt64? {
            guard index + width <= bytes.count else { return nil }
            defer { index += width }
            return bytes[index..<index + width].reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func count() -> Int? { fixed(2).map(Int.init) }

        mutating func tag() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func integer() -> Int64? {
            guard tag() == 1, let bits = fixed(8) else { return nil }
            return Int64(bitPattern: bits)
        }

        mutating func bytes(tagged expected: UInt8) -> [UInt8]?? {
            switch tag() {
            case 0?: return .some(nil)
            case expected?:
                guard let length = fixed(4).map(Int.init), index + length <= bytes.count else { return nil }
                defer { index += length }
                return .some(Array(bytes[index..<index + length]))
            default: return nil
            }
        }

        mutating func text() -> String? {
            guard case .some(.some(let utf8)) = bytes(tagged: 3) else { return nil }
            return String(decoding: utf8, as: UTF8.self)
        }

        mutating func blob() -> [UInt8]?? { bytes(tagged: 4) }
    }
}
