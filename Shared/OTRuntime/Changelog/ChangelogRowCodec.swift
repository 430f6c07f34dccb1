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
}
