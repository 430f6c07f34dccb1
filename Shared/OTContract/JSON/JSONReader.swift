/// A strict RFC 8259 JSON reader over bytes. Besides parsing into ``JSONValue`` it can skip a value while checking
/// it, which lets the envelope keep `data` as the exact bytes it arrived as, decoded later into a typed payload.
struct JSONReader {
    private let bytes: [UInt8]
    private(set) var index = 0
    private var depth = 0

    /// Deeper nesting than this is refused rather than risking the stack on hostile input.
    static let maximumDepth = 256

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one complete document: a single value with nothing but whitespace around it.
    mutating func parseDocument() throws(ContractError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        try expectEnd()
        return value
    }

    /// Checks that the bytes hold one complete, well-formed document without building it.
    mutating func validateDocument() throws(ContractError) {
        skipWhitespace()
        try skipValue()
        try expectEnd()
    }

    /// Reads the top-level object member by member: `body` gets each name and the byte range of its value, and
    /// parses or skips the value itself (it must leave ``index`` at the value's end).
    mutating func readTopLevelObject(
        _ body: (inout JSONReader, String) throws(ContractError) -> Void
    ) throws(ContractError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else {
            throw .malformedJSON(bytes.isEmpty ? "empty input" : "expected an object at the top level")
        }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                let name = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                try body(&self, name)
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "}"))
                break
            }
        }
        try expectEnd()
    }

    /// The bytes from `start` to the current position.
    func slice(from start: Int) -> ArraySlice<UInt8> { bytes[start..<index] }

    mutating func parseValue() throws(ContractError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    let name = try parseString()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                    members[name] = try parseValue()
                    skipWhitespace()
                    if peek() == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"))
                    break
                }
            }
            depth -= 1
            return .object(members)
        case UInt8(ascii: "["):
            try enter()
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    elements.append(try parseValue())
                    skipWhitespace()
                    if peek() == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "]"))
                    break
                }
            }
            depth -= 1
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            let start = index
            try skipNumber()
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let number = Double(text), number.isFinite else { throw error("number out of range") }
            return .number(number)
        }
    }

    mutating func skipValue() throws(ContractError) {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            try enter()
            index += 1
            skipWhitespace()
            if peek() == close {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    if close == UInt8(ascii: "}") {
                        try skipString()
                        skipWhitespace()
                        try expect(UInt8(ascii: ":"))
                        skipWhitespace()
                    }
                    try skipValue()
                    skipWhitespace()
                    if peek() == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect(close)
                    break
                }
            }
            depth -= 1
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"):
            try literal("true")
        case UInt8(ascii: "f"):
            try literal("false")
        case UInt8(ascii: "n"):
            try literal("null")
        default:
            try skipNumber()
        }
    }

    mutating func parseString() throws(ContractError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Fast path: no escapes.
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { throw error("control character in a string") }
            index += 1
        }
        guard let stop = peek() else { throw error("unterminated string") }
        var scalars = Array(bytes[start..<index])
        if stop == UInt8(ascii: "\"") {
            index += 1
            return try utf8String(scalars)
        }
        while true {
            guard let byte = peek() else { throw error("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try utf8String(scalars)
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw error("unterminated string") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count,
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw error("unpaired surrogate in a \\u escape") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw error("unpaired surrogate in a \\u escape")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("invalid escape sequence")
                }
            default:
                guard byte >= 0x20 else { throw error("control character in a string") }
                scalars.append(byte)
            }
        }
    }

    private mutating func skipString() throws(ContractError) {
        _ = try parseString()
    }

    private mutating func skipNumber() throws(ContractError) {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else {
            index = start
            throw error("unexpected character '\(printable(peek()))'")
        }
        index += 1
        if first != UInt8(ascii: "0") {
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let byte = peek(), isDigit(byte) else { throw error("a fraction needs digits") }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let byte = peek(), isDigit(byte) else { throw error("an exponent needs digits") }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
    }

    private mutating func hex4() throws(ContractError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(ContractError) {
        let count = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { expected in
            index + count <= bytes.count && bytes[index..<(index + count)].elementsEqual(expected)
        }
        guard matches else { throw error("unexpected character '\(printable(peek()))'") }
        index += count
    }

    private mutating func enter() throws(ContractError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func expect(_ byte: UInt8) throws(ContractError) {
        guard peek() == byte else {
            throw error(
                peek() == nil
                    ? "unexpected end of input, expected '\(Character(Unicode.Scalar(byte)))'"
                    : "expected '\(Character(Unicode.Scalar(byte)))', found '\(printable(peek()))'")
        }
        index += 1
    }

    private mutating func expectEnd() throws(ContractError) {
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected content after the JSON value") }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func printable(_ byte: UInt8?) -> String {
        guard let byte else { return "end of input" }
        return byte >= 0x20 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "\\x" + String(byte, radix: 16)
    }

    private func utf8String(_ utf8: [UInt8]) throws(ContractError) -> String {
        guard let string = String(validating: utf8, as: UTF8.self) else { throw error("invalid UTF-8 in a string") }
        return string
    }

    private func error(_ reason: String) -> ContractError {
        .malformedJSON("\(reason) at byte \(index)")
    }
}
