import Foundation

/// A strict RFC 8259 JSON reader over bytes. Besides parsing into ``JSONValue`` it can skip a value while checking
/// it, which lets the envelope keep `data` as the exact bytes it arrived as, decoded later into a typed payload.
///
/// It reads the caller's bytes in place (see ``withReader(_:_:)``): a consumed message is parsed without copying it.
/// Strings that are plain ASCII without escapes, nearly every string on the system's topics, are checked and skipped
/// without building them, and built straight from their bytes when asked for; any other string takes the general
/// path, which decodes escapes and validates UTF-8.
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0
    private var depth = 0

    /// Deeper nesting than this is refused rather than risking the stack on hostile input.
    static let maximumDepth = 256

    /// A reader over `bytes`, valid only while they are.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `body` with a reader over `bytes`, in place when they are contiguous (an array or a slice of one).
    static func withReader<Result>(
        _ bytes: some Collection<UInt8>, _ body: (inout JSONReader) throws(ContractError) -> Result
    ) throws(ContractError) -> Result {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Swift.Result<Result, ContractError> {
            var reader = JSONReader(buffer)
            do throws(ContractError) {
                return .success(try body(&reader))
            } catch {
                return .failure(error)
            }
        }
        if let result = bytes.withContiguousStorageIfAvailable(run) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer(run).get()
    }

    /// A string token: either the range of a plain ASCII string without escapes (between its quotes), whose bytes
    /// are its text, or the decoded text of any other string.
    enum StringToken {
        /// Plain ASCII without escapes: the text is exactly these bytes.
        case ascii(Range<Int>)
        /// Any other string, decoded.
        case text(String)
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

    /// Reads the top-level object member by member: `body` gets each name (as a ``StringToken``) and parses or
    /// skips the value itself (it must leave ``index`` at the value's end).
    mutating func readTopLevelObject(
        _ body: (inout JSONReader, StringToken) throws(ContractError) -> Void
    ) throws(ContractError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else {
            throw .malformedJSON(bytes.isEmpty ? "empty input" : "expected an object at the top level")
        }
        index += 1
        try readItems(until: UInt8(ascii: "}")) { (reader) throws(ContractError) in
            let name = try reader.readName()
            try body(&reader, name)
        }
        try expectEnd()
    }

    /// The bytes in `range`, valid only inside ``withReader(_:_:)``.
    func bytes(in range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }

    /// Whether the plain ASCII string in `range` is exactly `text`.
    func bytes(in range: Range<Int>, equal text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        guard !range.isEmpty else { return true }
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
        return text.withUTF8Buffer { expected in
            memcmp(expected.baseAddress!, bytes.baseAddress! + range.lowerBound, range.count) == 0
        }
    }

    /// The text of a string token.
    func string(_ token: StringToken) -> String {
        switch token {
        case .ascii(let range): String(decoding: bytes(in: range), as: UTF8.self)
        case .text(let text): text
        }
    }

    /// Whether a string token is `text`.
    func equals(_ token: StringToken, _ text: StaticString) -> Bool {
        switch token {
        case .ascii(let range): bytes(in: range, equal: text)
        case .text(let string): string == text.description
        }
    }

    /// Whether a string token is `text`.
    func equals(_ token: StringToken, _ text: String) -> Bool {
        switch token {
        case .ascii(let range):
            // `memcmp`: `elementsEqual` took about 560 instructions for a three-byte text over a `String.UTF8View`,
            // and 300 over two buffers.
            guard range.count == text.utf8.count else { return false }
            guard !range.isEmpty else { return true }
            var text = text
            return text.withUTF8 { expected in
                memcmp(expected.baseAddress!, bytes.baseAddress! + range.lowerBound, range.count) == 0
            }
        case .text(let string): return string == text
        }
    }

    /// Whether a string token is the empty string.
    func isEmpty(_ token: StringToken) -> Bool {
        switch token {
        case .ascii(let range): range.isEmpty
        case .text(let string): string.isEmpty
        }
    }

    /// The byte at the current position, if any.
    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Parses one value into a ``JSONValue``: as a ``Tree``, whose members then go into dictionaries (of a name given
    /// twice, the last).
    mutating func parseValue() throws(ContractError) -> JSONValue {
        try Self.value(of: parseTree())
    }

    private static func value(of tree: Tree) throws(ContractError) -> JSONValue {
        switch tree {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .string(let value): return .string(value)
        case .number(let text):
            guard let number = Double(text), number.isFinite else {
                throw ContractError.malformedJSON("number out of range: \(text.prefix(40))")
            }
            return .number(number)
        case .array(let elements):
            var values: [JSONValue] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try value(of: element)) }
            return .array(values)
        case .object(let members, _):
            var values: [String: JSONValue] = [:]
            for member in members { values[member.name] = try value(of: member.value) }
            return .object(values)
        }
    }

    mutating func skipValue() throws(ContractError) {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let object = byte == UInt8(ascii: "{")
            try enter()
            index += 1
            try readItems(until: object ? UInt8(ascii: "}") : UInt8(ascii: "]")) { (reader) throws(ContractError) in
                if object {
                    try reader.skipString()
                    reader.skipWhitespace()
                    try reader.expect(UInt8(ascii: ":"))
                    reader.skipWhitespace()
                }
                try reader.skipValue()
            }
            depth -= 1
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try readLiteral(byte)
        default:
            try skipNumber()
        }
    }

    mutating func parseString() throws(ContractError) -> String {
        string(try readString())
    }

    /// Reads a string: a plain ASCII one without escapes as its range, without building it; any other through
    /// ``parseGeneralString()``.
    mutating func readString() throws(ContractError) -> StringToken {
        let quote = index
        if let end = plainASCIIStringEnd() {
            index = end + 1
            return .ascii((quote + 1)..<end)
        }
        return .text(try parseGeneralString())
    }

    /// The index of the closing quote of the string starting at the current position when it is plain ASCII without
    /// escapes or control characters; `nil` for any other string (or no string at all). Does not move.
    private func plainASCIIStringEnd() -> Int? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        // The first byte that is not plain ASCII text: the string ends there if it is the closing quote.
        let end = JSONBytes.plainASCIIEnd(in: bytes, from: index + 1)
        return end < bytes.count && bytes[end] == UInt8(ascii: "\"") ? end : nil
    }

    /// Any string, with escapes decoded and UTF-8 validated; errors name the byte where the string went wrong.
    private mutating func parseGeneralString() throws(ContractError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Up to the first escape, the bytes are the text.
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
        if let end = plainASCIIStringEnd() {
            index = end + 1
        } else {
            _ = try parseGeneralString()
        }
    }

    /// Reads the comma-separated items of an object or an array whose opening bracket was just read, up to and
    /// including `close`; `item` reads one item (an object's member with its name), from its first byte.
    private mutating func readItems(
        until close: UInt8, _ item: (inout JSONReader) throws(ContractError) -> Void
    ) throws(ContractError) {
        skipWhitespace()
        if peek() == close {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try item(&self)
            skipWhitespace()
            guard peek() == UInt8(ascii: ",") else { return try expect(close) }
            index += 1
        }
    }

    /// Reads an object member's name and the colon after it, up to its value.
    private mutating func readName() throws(ContractError) -> StringToken {
        let name = try readString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        return name
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

    /// Reads `true`, `false` or `null`, the one that `byte`, the current one, starts: the Boolean, or `nil` for
    /// `null`.
    private mutating func readLiteral(_ byte: UInt8) throws(ContractError) -> Bool? {
        switch byte {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            try literal("null")
            return nil
        }
    }

    private mutating func literal(_ word: StaticString) throws(ContractError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count, self.bytes(in: index..<(index + count), equal: word) else {
            throw error("unexpected character '\(printable(peek()))'")
        }
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

extension JSONReader {
    /// A parsed value for ``TreeJSONDecoder``: objects keep their members in order, with every duplicate name; a
    /// number keeps its text, so that an integer is read from its digits and nothing is rounded.
    enum Tree {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([Tree])
        /// `asciiNames`: whether every name was written as plain ASCII without escapes, so that two names of different
        /// UTF-8 lengths are different names (a name that is not in Unicode's normal form C can be equal, as a Swift
        /// `String`, to one of another length).
        case object([(name: String, value: Tree)], asciiNames: Bool)
    }

    /// A name or a string value as ``parseObjectMembers(from:)`` keeps it. Plain data, like the rest of a member: a
    /// payload's members are copied and freed without a retain or a release of each.
    enum MemberText: Equatable {
        /// Plain ASCII without escapes: the text is exactly these bytes (counted from the members' origin).
        case ascii(Range<Int>)
        /// Any other string: its decoded text is ``ObjectMembers/decoded`` at this index.
        case decoded(Int)
    }

    /// An object member's value as ``parseObjectMembers(from:)`` reads it: a number or a string where its text is,
    /// without building it; an object or an array checked and passed over.
    enum MemberValue: Equatable {
        case null
        case bool(Bool)
        /// The number's text, as written (counted from the members' origin).
        case number(Range<Int>)
        case string(MemberText)
        /// An object or an array.
        case composite
    }

    /// An object's member: its name and its value.
    struct Member: Equatable {
        let name: MemberText
        let value: MemberValue
    }

    /// The members of an object, in the order written, with every duplicate name; each text by where it is counted
    /// from an origin: the document's first byte, or the object's when it is read from inside another document, so
    /// that they stay true of a copy of the object's bytes.
    struct ObjectMembers: Equatable {
        var members: [Member] = []
        /// The texts of the names and strings that are not plain ASCII without escapes (``MemberText/decoded(_:)``).
        var decoded: [String] = []
        /// Where the object ends, counted from the origin: every range lies before it.
        fileprivate(set) var end = 0

        /// `token` as kept here, its range counted from `origin`.
        fileprivate mutating func text(_ token: StringToken, origin: Int) -> MemberText {
            switch token {
            case .ascii(let range): return .ascii((range.lowerBound - origin)..<(range.upperBound - origin))
            case .text(let text):
                decoded.append(text)
                return .decoded(decoded.count - 1)
            }
        }
    }

    /// Parses one complete document whose value is an object into its members: checked as ``parseTreeDocument()``
    /// checks it (nesting counted from the object itself), but without building a text of any name or plain ASCII
    /// value. `nil` when the value is not an object, read no further then.
    mutating func parseMembersDocument() throws(ContractError) -> ObjectMembers? {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { return nil }
        let object = try parseObjectMembers(from: 0)
        try expectEnd()
        return object
    }

    /// Parses the object that starts at the current position into its members, checked as ``skipValue()`` checks
    /// it; their ranges count from `origin` (the object's first byte, for members read from inside another document
    /// and used with a copy of the object's bytes).
    mutating func parseObjectMembers(from origin: Int) throws(ContractError) -> ObjectMembers {
        // As skipValue() reads an object, to the error it gives.
        guard peek() == UInt8(ascii: "{") else { throw error("expected an object") }
        try enter()
        index += 1
        var object = ObjectMembers()
        // Room for a payload's members (the largest have about fifteen), instead of growing five times.
        object.members.reserveCapacity(16)
        try readItems(until: UInt8(ascii: "}")) { (reader) throws(ContractError) in
            // As readName() reads a name.
            let name = object.text(try reader.readName(), origin: origin)
            let value = try reader.readMemberValue(&object, origin: origin)
            object.members.append(Member(name: name, value: value))
        }
        depth -= 1
        object.end = index - origin
        return object
    }

    private mutating func readMemberValue(
        _ object: inout ObjectMembers, origin: Int
    ) throws(ContractError) -> MemberValue {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipValue()
            return .composite
        case UInt8(ascii: "\""):
            return .string(object.text(try readString(), origin: origin))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try readLiteral(byte).map { .bool($0) } ?? .null
        default:
            let start = index
            try skipNumber()
            return .number((start - origin)..<(index - origin))
        }
    }

    /// Parses one complete document into a ``Tree``.
    mutating func parseTreeDocument() throws(ContractError) -> Tree {
        skipWhitespace()
        let tree = try parseTree()
        try expectEnd()
        return tree
    }

    mutating func parseTree() throws(ContractError) -> Tree {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            try enter()
            index += 1
            var members: [(name: String, value: Tree)] = []
            // Room for a payload's members (the largest have about fifteen), instead of growing five times.
            members.reserveCapacity(16)
            var asciiNames = true
            try readItems(until: UInt8(ascii: "}")) { (reader) throws(ContractError) in
                let name = try reader.readName()
                if case .text = name { asciiNames = false }
                members.append((reader.string(name), try reader.parseTree()))
            }
            depth -= 1
            return .object(members, asciiNames: asciiNames)
        case UInt8(ascii: "["):
            try enter()
            index += 1
            var elements: [Tree] = []
            try readItems(until: UInt8(ascii: "]")) { (reader) throws(ContractError) in
                elements.append(try reader.parseTree())
            }
            depth -= 1
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try readLiteral(byte).map { .bool($0) } ?? .null
        default:
            let start = index
            try skipNumber()
            return .number(String(decoding: bytes(in: start..<index), as: UTF8.self))
        }
    }
}
