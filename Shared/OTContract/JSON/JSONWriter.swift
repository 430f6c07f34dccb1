/// Writes compact JSON text into a byte buffer.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    static func bytes(of value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    mutating func raw(_ text: StaticString) {
        // Byte by byte: the texts are a few bytes (a quote, a name, a colon), and `append(contentsOf:)` costs more
        // per call than a name's bytes do one at a time.
        text.withUTF8Buffer { text in
            for byte in text { bytes.append(byte) }
        }
    }

    mutating func raw(_ other: some Sequence<UInt8>) {
        bytes.append(contentsOf: other)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let value): value ? raw("true") : raw("false")
        case .number(let value): writeNumber(value)
        case .string(let value): writeString(value)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (offset, key) in members.keys.sorted().enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(members[key] ?? .null)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Writes an integer's decimal digits, without a `String` in between.
    mutating func writeInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        writeDigits(value.magnitude)
    }

    /// Writes an unsigned integer's decimal digits, without a `String` in between.
    mutating func writeDigits(_ value: UInt64) {
        Self.withDigits(of: value) { bytes.append(contentsOf: $0) }
    }

    /// Runs `body` with the decimal digits of `value`, made on the stack.
    static func withDigits<Result>(of value: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // At most 20 digits, written from the end of the scratch, then handed over in order.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            return body(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    mutating func writeNumber(_ value: Double) {
        if !value.isFinite {
            raw("null")
        } else if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            writeInteger(Int64(value))
        } else {
            raw(String(value).utf8)
        }
    }

    mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        let plain = value.withUTF8 { utf8 in
            // Nearly every string needs no escape: copy it whole.
            guard !JSONBytes.needsEscape(utf8) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !plain { writeEscaped(value) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0x00..<0x20:
                raw("\\u00")
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
    }

    /// Writes `"name":` after a comma when members came before, for a name of plain ASCII that needs no escape.
    mutating func member(_ name: StaticString, first: inout Bool) {
        raw(first ? "\"" : ",\"")
        first = false
        raw(name)
        raw("\":")
    }

    /// Writes `"name":` after a comma when members came before.
    mutating func member(_ name: String, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
    }
}
