import Foundation
import OTContract
import Testing

/// A payload encoded ahead of its event gives the event it would have given encoded on the spot, and is checked the
/// same way.
@Suite("Payloads encoded ahead of their event", .timeLimit(.minutes(2)))
struct EncodedPayloadTests {
    @Test("every payload type: the same data, and the same event, byte for byte")
    func sameEvent() throws {
        for payload in Samples.all {
            #expect(try Self.same(payload), "\(type(of: payload))")
        }
    }

    /// Whether the event made from `payload` encoded ahead is the one made from the payload itself, and its data
    /// reads back as the payload (as Foundation decodes it, so not through the encoder under test alone).
    static func same<P: EventPayload>(_ payload: P) throws -> Bool {
        let cause = CloudEvent(source: "urn:cause", type: "test.cause", correlationID: "c-7", data: nil)
        let encoded = try EncodedPayload(payload)
        let ahead = CloudEvent(encoded, id: "e-1", source: "urn:test", time: Samples.time.date, causedBy: cause)
        let onTheSpot = try CloudEvent(payload, id: "e-1", source: "urn:test", time: Samples.time.date, causedBy: cause)
        let readBack = try JSONDecoder().decode(P.self, from: Data(encoded.json))
        return ahead.structuredJSON() == onTheSpot.structuredJSON() && readBack == payload
            && ahead.correlationID == "c-7" && encoded.payload == payload
    }

    @Test("a payload that breaks its rules is refused when it is encoded, with the field's path")
    func checked() {
        #expect(throws: ContractError.invalidField("data.statusGroup", reason: "is 3 but OTUK is in group 1")) {
            try EncodedPayload(Samples.registeredInWrongGroup)
        }
    }
}
