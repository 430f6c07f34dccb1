import Foundation
import Testing

@testable import OTContract

/// The light payload decoder against Foundation's `JSONDecoder`, which it stands in for: the same value wherever it
/// decodes, and `nil` (Foundation decides, and gives the error) wherever it cannot be sure of that.
@Suite("Tree JSON decoder", .timeLimit(.minutes(2)))
struct TreeJSONDecoderTests {
    static func foundation<T: Decodable>(_ type: T.Type, _ json: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static func tree<T: Decodable>(_ type: T.Type, _ json: String) -> T? {
        TreeJSONDecoder.decode(T.self, from: Array(json.utf8))
    }

    /// Decodes a payload's own JSON with both decoders.
    static func both<P: EventPayload>(_ payload: P) throws -> (tree: P?, foundation: P) {
        let data = try #require(try CloudEvent(payload, source: "urn:test").data)
        return (TreeJSONDecoder.decode(P.self, from: data), try JSONDecoder().decode(P.self, from: Data(data)))
    }

    @Test("every payload type of the contract: the payload itself, as Foundation decodes it")
    func everyPayload() throws {
        for payload in Samples.all {
            #expect(try Self.agree(payload), "\(type(of: payload))")
        }
    }

    /// Whether the light decoder gives the payload back, as Foundation does.
    static func agree<P: EventPayload>(_ payload: P) throws -> Bool {
        let (tree, foundation) = try both(payload)
        return foundation == payload && tree == payload
    }

    struct Person: Decodable, Equatable {
        var name: String
        var age: Int
        var small: Int8?
        var tags: [String]
        var nested: [String: [Int]]?
        var flag: Bool?
    }

    @Test("what both decode, they decode alike: escapes, unknown members, nulls, a name given twice")
    func agreement() throws {
        let documents = [
            #"{"name":"Bjørn \"B\" \u00e6\ud83d\ude00\n","age":-0,"tags":[],"extra":{"deep":[1,2.5e3,null]}}"#,
            #" { "age" : 17 , "name" : "a/b" , "tags" : ["x","y"] , "small" : null , "nested" : {"b":[1],"a":[]} } "#,
            #"{"name":"first","age":1,"tags":[],"name":"second","age":2,"flag":true}"#,
            #"{"name":"","age":9223372036854775807,"tags":["\u0000"],"small":-128,"flag":false}"#,
        ]
        for json in documents {
            let foundation = try #require(Self.foundation(Person.self, json), "\(json)")
            #expect(Self.tree(Person.self, json) == foundation, "\(json)")
        }
        // Of a name given twice, the first counts.
        #expect(Self.tree(Person.self, documents[2])?.name == "first")
    }

    /// Keys that are not in Unicode's normal form C: the Kelvin sign, which Swift's `String` equality takes for the
    /// letter K, and a precomposed é.
    struct Kelvin: Decodable, Equatable {
        var kelvin: Int
        var cafe: Int?

        enum CodingKeys: String, CodingKey {
            case kelvin = "\u{212A}"
            case cafe = "caf\u{E9}"
        }
    }

    @Test("a name equal to the key as a Swift string but in other bytes is found as Foundation finds it")
    func namesEqualInOtherBytes() throws {
        let documents = [
            // Every name plain ASCII: the key, three bytes of UTF-8, equals the one-byte name.
            #"{"K":1}"#,
            #"{"cafe":0,"K":1}"#,
            // Names with escapes or beyond ASCII: an e with a combining accent equals the precomposed é.
            #"{"K":1,"cafe\u0301":2}"#,
            "{\"caf\u{E9}\":2,\"\u{212A}\":1}",
            // Given twice in other bytes: the first counts.
            #"{"\u212a":1,"K":3,"caf\u00e9":2,"cafe\u0301":4}"#,
        ]
        for json in documents {
            let foundation = try #require(Self.foundation(Kelvin.self, json), "\(json)")
            #expect(Self.tree(Kelvin.self, json) == foundation, "\(json)")
        }
        #expect(Self.tree(Kelvin.self, documents[4]) == Kelvin(kelvin: 1, cafe: 2))
    }

    @Test("left to Foundation: invalid documents, wrong types, integers written as decimals, floating-point numbers")
    func leftToFoundation() throws {
        let documents = [
            #"{"name":"x","age":1,"tags":[]"#,  // unterminated
            #"{"name":"x","age":1,"tags":[]} x"#,  // content after the value
            #"{"name":"x","age":"1","tags":[]}"#,  // a string for an integer
            #"{"name":"x","age":1.0,"tags":[]}"#,  // an integer Foundation reads from a decimal
            #"{"name":"x","age":1e2,"tags":[]}"#,
            #"{"name":"x","age":1,"small":200,"tags":[]}"#,  // out of range
            #"{"name":"x","tags":[]}"#,  // missing
            #"{"name":"\ud800","age":1,"tags":[]}"#,  // an unpaired surrogate
            #"{"name":null,"age":1,"tags":[]}"#,
        ]
        for json in documents {
            #expect(Self.tree(Person.self, json) == nil, "\(json)")
        }
        // A value written as a string (a date, a code), given as anything else: both refuse it.
        for json in [#"[20260801]"#, #"[{"date":"2026-08-01"}]"#, #"[["2026-08-01"]]"#, "[null]", "[true]"] {
            #expect(Self.tree([LocalDate].self, json) == nil, "\(json)")
            #expect(Self.foundation([LocalDate].self, json) == nil, "\(json)")
            #expect(Self.tree([County].self, json) == nil, "\(json)")
        }
        #expect(Self.tree([LocalDate].self, #"["2026-08-01"]"#) == [try LocalDate(year: 2026, month: 8, day: 1)])
        #expect(Self.tree([Float].self, "[0.5]") == nil)
        #expect(Self.tree([String: Date].self, #"{"a":0}"#) == nil)
        // Foundation refuses a number that is not zero but rounds to it, and one too large for a Double.
        #expect(Self.foundation([Double].self, "[1e-400]") == nil)
        #expect(Self.tree([Double].self, "[1e-400]") == nil)
        #expect(Self.tree([Double].self, "[1e400]") == nil)
        #expect(Self.foundation([Double].self, "[0e5]") == nil)
        #expect(Self.tree([Double].self, "[0e5]") == nil)
        #expect(Self.tree([Double].self, "[0e-5]") == nil)  // Foundation reads it as 0; it decides
    }

    @Test("counts by name ([String: Int]): as Foundation reads them, a name given twice and the wrong types too")
    func counts() throws {
        struct Table: Decodable, Equatable {
            var cells: [String: Int]
        }
        let agreeing = [
            #"{}"#,
            #"{"open":3,"Zebra":-7,"a/b":0,"\u00e6":9223372036854775807,"":-9223372036854775808}"#,
            #"{"open":1,"open":2}"#,
            #"{"open":1,"open":"two"}"#,  // the first counts; the second is never read
        ]
        for json in agreeing {
            let foundation = try #require(Self.foundation([String: Int].self, json), "\(json)")
            #expect(Self.tree([String: Int].self, json) == foundation, "\(json)")
            let nested = #"{"cells":\#(json)}"#
            #expect(Self.tree(Table.self, nested) == Self.foundation(Table.self, nested), "\(nested)")
        }
        #expect(Self.tree([String: Int].self, #"{"open":1,"open":2}"#) == ["open": 1])
        let refused = [
            #"[]"#, #"{"open":"1"}"#, #"{"open":null}"#, #"{"open":1.0}"#, #"{"open":1e2}"#,
            #"{"open":9223372036854775808}"#, #"{"open":1,"closed":true}"#,
        ]
        for json in refused {
            #expect(Self.tree([String: Int].self, json) == nil, "\(json)")
        }
    }

    /// A value that keeps the coding path it was decoded at.
    struct PathProbe: Decodable, Equatable {
        var path: [String]
        init(from decoder: any Decoder) throws {
            path = decoder.codingPath.map(\.stringValue)
            _ = try decoder.singleValueContainer().decode(Int.self)
        }
    }

    struct Paths: Decodable, Equatable {
        struct Inner: Decodable, Equatable { var probe: PathProbe }
        var top: PathProbe
        var inner: Inner
        var list: [PathProbe]
        var table: [String: [PathProbe]]
    }

    @Test("a value that decodes itself sees Foundation's coding path: members, elements, nesting")
    func codingPaths() throws {
        let json = #"{"top":1,"inner":{"probe":2},"list":[3,4],"table":{"k":[5]}}"#
        let foundation = try #require(Self.foundation(Paths.self, json))
        #expect(foundation.inner.probe.path == ["inner", "probe"])
        #expect(Self.tree(Paths.self, json) == foundation)
    }

    @Test("every fixed-width integer type reads its own range as digits, and nothing past it")
    func integers() {
        func check<I: FixedWidthInteger & Decodable>(_ type: I.Type) {
            let inRange = ["0", "\(I.min)", "\(I.max)", "7"]
            for text in inRange {
                #expect(Self.tree([I].self, "[\(text)]") == [I(text)!], "\(I.self) \(text)")
            }
            // One past either end, a fraction and a string: refused by both decoders.
            let past = ["\(Int128(I.max) + 1)", "\(Int128(I.min) - 1)", "1.5", #""1""#]
            for text in past {
                #expect(Self.foundation([I].self, "[\(text)]") == nil, "\(I.self) \(text)")
                #expect(Self.tree([I].self, "[\(text)]") == nil, "\(I.self) \(text)")
            }
        }
        check(Int.self)
        check(Int64.self)
        check(Int32.self)
        check(Int16.self)
        check(Int8.self)
        check(UInt.self)
        check(UInt64.self)
        check(UInt32.self)
        check(UInt16.self)
        check(UInt8.self)
    }

    /// A value that keeps the coding paths of its containers, nested ones too.
    struct ContainerPaths: Decodable, Equatable {
        var keyed: [String]
        var nested: [String]
        var unkeyed: [String]
        var nestedInUnkeyed: [String]
        enum CodingKeys: CodingKey { case a, b }
        enum Inner: CodingKey { case c }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            keyed = container.codingPath.map(\.stringValue)
            let inner = try container.nestedContainer(keyedBy: Inner.self, forKey: .a)
            nested = inner.codingPath.map(\.stringValue)
            var list = try container.nestedUnkeyedContainer(forKey: .b)
            unkeyed = list.codingPath.map(\.stringValue)
            let element = try list.nestedContainer(keyedBy: Inner.self)
            nestedInUnkeyed = element.codingPath.map(\.stringValue)
            _ = try inner.decode(Int.self, forKey: .c)
            _ = try element.decode(Int.self, forKey: .c)
        }
    }

    struct Outer: Decodable, Equatable { var outer: ContainerPaths }

    @Test("containers, nested ones too, see Foundation's coding path")
    func containerCodingPaths() throws {
        let json = #"{"outer":{"a":{"c":1},"b":[{"c":2}]}}"#
        let foundation = try #require(Self.foundation(Outer.self, json))
        #expect(foundation.outer.keyed == ["outer"])
        #expect(foundation.outer.nested == ["outer", "a"])
        #expect(foundation.outer.unkeyed == ["outer", "b"])
        #expect(foundation.outer.nestedInUnkeyed.count == 3)
        #expect(Self.tree(Outer.self, json) == foundation)
    }

    @Test("a Double is read as Foundation reads it: random numbers in every form JSON allows")
    func doubles() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = [
            "0", "-0", "0.0", "-0.0", "1", "0.1", "1e21", "1E+21", "1e-7", "5e-324", "1.7976931348623157e308",
        ]
        texts += ["123456789012345678901234567890", "0.30000000000000004", "9007199254740993", "0.1e1", "1e-320"]
        for _ in 0..<10_000 {
            texts.append(Double(bitPattern: generator.next() & 0xFFEF_FFFF_FFFF_FFFF).description)
            let digits = Int.random(in: 0...999_999, using: &generator)
            let fraction = Int.random(in: 0...99_999_999, using: &generator)
            texts.append("\(digits).\(fraction)e\(Int.random(in: -30...30, using: &generator))")
        }
        for text in texts {
            let foundation = try #require(Self.foundation([Double].self, "[\(text)]"), "\(text)")
            let tree = try #require(Self.tree([Double].self, "[\(text)]"), "\(text)")
            #expect(tree.map(\.bitPattern) == foundation.map(\.bitPattern), "\(text)")
        }
    }

