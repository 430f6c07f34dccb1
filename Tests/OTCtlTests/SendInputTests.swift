import Foundation
import OTContract
import Testing

@testable import OTCtl

@Suite("otctl send: reading and checking the input", .timeLimit(.minutes(2)))
struct SendInputTests {
    static let person = "01820850056"
    static let topic = Topic.registrationCommands.name
    static let setStatus = #"{"personId":"01820850056","statusCode":"OTOV","effectiveDate":"2026-03-10"}"#
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// Ids handed out in order, so that tests can name them.
    final class Ids: @unchecked Sendable {
        private var next = 0
        func make() -> String {
            next += 1
            return "id-\(next)"
        }
    }

    static func parse(
        _ json: String, topic: String = topic, type: String? = nil, key: String? = nil, correlationID: String? = nil
    ) throws -> SendInput {
        let ids = Ids()
        return try SendInput.parse(
            Array(json.utf8), topic: topic, type: type, key: key, correlationID: correlationID, now: now,
            newID: ids.make)
    }

    @Test("a payload with --type is wrapped in a new event: new id, source urn:ot:otctl, a new correlation id")
    func wrapsPayload() throws {
        let input = try Self.parse("  \n" + Self.setStatus + "\n", type: SetStatus.eventType)
        #expect(input.event.id == "id-1")
        #expect(input.event.correlationID == "id-2")
        #expect(input.addedCorrelationID)
        #expect(input.event.source == "urn:ot:otctl")
        #expect(input.event.type == "no.ot.status.set")
        #expect(input.event.time == Self.now)
        #expect(input.key == Self.person)
        let payload = try #require(input.payload as? SetStatus)
        #expect(payload.statusCode == .otov)
        #expect(input.message.topic == Self.topic)
        #expect(input.message.key == Array(Self.person.utf8))
        #expect(input.message.headers.first?.stringValue == CloudEvent.structuredContentType)
    }

    @Test("a given correlation id is kept, and events on topics that are not commands get none")
    func correlation() throws {
        let input = try Self.parse(Self.setStatus, type: SetStatus.eventType, correlationID: "case-42")
        #expect(input.event.correlationID == "case-42" && !input.addedCorrelationID)
        let upstream = try Self.parse(
            #"{"personId":"01820850056","schoolYear":"2026-2027","deadline":"2026-03-01"}"#,
            topic: Topic.enrollment.name, type: ApplicationMissing.eventType)
        #expect(upstream.event.correlationID == nil)
    }

    @Test("a whole structured CloudEvent is sent as it is; a command without a correlation id gets one")
    func wholeEvent() throws {
        let event = try CloudEvent(
            SetStatus(personId: NationalID(Self.person), statusCode: .otoa, effectiveDate: LocalDate("2026-04-01")),
            id: "given", source: "urn:front-end", time: Self.now)
        let input = try Self.parse(String(decoding: event.structuredJSON(), as: UTF8.self))
        #expect(input.event.id == "given" && input.event.source == "urn:front-end")
        #expect(input.event.correlationID == "id-1" && input.addedCorrelationID)
        var correlated = event
        correlated.correlationID = "kept"
        let kept = try Self.parse(String(decoding: correlated.structuredJSON(), as: UTF8.self))
        #expect(kept.event.correlationID == "kept" && !kept.addedCorrelationID)
    }

    @Test(
        "invalid input is refused with the contract's precise error",
        arguments: [
            (
                #"{"personId":"01820850056","statusCode":"OTXX","effectiveDate":"2026-03-10"}"#, "no.ot.status.set",
                "invalid no.ot.status.set for ot.registrations.commands.v1: invalid field data.statusCode: "
                    + "unknown OT status code 'OTXX'"
            ),
            (
                #"{"personId":"01820850056","statusCode":"OTVF","effectiveDate":"2015-09-01"}"#, "no.ot.status.set",
                "invalid field data.statusCode: OT status code 'OTVF' is not valid on 2015-09-01"
            ),
            (
                #"{"personId":"01820850056","statusCode":"OTOV"}"#, "no.ot.status.set",
                "missing field data.effectiveDate"
            ),
            (
                Self.setStatus, "no.ot.status.sett",
                "unknown event type 'no.ot.status.sett' for topic ot.registrations.commands.v1"
            ),
            (
                #"{"personId":"01820850057","statusCode":"OTOV","effectiveDate":"2026-03-10"}"#, "no.ot.status.set",
                "invalid national ID: 018208*****: second check digit (K2) does not match"
            ),
            (#"{"personId": "01820850056", "statusCode": }"#, "no.ot.status.set", "invalid input: malformed JSON"),
            ("[1, 2]", "no.ot.status.set", "the input must be a JSON object"),
            ("", "no.ot.status.set", "no input: give --file, or pipe the JSON to standard input"),
        ])
    func refused(json: String, type: String, expected: String) {
        #expect {
            try Self.parse(json, type: type)
        } throws: { error in
            let message = "\(error)"
            return message.contains(expected) && !message.contains("01820850057") && !message.contains(Self.person)
        }
    }

    @Test(
        "a payload without --type, a CloudEvent with it, another topic's key, or a topic outside the contract is refused",
        arguments: [
            (Self.setStatus, nil, nil, topic, "it has no specversion): give --type"),
            (
                #"{"specversion":"1.0","id":"x","source":"s","type":"no.ot.status.set","time":"2026-03-10T10:00:00Z"}"#,
                "no.ot.status.set", nil, topic, "leave out --type"
            ),
            (Self.setStatus, "no.ot.status.set", "01010112345", topic, "--key must be the payload's personId"),
            (Self.setStatus, "no.ot.status.set", nil, "ot-registrations.dlq.v1", "only to the contract's topics"),
        ] as [(String, String?, String?, String, String)])
    func misuse(json: String, type: String?, key: String?, topic: String, expected: String) {
        #expect {
            try Self.parse(json, topic: topic, type: type, key: key)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("a whole CloudEvent with an invalid attribute is refused with the attribute named")
    func invalidEnvelope() {
        let json = #"{"specversion":"1.0","id":"x","source":"s","type":"no.ot.status.set","time":"yesterday"}"#
        #expect {
            try Self.parse(json)
        } throws: { error in
            "\(error)".contains("invalid CloudEvent: invalid CloudEvents attribute 'time'")
        }
    }

    @Test("the key of a statistics record is its key; a command reply's is the correlation id")
    func otherKeys() throws {
        let reply = try Self.parse(
            #"{"commandId":"c-1","commandType":"no.ot.status.set","status":"ACCEPTED"}"#, topic: Topic.replies.name,
            type: CommandReply.eventType, correlationID: "corr-9")
        #expect(reply.key == "corr-9")
    }
}
