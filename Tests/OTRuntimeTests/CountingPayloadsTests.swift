import Foundation
import OTRuntimeTesting
import Testing

@testable import OTContract

/// The counting handler's payloads read and write their own members (``DirectJSONDecodable``,
/// ``DirectJSONEncodable``), as the services' busiest payloads do: the same bytes as Foundation's `JSONEncoder` with
/// sorted keys, and the same values as its `JSONDecoder` (or the same refusal) for every document.
@Suite("The counting handler's payloads without an Encoder or a Decoder", .timeLimit(.minutes(2)))
struct CountingPayloadsTests {
    static let foundationEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Texts that need escapes, and some that need none but are not ASCII.
    static let texts = ["k-1", "", "a\"b", "back\\slash", "a/b", "line\nbreak", "\u{1F}", "æøå", "😀"]

    static func direct(_ payload: some DirectJSONEncodable) -> [UInt8] {
        var object = JSONObjectWriter()
        payload.write(to: &object)
        return object.bytes()
    }

    @Test("Count and Counted write Foundation's bytes, and ContractJSON takes that path")
    func sameBytes() throws {
        var counts = [Count(), Count(fail: "permanent")]
        var counteds: [Counted] = []
        for text in Self.texts {
            counts.append(Count(fail: text))
            counteds.append(Counted(key: text, count: text.count - 3, inputID: "id-" + text))
        }
        for count in counts {
            let expected = Array(try Self.foundationEncoder.encode(count))
            #expect(Self.direct(count) == expected, "\(count)")
            #expect(try ContractJSON.encode(count) == expected, "\(count)")
        }
        for counted in counteds {
            let expected = Array(try Self.foundationEncoder.encode(counted))
            #expect(Self.direct(counted) == expected, "\(counted)")
            #expect(try ContractJSON.encode(counted) == expected, "\(counted)")
        }
    }

    /// Reads `json` through the payload's own reader, and through Foundation's decoder.
    static func both<P: Decodable & DirectJSONDecodable>(_ type: P.Type, _ json: String) -> (direct: P?, foundation: P?)
    {
        let bytes = Array(json.utf8)
        return (JSONObjectFields.reading(bytes, P.init(fields:)), try? JSONDecoder().decode(P.self, from: Data(bytes)))
    }

    @Test("Count reads what Foundation reads, and gives up where Foundation throws")
    func countReads() throws {
        let decoded: [(json: String, fail: String??)] = [
            ("{}", .some(nil)),
            (#"{"fail":null}"#, .some(nil)),
            (#"{"fail":"permanent"}"#, "permanent"),
            (#"{"other":1,"fail":"a\"b\u00e6"}"#, "a\"bæ"),
            (#"{"fail":5}"#, nil),
            (#"{"fail":["transient"]}"#, nil),
            ("[]", nil),
        ]
        for (json, fail) in decoded {
            let (direct, foundation) = Self.both(Count.self, json)
            #expect(direct.map(\.fail) == fail, "\(json)")
            #expect(foundation.map(\.fail) == fail, "\(json)")
        }
    }

    @Test("Counted reads what Foundation reads, and gives up where Foundation throws")
    func countedReads() throws {
        let valid = #"{"count":42,"inputID":"e-1","key":"k\n1"}"#
        let (direct, foundation) = Self.both(Counted.self, valid)
        #expect(direct?.key == "k\n1" && direct?.count == 42 && direct?.inputID == "e-1")
        #expect(foundation?.key == direct?.key && foundation?.count == direct?.count)
        for json in [
            #"{"count":"42","inputID":"e-1","key":"k"}"#, #"{"count":1.5,"inputID":"e-1","key":"k"}"#,
            #"{"count":42,"key":"k"}"#, #"{"count":42,"inputID":null,"key":"k"}"#,
        ] {
            let (direct, foundation) = Self.both(Counted.self, json)
            #expect(direct == nil, "\(json)")
            #expect(foundation == nil, "\(json)")
        }
    }

    @Test("an event's payload read through decodePayload: the value, or the decoders' error naming the field")
    func throughTheEnvelope() throws {
        let event = try CloudEvent(Counted(key: "k", count: 7, inputID: "e-1"), id: "x-1", source: "/test")
        let counted = try event.decodePayload(as: Counted.self)
        #expect(counted.key == "k" && counted.count == 7 && counted.inputID == "e-1")
        let wrong = CloudEvent(
            id: "x-2", source: "/test", type: Count.eventType, data: Array(#"{"fail":5}"#.utf8))
        #expect(throws: ContractError.self) { try wrong.decodePayload(as: Count.self) }
    }
}
