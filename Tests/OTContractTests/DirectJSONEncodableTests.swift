import Foundation
import Testing

@testable import OTContract

/// The payloads that write their own members (``DirectJSONEncodable``) against Foundation's `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]`, whose bytes ``SortedJSONEncoder`` writes for every other payload.
@Suite("Payloads encoded without an Encoder", .timeLimit(.minutes(2)))
struct DirectJSONEncodableTests {
    static func foundation(_ payload: some Encodable) throws -> [UInt8] {
        try SortedJSONEncoderTests.reference(payload)
    }

    /// What the payload writes itself.
    static func direct(_ payload: some DirectJSONEncodable) -> [UInt8] {
        var object = JSONObjectWriter()
        payload.write(to: &object)
        return object.bytes()
    }

    /// Texts that need every kind of escape, and some that need none but are not ASCII.
    static let awkwardTexts = [
        "r-1", "", "a\"b", "back\\slash", "a/b", "line\nbreak\r\t", "\u{0}\u{1F}\u{7F}", "æøå", "😀", "e\u{301}",
    ]

    @Test("each payload writes the bytes Foundation writes, and ContractJSON takes that path")
    func sameBytes() throws {
        func check<P: EventPayload & DirectJSONEncodable>(_ payload: P) throws {
            let expected = try Self.foundation(payload)
            #expect(Self.direct(payload) == expected, "\(P.self)")
            #expect(try ContractJSON.encode(payload) == expected, "\(P.self)")
        }
        var payloads = 0
        for payload in DirectJSONDecodableTests.payloads {
            guard let payload = payload as? any EventPayload & DirectJSONEncodable else { continue }
            try check(payload)
            payloads += 1
        }
        // The six registration payloads (seven samples: one closed without a status code).
        #expect(payloads == 7)
    }

    @Test("free-text members with quotes, backslashes, control characters and other scripts: Foundation's escapes")
    func escapes() throws {
        for text in Self.awkwardTexts {
            var transferred = try #require(
                DirectJSONDecodableTests.payloads.compactMap { $0 as? YouthTransferred }.first)
            transferred.registrationId = text
            transferred.unitId = text + "u"
            transferred.fromUnitId = "f" + text
            transferred.toUnitId = text + text
            #expect(Self.direct(transferred) == (try Self.foundation(transferred)), "\(text.debugDescription)")
        }
    }

    @Test("names in UTF-8 byte order, whatever order they are given in; an absent optional left out")
    func order() throws {
        var object = JSONObjectWriter()
        object.integer("b", 2)
        object.string("ab", "x")
        object.bool("a", true)
        object.optional("c", Optional<LocalDate>.none)
        object.value("B", Samples.localDate("2026-03-02"))
        object.integer("aa", -7)
        #expect(
            String(decoding: object.bytes(), as: UTF8.self)
                == #"{"B":"2026-03-02","a":true,"aa":-7,"ab":"x","b":2}"#)
        #expect(JSONObjectWriter().bytes() == Array("{}".utf8))
    }
}
