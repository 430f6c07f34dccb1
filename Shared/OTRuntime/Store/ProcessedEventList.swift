/// The events one row of `ot_processed_batches` holds (``ProcessedEventIndex``): its `events` blob, a format byte (1)
/// and then, per event, its source and its id, each as a 32-bit big-endian length and its UTF-8 bytes.
///
/// One row holds the events of one processing time (a transaction's), up to ``capacity`` of them and ``byteLimit``
/// bytes, so that a partition group's de-duplication records are one insert and one changelog record, not one of
/// each per event (``ProcessedEventIndex``).
enum ProcessedEventList {
    /// The most events one row holds.
    static let capacity = 512

    /// The most bytes a row of several events holds: each row is a changelog record, and the broker refuses a
    /// message over its `message.max.bytes` (about 1 MB by default). The contract bounds neither an event's id nor
    /// its source, so the row is closed by its size as well as by its count (512 UUID ids from a 20-character source
    /// are 32 KiB). An event larger than this has a row of its own, as every event had before 2026-12-07.
    static let byteLimit = 64 * 1_024

    static let format: UInt8 = 1

    /// Rows filled event by event, in order: the migration that made the table and every transaction's flush write
    /// their rows through it, so that both close a row at the same points.
    struct Rows {
        private var processedAt: Int64 = 0
        private var bytes: [UInt8] = []
        private var count = 0

        /// Adds an event; when it does not fit the row in hand (another processing time, or the row is full), that
        /// row is returned, finished, and the event starts the next.
        mutating func append(source: String, id: String, processedAt: Int64) -> (processedAt: Int64, bytes: [UInt8])? {
            var finished: (processedAt: Int64, bytes: [UInt8])?
            let size = 8 + source.utf8.count + id.utf8.count
            if count > 0
                && (processedAt != self.processedAt || count == capacity || bytes.count + size > byteLimit)
            {
                finished = take()
            }
            if count == 0 {
                bytes = ProcessedEventList.start(reserving: 64)
                self.processedAt = processedAt
            }
            ProcessedEventList.append(source: source, id: id, to: &bytes)
            count += 1
            return finished
        }

        /// The row in hand, finished, if it has an event.
        mutating func take() -> (processedAt: Int64, bytes: [UInt8])? {
            guard count > 0 else { return nil }
            defer {
                bytes = []
                count = 0
            }
            return (processedAt, bytes)
        }
    }

    /// The stored form of `events`.
    static func encode(_ events: some Collection<(source: String, id: String)>) -> [UInt8] {
        var bytes = start(reserving: events.count)
        for event in events { append(source: event.source, id: event.id, to: &bytes) }
        return bytes
    }

    /// The start of a row's bytes, with room for about `count` events.
    private static func start(reserving count: Int) -> [UInt8] {
        var bytes: [UInt8] = [format]
        bytes.reserveCapacity(1 + count * 64)
        return bytes
    }

    /// Appends an event to a row's bytes.
    private static func append(source: String, id: String, to bytes: inout [UInt8]) {
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
