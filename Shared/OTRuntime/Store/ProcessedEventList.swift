/// The events one row of `ot_processed_batches` holds (``ProcessedEventIndex``): its `events` blob, a format byte (1)
/// and then, per event, its source and its id, each as a 32-bit big-endian length and its UTF-8 bytes.
///
/// One row holds up to ``capacity`` events processed in one transaction, so that a partition group's de-duplication
/// records are one insert and one changelog record, not one of each per event (``ProcessedEventIndex``).
enum ProcessedEventList {
    /// The most events one row holds: about 40 KB of a changelog record at the contract's event ids, far below the
    /// broker's limit on a message (1 MB by default).
    static let capacity = 512

    static let format: UInt8 = 1

    /// The stored form of `events`.
    static func encode(_ events: some Collection<(source: String, id: String)>) -> [UInt8] {
        var bytes = start(reserving: events.count)
        for event in events { append(source: event.source, id: event.id, to: &bytes) }
        return bytes
    }

    /// The start of a row's bytes, with room for about `count` events.
    static func start(reserving count: Int = capacity) -> [UInt8] {
        var bytes: [UInt8] = [format]
        bytes.reserveCapacity(1 + count * 64)
        return bytes
    }

    /// Appends an event to a row's bytes.
    static func append(source: String, id: String, to bytes: inout [UInt8]) {
        append(source, to: &bytes)
        append(id, to: &bytes)
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            // Byte by byte: through `withUnsafeBytes(of:)`, the length's four bytes cost more than the text.
            let count = UInt32(utf8.count)
            bytes.append(UInt8(truncatingIfNeeded: count >> 24))
            bytes.append(UInt8(truncatingIfNeeded: count >> 16))
            bytes.append(UInt8(truncatingIfNeeded: count >> 8))
            bytes.append(UInt8(truncatingIfNeeded: count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// The events of a stored row, in the order they were recorded.
    /// - Throws: ``Malformed`` for bytes this type did not write.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(Malformed) -> [(source: String, id: String)] {
        guard bytes.first == format else { throw Malformed() }
        var events: [(source: String, id: String)] = []
        var position = 1
        func text() throws(Malformed) -> String {
            guard bytes.count - position >= 4 else { throw Malformed() }
            var count = 0
            for byte in bytes[position..<position + 4] { count = count << 8 | Int(byte) }
            position += 4
            guard bytes.count - position >= count else { throw Malformed() }
            defer { position += count }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + count]), as: UTF8.self)
        }
        while position < bytes.count {
            let source = try text()
            events.append((source, try text()))
        }
        return events
    }

    /// A row's bytes are not in this form: the store's file was written by something else, or damaged.
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "a de-duplication record (ot_processed_batches.events) is malformed" }
    }
}
