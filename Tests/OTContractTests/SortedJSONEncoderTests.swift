import Foundation
import Testing

@testable import OTContract

/// The payload encoder against Foundation's `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`, the encoder
/// it stands in for: the same bytes for every payload type, and for shapes no payload has yet (keys that sort
/// differently by bytes than by letters, escapes, nesting, a key encoded twice, random numbers). A value it leaves to
/// Foundation (a `Float`, a `Date`) must come back as `nil`, never as other bytes.
@Suite("Sorted JSON encoder", .timeLimit(.minutes(2)))
struct SortedJSONEncoderTests {
    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func reference(_ value: some Encodable) throws -> [UInt8] { Array(try foundation.encode(value)) }

    @Test("every payload type of the contract: Foundation's bytes")
    func everyPayload() throws {
        for payload in Samples.all {
            let mine = try SortedJSONEncoder.encode(payload)
            #expect(mine == (try Self.reference(payload)), "\(type(of: payload))")
        }
    }

    @Test("a cloud event's data is Foundation's bytes, whichever encoder wrote them")
    func cloudEventData() throws {
        for payload in Samples.all {
            let event = try CloudEvent(payload, source: "urn:test")
            #expect(event.data == (try Self.reference(payload)), "\(type(of: payload))")
        }
    }

    struct Shapes: Encodable {
        struct Empty: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }

        enum Keys: String, CodingKey {
            case closedAt, closeStatus, zebra = "Zebra", z10, z9, text, empty, nested, list, nothing, twice, small
            case large, unsigned, flag, nestedList
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("2026-07-31", forKey: .closedAt)
            try container.encode("OTFA_IM", forKey: .closeStatus)
            try container.encode(1, forKey: .zebra)
            try container.encode(10, forKey: .z10)
            try container.encode(9, forKey: .z9)
            try container.encode("a/b \"q\" \\ \n\r\t\u{8}\u{c}\u{1}\u{1f} ø \u{7f} \u{2028} 😀", forKey: .text)
            try container.encode(Empty(), forKey: .empty)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            try nested.encode(true, forKey: .flag)
            try nested.encodeNil(forKey: .nothing)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode("x")
            try list.encodeNil()
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encode(Int8.min, forKey: .small)
            var innerList = list.nestedUnkeyedContainer()
            try innerList.encode(UInt64.max)
            try container.encode(Int64.min, forKey: .large)
            try container.encode(UInt8.max, forKey: .unsigned)
            try container.encode(["b": [1, 2], "a": []], forKey: .nestedList)
            try container.encode("first", forKey: .twice)
            try container.encode("second", forKey: .twice)
            try container.encodeIfPresent(nil as String?, forKey: .nothing)
        }
    }

    @Test("keys in UTF-8 byte order, escapes, nesting, extremes, a key encoded twice: Foundation's bytes")
    func shapes() throws {
        let mine = try #require(try SortedJSONEncoder.encode(Shapes()))
        #expect(mine == (try Self.reference(Shapes())))
        let text = String(decoding: mine, as: UTF8.self)
        // By bytes, not by letters: an upper-case letter sorts before every lower-case one.
        #expect(text.hasPrefix(#"{"Zebra":1,"closeStatus":"OTFA_IM","closedAt":"2026-07-31","#))
        #expect(text.contains(#""twice":"second""#))
    }

    @Test("counts by name ([String: Int], and [String: Int?] with nulls), alone and as members: Foundation's bytes")
    func counts() throws {
        struct Table: Encodable {
            var cells: [String: Int]
            var published: [String: Int?]
        }
        var generator = SystemRandomNumberGenerator()
        let names = ["open", "Zebra", "byStatusCode.OTUK", "æ", "a/b", "\"q\"", "", "z"]
        for _ in 0..<200 {
            var cells: [String: Int] = [:]
            var published: [String: Int?] = [:]
            for name in names.shuffled(using: &generator).prefix(Int.random(in: 0...names.count, using: &generator)) {
                cells[name] = Int.random(in: Int.min...Int.max, using: &generator)
                published[name] = Bool.random(using: &generator) ? nil : Int.random(in: -5...5, using: &generator)
            }
            #expect(try SortedJSONEncoder.encode(cells) == (try Self.reference(cells)), "\(cells)")
            #expect(try SortedJSONEncoder.encode(published) == (try Self.reference(published)), "\(published)")
            let table = Table(cells: cells, published: published)
            #expect(try SortedJSONEncoder.encode(table) == (try Self.reference(table)))
        }
        #expect(
            String(
                decoding: try #require(try SortedJSONEncoder.encode(["b": nil, "a": 1] as [String: Int?])),
                as: UTF8.self) == #"{"a":1,"b":null}"#)
    }

    /// A value that writes the coding path it is encoded at.
    struct PathProbe: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(encoder.codingPath.map(\.stringValue).joined(separator: "/"))
        }
    }

    struct Paths: Encodable {
        struct Inner: Encodable { var probe = PathProbe() }
        var top = PathProbe()
        var inner = Inner()
        var list = [PathProbe(), PathProbe()]
        var table = ["k": [PathProbe()]]
    }

    @Test("a value that encodes itself sees Foundation's coding path: members, elements, nesting")
    func codingPaths() throws {
        let mine = try #require(try SortedJSONEncoder.encode(Paths()))
        #expect(mine == (try Self.reference(Paths())))
        #expect(String(decoding: mine, as: UTF8.self).contains(#""inner":{"probe":"inner/probe"}"#))
    }

    @Test("a Double is written as Foundation writes it: random bit patterns, fractions, integers, extremes")
    func doubles() throws {
        var generator = SystemRandomNumberGenerator()
        var numbers: [Double] = [0, -0.0, 1, 2, 0.1, 1.5, 1e21, 1e22, 1e-7, 5e-324, .greatestFiniteMagnitude, 1e16]
        for _ in 0..<20_000 {
            // Every finite bit pattern: any sign, exponent below the all-ones one (infinity, NaN).
            numbers.append(Double(bitPattern: generator.next() & 0xFFEF_FFFF_FFFF_FFFF))
            numbers.append(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 100)
        }
        for number in numbers {
            let mine = try #require(try SortedJSONEncoder.encode(["n": number]), "\(number)")
            #expect(mine == (try Self.reference(["n": number])), "\(number)")
        }
    }

    @Test("left to Foundation: Float, a non-finite Double, Date; anything else is not")
    func leftToFoundation() throws {
        #expect(try SortedJSONEncoder.encode(["share": Float(0.5)]) == nil)
        #expect(try SortedJSONEncoder.encode([Double.infinity]) == nil)
        #expect(try SortedJSONEncoder.encode(["when": Date(timeIntervalSince1970: 0)]) == nil)
        #expect(try SortedJSONEncoder.encode(["n": 1]) == Array(#"{"n":1}"#.utf8))
        #expect(try SortedJSONEncoder.encode(["n": 2.0]) == Array(#"{"n":2}"#.utf8))
    }
}
