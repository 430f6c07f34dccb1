import Testing

@testable import OTContract

/// ``JSONObjectWriter`` against JSON written out by hand: members in the byte order of their names, compact, strings
/// copied whole or escaped, integers at their extremes.
@Suite("An object written by its payload", .timeLimit(.minutes(2)))
struct JSONObjectWriterTests {
    static func text(_ write: (inout JSONObjectWriter) -> Void) -> String {
        var object = JSONObjectWriter()
        write(&object)
        return String(decoding: object.bytes(), as: UTF8.self)
    }

    @Test("members sorted by name; plain strings, integers and Booleans as they are")
    func plain() {
        #expect(Self.text { _ in } == "{}")
        let json = Self.text { object in
            object.string("zeta", "last")
            object.integer("min", Int.min)
            object.bool("b", true)
            object.integer("max", Int.max)
            object.string("a", "")
            object.bool("B", false)
            object.integer("zero", 0)
            object.integer("minusOne", -1)
            object.string("mixed", "æøå ø/€")
        }
        #expect(
            json == #"{"B":false,"a":"","b":true,"max":9223372036854775807,"min":-9223372036854775808,"#
                + #""minusOne":-1,"mixed":"æøå ø/€","zero":0,"zeta":"last"}"#)
    }

    @Test("a string that needs an escape is escaped, the others as they are")
    func escapes() {
        let json = Self.text { object in
            object.string("quote", "say \"hi\"")
            object.integer("n", 42)
            object.string("control", "a\tb\n\u{1}\\")
        }
        #expect(json == #"{"control":"a\tb\n\u0001\\","n":42,"quote":"say \"hi\""}"#)
    }
}