    /// Decodes `value` when it is an integer and `0` otherwise, swallowing the error.
    struct Lenient: Decodable, Equatable {
        var value: Int
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            value = (try? container.decode(Int.self, forKey: .value)) ?? 0
        }
        enum CodingKeys: CodingKey { case value }
    }

    @Test("an error caught inside a value's own decoding still leaves the value to Foundation")
    func caughtError() throws {
        #expect(Self.tree(Lenient.self, #"{"value":5}"#)?.value == 5)
        // Foundation reads 5.0 as 5; the light decoder cannot, and must not answer 0.
        #expect(Self.foundation(Lenient.self, #"{"value":5.0}"#)?.value == 5)
        #expect(Self.tree(Lenient.self, #"{"value":5.0}"#) == nil)
    }

    @Test("a cloud event's payload decodes the same through decodePayload, errors named by Foundation's path")
    func decodePayload() throws {
        for payload in Samples.all {
            try Self.decodeThroughEvent(payload)
        }
        var event = try CloudEvent(Samples.all[0], source: "urn:test")
        event.data = Array(#"{"personId":"01820850056","birthDate":20080201}"#.utf8)
        #expect(throws: ContractError.self) { try event.decodePayload(as: PersonUpdated.self) }
        do {
            _ = try event.decodePayload(as: PersonUpdated.self)
        } catch {
            #expect("\(error)".contains("data.birthDate"), "\(error)")
        }
    }

    static func decodeThroughEvent<P: EventPayload>(_ payload: P) throws {
        let event = try CloudEvent(payload, source: "urn:test")
        #expect(try event.decodePayload(as: P.self) == payload)
    }
}
