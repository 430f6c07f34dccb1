import Kafka

/// The compact binary form in which outbox rows keep their Kafka headers: per header a 16-bit name length, the
/// name, a 32-bit value length (-1 for a null value) and the value, all lengths big-endian.
enum OutboxHeaders {
    static func encode(_ headers: [KafkaHeader]) -> [UInt8] {
        var bytes: [UInt8] = []
        for header in headers {
            let name = Array(header.name.utf8)
            append(UInt16(clamping: name.count), to: &bytes)
            bytes += name.prefix(Int(UInt16.max))
            if let value = header.value {
                append(UInt32(value.count), to: &bytes)
                bytes += value
            } else {
                append(UInt32.max, to: &bytes)
            }
        }
        return bytes
    }

    /// Decodes headers; stops at the first malformed entry (rows are written only by ``encode(_:)``).
    static func decode(_ bytes: [UInt8]) -> [KafkaHeader] {
        var headers: [KafkaHeader] = []
        var index = 0
        func read(_ width: Int) -> UInt32? {
            guard index + width <= bytes.count else { return nil }
            defer { index += width }
            return bytes[index..<index + width].reduce(0) { $0 << 8 | UInt32($1) }
        }
        while index < bytes.count {
            guard let nameLength = read(2), index + Int(nameLength) <= bytes.count else { break }
            let name = String(decoding: bytes[index..<index + Int(nameLength)], as: UTF8.self)
            index += Int(nameLength)
            guard let valueLength = read(4) else { break }
            if valueLength == UInt32.max {
                headers.append(KafkaHeader(name: name, value: nil))
                continue
            }
            guard index + Int(valueLength) <= bytes.count else { break }
            headers.append(KafkaHeader(name: name, value: Array(bytes[index..<index + Int(valueLength)])))
            index += Int(valueLength)
        }
        return headers
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }
}
