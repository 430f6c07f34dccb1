import Testing

@testable import OTContract

/// The reader's scan over plain ASCII strings, which looks at eight bytes at a time: it must stop at every byte that
/// ends a string or makes it need the general path, wherever in a word that byte sits.
@Suite("JSON reader", .timeLimit(.minutes(1)))
struct JSONReaderTests {
    /// What needs a look, from RFC 8259: the quote, the backslash, the control characters and every byte of a
    /// multi-byte (or invalid) UTF-8 sequence.
    static func needsLook(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80
    }

    @Test("a word is flagged exactly when one of its bytes needs a look, at every position and with every neighbour")
    func words() {
        let plain = Array("aZ ~!09/".utf8)  // the edges of the plain range and bytes next to the special ones
        for position in 0..<8 {
            for value in 0...255 {
                for neighbour in plain {
                    var bytes = [UInt8](repeating: neighbour, count: 8)
                    bytes[position] = UInt8(value)
                    let word = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    #expect(
                        JSONReader.mayEndPlainASCII(word) == Self.needsLook(UInt8(value)),
                        "byte \(value) at \(position) among \(neighbour)")
                }
            }
        }
    }

    @Test("a string of any length reads the same wherever an escape, a quote or other text falls in it")
    func everyPosition() throws {
        for length in 0..<26 {
            let text = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) })
            for position in 0...length {
                let prefix = String(text.prefix(position))
                let suffix = String(text.dropFirst(position))
                #expect(try Self.parse(#"[""# + text + #""]"#) == [.string(text)])
                #expect(try Self.parse(#"[""# + prefix + #"\n"# + suffix + #""]"#) == [.string(prefix + "\n" + suffix)])
                #expect(try Self.parse(#"[""# + prefix + "ø" + suffix + #""]"#) == [.string(prefix + "ø" + suffix)])
                #expect(
                    try Self.parse(#"[""# + prefix + #"",""# + suffix + #""]"#) == [.string(prefix), .string(suffix)])
                let bytes = Array(#"[""#.utf8) + Array(prefix.utf8)
                for refused: UInt8 in [0x00, 0x01, 0x1F, 0x80, 0xFF] {
                    let document = bytes + [refused] + Array(suffix.utf8) + Array(#""]"#.utf8)
                    #expect(throws: ContractError.self, "byte \(refused) at \(position) of \(length)") {
                        try JSONValue(parsing: document)
                    }
                }
            }
        }
    }

    static func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }
}
