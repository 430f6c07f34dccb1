import Testing

@testable import OTContract

/// The byte tests that look at eight bytes at a time (the reader's scan over plain ASCII strings, the writer's check
/// for escapes) and the key order: each must find every byte it looks for, wherever in a word that byte sits.
@Suite("JSON bytes", .timeLimit(.minutes(2)))
struct JSONBytesTests {
    /// What needs a look, from RFC 8259: the quote, the backslash, the control characters and every byte of a
    /// multi-byte (or invalid) UTF-8 sequence.
    static func needsLook(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80
    }

    @Test(
        "the scan of a plain ASCII string stops at the first byte that needs a look, wherever it sits, whatever follows"
    )
    func plainASCIIEnd() {
        // Eight bytes at a time, a borrow flags bytes above one that matched: a second special byte after the first
        // (or none), in buffers shorter and longer than a word, read from two starts.
        var mismatches: [String] = []
        for length in [3, 8, 13, 16, 21] {
            for position in 0..<length {
                for value in 0...255 {
                    for neighbour in Array("a~ /".utf8) {
                        for later: UInt8? in [nil, 0x00, UInt8(ascii: "\""), 0xFF] {
                            var bytes = [UInt8](repeating: neighbour, count: length)
                            if let later, position + 1 < length { bytes[length - 1] = later }
                            bytes[position] = UInt8(value)
                            for start in 0...min(1, position) {
                                let expected = bytes[start...].firstIndex(where: Self.needsLook) ?? length
                                let found = bytes.withUnsafeBufferPointer {
                                    JSONBytes.plainASCIIEnd(in: $0, from: start)
                                }
                                if found != expected {
                                    mismatches.append("\(bytes) from \(start): \(found), not \(expected)")
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("a word needs an escape exactly when one of its bytes is a quote, a backslash or a control character")
    func escapeWords() {
        for position in 0..<8 {
            for value in 0...255 {
                for neighbour in Array("aZ ~!09/".utf8) + [0x80, 0xC3, 0xFF] {
                    var bytes = [UInt8](repeating: neighbour, count: 8)
                    bytes[position] = UInt8(value)
                    let word = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    let expected = value < 0x20 || value == Int(UInt8(ascii: "\"")) || value == Int(UInt8(ascii: "\\"))
                    #expect(JSONBytes.needsEscape(word) == expected, "byte \(value) at \(position) among \(neighbour)")
                    #expect(bytes.withUnsafeBufferPointer { JSONBytes.needsEscape($0) } == expected)
                }
            }
        }
    }

    @Test("a written string is escaped wherever the byte that needs it falls, in strings of every length")
    func writtenEscapes() {
        for length in 0..<26 {
            let text = String(repeating: "ø", count: length % 3) + String(repeating: "a", count: length)
            for position in 0...text.count {
                for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}"] {
                    var probe = text
                    probe.insert(contentsOf: special, at: probe.index(probe.startIndex, offsetBy: position))
                    let written = JSONValue.string(probe).description
                    #expect(written != "\"" + probe + "\"", "\(probe.debugDescription) unescaped")
                    #expect((try? JSONValue(parsing: Array(written.utf8))) == .string(probe))
                }
            }
        }
    }

    @Test("keys in UTF-8 byte order: prefixes first, upper case before lower, ASCII before the rest")
    func byteOrder() {
        let keys = ["", "a", "A", "ab", "aB", "b", "Z", "z10", "z9", "ø", "æ", "å", "aø", "a\u{7F}", "😀", "\u{2028}"]
        for a in keys {
            for b in keys {
                #expect(
                    JSONBytes.precedes(a, b) == Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)),
                    "\(a.debugDescription) before \(b.debugDescription)")
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
