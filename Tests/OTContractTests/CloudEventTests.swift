import Foundation
import OTContract
import Testing

@Suite("CloudEvents envelope", .timeLimit(.minutes(2)))
struct CloudEventTests {
    static let validJSON = """
        {"specversion":"1.0","id":"e-1","source":"urn:vigo:admission","type":"no.vigo.application.missing",
         "time":"2026-03-02T08:30:00.123+01:00","datacontenttype":"application/json","correlationid":"c-7",
         "subject":"application","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
         "partitionkey":7,"replayed":true,
         "data":{"personId":"01820850056","schoolYear":"2026-2027","deadline":"2026-03-01"}}
        """

    static func structured(_ json: String) -> [(name: String, value: [UInt8]?)] {
        [(name: "content-type", value: Array("application/cloudevents+json".utf8))]
    }

    static func decode(_ json: String, headers: [(name: String, value: [UInt8]?)]? = nil) throws -> CloudEvent {
        try CloudEvent.decode(value: Array(json.utf8), headers: headers ?? structured(json))
    }

    /// The valid event with one attribute replaced (or removed, for `nil`).
    static func replacing(_ name: String, with value: String?) -> String {
        var object = (try? JSONValue(parsing: Array(validJSON.utf8)))?.objectValue ?? [:]
        object[name] = value.map { (try? JSONValue(parsing: Array($0.utf8))) ?? .null }
        return JSONValue.object(object).description
    }

    @Test("a structured event decodes with every attribute")
    func structuredDecode() throws {
        let event = try Self.decode(Self.validJSON)
        #expect(event.specversion == "1.0")
        #expect(event.id == "e-1")
        #expect(event.source == "urn:vigo:admission")
        #expect(event.type == "no.vigo.application.missing")
        #expect(event.timeStamp.rfc3339 == "2026-03-02T07:30:00.123Z")
        #expect(event.dataContentType == "application/json")
        #expect(event.subject == "application")
        #expect(event.correlationID == "c-7")
        #expect(
            event.data.map { String(decoding: $0, as: UTF8.self) }
                == #"{"personId":"01820850056","schoolYear":"2026-2027","deadline":"2026-03-01"}"#)
        let payload = try event.decodePayload(as: ApplicationMissing.self)
        #expect(payload.deadline == Samples.localDate("2026-03-01"))
    }

    @Test("unknown extension attributes are kept and written back")
    func unknownExtensions() throws {
        let event = try Self.decode(Self.validJSON)
        #expect(
            event.extensions == [
                "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "partitionkey": 7,
                "replayed": true,
            ])
        let again = try CloudEvent.decode(value: event.structuredJSON(), headers: CloudEvent.structuredHeaders)
        #expect(again == event)
        let text = String(decoding: event.structuredJSON(), as: UTF8.self)
        #expect(text.contains(#""partitionkey":7"#))
        #expect(text.contains(#""replayed":true"#))
    }

    @Test("structured JSON has the contract's attributes in a fixed order")
    func structuredOutput() throws {
        let event = CloudEvent(
            id: "e-1", source: "urn:ot:ot-registrations", type: "no.ot.youth.erased", time: Samples.time.date,
            correlationID: "c-1", extensions: ["zeta": "z", "alpha": 1], data: Array(#"{"a":"\u00e6/"}"#.utf8))
        #expect(
            String(decoding: event.structuredJSON(), as: UTF8.self)
                == #"{"specversion":"1.0","id":"e-1","source":"urn:ot:ot-registrations","type":"no.ot.youth.erased","#
                + #""time":"2026-03-02T09:10:00.123Z","datacontenttype":"application/json","correlationid":"c-1","#
                + #""alpha":1,"zeta":"z","data":{"a":"\u00e6/"}}"#)
        #expect(CloudEvent.structuredHeaders.first?.name == "content-type")
        #expect(CloudEvent.structuredHeaders.first?.value == Array("application/cloudevents+json".utf8))
    }

    @Test("structured JSON of an event without extensions: plain strings copied, escapes written, absent ones left out")
    func structuredOutputWithoutExtensions() throws {
        let plain = CloudEvent(
            id: "e-2", source: "urn:ot:ot-registrations", type: "no.ot.youth.registered", time: Samples.time.date,
            subject: "p-7", correlationID: "c-2", data: Array(#"{"b":[1,"æ"]}"#.utf8))
        #expect(
            String(decoding: plain.structuredJSON(), as: UTF8.self)
                == #"{"specversion":"1.0","id":"e-2","source":"urn:ot:ot-registrations","#
                + #""type":"no.ot.youth.registered","time":"2026-03-02T09:10:00.123Z","#
                + #""datacontenttype":"application/json","subject":"p-7","#
                + #""correlationid":"c-2","data":{"b":[1,"æ"]}}"#)
        let bare = CloudEvent(id: "e-3", source: "s", type: "t", time: Samples.time.date, data: nil)
        #expect(
            String(decoding: bare.structuredJSON(), as: UTF8.self)
                == #"{"specversion":"1.0","id":"e-3","source":"s","type":"t","time":"2026-03-02T09:10:00.123Z","#
                + #""datacontenttype":"application/json"}"#)
        // A quote, a backslash and a line break in the last attribute: nothing of the plain attempt is left over.
        let escaped = CloudEvent(
            id: "e-4", source: "s", type: "t", time: Samples.time.date, correlationID: "a\"b\\c\nd",
            data: Array("7".utf8))
        #expect(
            String(decoding: escaped.structuredJSON(), as: UTF8.self)
                == #"{"specversion":"1.0","id":"e-4","source":"s","type":"t","time":"2026-03-02T09:10:00.123Z","#
                + #""datacontenttype":"application/json","correlationid":"a\"b\\c\nd","data":7}"#)
        let again = try CloudEvent.decode(value: escaped.structuredJSON(), headers: CloudEvent.structuredHeaders)
        #expect(again == escaped)
    }

    @Test("a structured event without a content-type header is read from its specversion")
    func structuredWithoutHeader() throws {
        #expect(try Self.decode(Self.validJSON, headers: []).id == "e-1")
        let withParameters: [(name: String, value: [UInt8]?)] = [
            ("Content-Type", Array("application/cloudevents+json; charset=UTF-8".utf8))
        ]
        #expect(try Self.decode(Self.validJSON, headers: withParameters).id == "e-1")
    }

    @Test("a binary-mode event decodes from ce_ headers, with the value as data")
    func binaryDecode() throws {
        let data = #"{"personId":"01820850056","date":"2028-06-20","qualification":"FAGBREV"}"#
        let headers: [(name: String, value: [UInt8]?)] = [
            ("ce_specversion", Array("1.0".utf8)),
            ("ce_id", Array("b-1".utf8)),
            ("ce_source", Array("urn:vigo:exams".utf8)),
            ("ce_type", Array("no.vigo.education.completed".utf8)),
            ("ce_time", Array("2028-06-20T12:00:00Z".utf8)),
            ("ce_correlationid", Array("c-2".utf8)),
            ("ce_traceparent", Array("00-abc-def-01".utf8)),
            ("content-type", Array("application/json".utf8)),
            ("other-header", Array("ignored".utf8)),
        ]
        let event = try CloudEvent.decode(value: Array(data.utf8)[...], headers: headers)
        #expect(event.id == "b-1")
        #expect(event.source == "urn:vigo:exams")
        #expect(event.type == "no.vigo.education.completed")
        #expect(event.timeStamp.rfc3339 == "2028-06-20T12:00:00.000Z")
        #expect(event.correlationID == "c-2")
        #expect(event.dataContentType == "application/json")
        #expect(event.extensions == ["traceparent": "00-abc-def-01"])
        #expect(event.data == Array(data.utf8))
        guard case .educationCompleted(let completed) = try EnrollmentEvent(event) else {
            Issue.record("wrong case")
            return
        }
        #expect(completed.qualification == .fagbrev)

        // Without a content-type header the data is taken to be JSON.
        let noContentType = headers.filter { $0.name != "content-type" }
        #expect(
            try CloudEvent.decode(value: Array(data.utf8), headers: noContentType).dataContentType == "application/json"
        )
    }

    @Test(
        "a missing required attribute is named",
        arguments: ["specversion", "id", "source", "type", "time"]
    )
    func missingAttribute(name: String) {
        #expect(throws: ContractError.missingAttribute(name)) {
            try Self.decode(Self.replacing(name, with: nil))
        }
        #expect(throws: ContractError.missingAttribute(name)) {
            try Self.decode(Self.replacing(name, with: "null"))
        }
    }

    @Test(
        "an ill-typed attribute is named",
        arguments: [
            ("id", "5", ContractError.invalidAttribute("id", reason: "expected a string, found a number")),
            ("source", "{}", .invalidAttribute("source", reason: "expected a string, found an object")),
            ("type", "[]", .invalidAttribute("type", reason: "expected a string, found an array")),
            ("type", #""""#, .invalidAttribute("type", reason: "must not be empty")),
            ("subject", "true", .invalidAttribute("subject", reason: "expected a string, found a boolean")),
            ("correlationid", "12", .invalidAttribute("correlationid", reason: "expected a string, found a number")),
            ("source", #""urn:a b""#, .invalidAttribute("source", reason: "must be a URI reference without spaces")),
            (
                "time", #""2026-03-02 08:30""#,
                .invalidAttribute("time", reason: "'2026-03-02 08:30' is not an RFC 3339 timestamp")
            ),
            (
                "datacontenttype", #""text/plain""#,
                .invalidAttribute("datacontenttype", reason: "'text/plain' is not a JSON media type")
            ),
            ("specversion", #""0.3""#, .unsupportedSpecVersion("0.3")),
            ("specversion", "1.0", .invalidAttribute("specversion", reason: "expected a string, found a number")),
        ]
    )
    func invalidAttribute(name: String, json: String, expected: ContractError) {
        #expect(throws: expected) {
            try Self.decode(Self.replacing(name, with: json))
        }
    }

    @Test("binary mode names the missing or invalid attribute")
    func binaryErrors() throws {
        let complete: [(name: String, value: [UInt8]?)] = [
            ("ce_specversion", Array("1.0".utf8)), ("ce_id", Array("b-1".utf8)),
            ("ce_source", Array("urn:x".utf8)), ("ce_type", Array("t".utf8)),
            ("ce_time", Array("2026-01-01T00:00:00Z".utf8)),
        ]
        for name in ["id", "source", "type", "time"] {
            #expect(throws: ContractError.missingAttribute(name)) {
                try CloudEvent.decode(value: Array("{}".utf8), headers: complete.filter { $0.name != "ce_\(name)" })
            }
        }
        #expect(throws: ContractError.unsupportedSpecVersion("0.3")) {
            try CloudEvent.decode(
                value: Array("{}".utf8), headers: [("ce_specversion", Array("0.3".utf8))] + complete.dropFirst())
        }
        #expect(throws: ContractError.invalidAttribute("id", reason: "header ce_id has no value")) {
            try CloudEvent.decode(
                value: Array("{}".utf8), headers: complete.map { $0.name == "ce_id" ? ($0.name, nil) : $0 })
        }
        #expect(throws: ContractError.malformedJSON("data: unexpected end of input, expected '\"' at byte 9")) {
            try CloudEvent.decode(value: Array(#"{"a":"b","#.utf8) + [], headers: complete)
        }
        #expect(
            throws: ContractError.invalidAttribute(
                "datacontenttype", reason: "'application/xml' is not a JSON media type")
        ) {
            try CloudEvent.decode(
                value: Array("<a/>".utf8), headers: complete + [("content-type", Array("application/xml".utf8))])
        }
    }

    @Test("malformed JSON, duplicates and tombstones are rejected with the reason")
    func malformed() {
        #expect(throws: ContractError.malformedJSON("expected an object at the top level")) {
            try Self.decode("[1,2]")
        }
        #expect(throws: ContractError.malformedJSON("empty input")) {
            try Self.decode("")
        }
        #expect(throws: ContractError.malformedJSON("a structured-mode event needs a message value")) {
            try CloudEvent.decode(value: nil as [UInt8]?, headers: [])
        }
        #expect(throws: ContractError.invalidAttribute("id", reason: "appears more than once")) {
            try Self.decode(#"{"id":"a","id":"b"}"#)
        }
        #expect(throws: ContractError.malformedJSON("unexpected end of input, expected '\"' at byte 10")) {
            try Self.decode(#"{"id":"a","#)
        }
        #expect(throws: ContractError.malformedJSON("unexpected content after the JSON value at byte 8")) {
            try Self.decode(#"{"id":1}}"#)
        }
    }

    @Test("data may come as data_base64 and is then checked to be JSON")
    func dataBase64() throws {
        let base64 = Data(#"{"personId":"01820850056"}"#.utf8).base64EncodedString()
        let event = try Self.decode(Self.replacing("data", with: nil).dropLast() + #","data_base64":"\#(base64)"}"#)
        #expect(event.data == Array(#"{"personId":"01820850056"}"#.utf8))
        #expect(throws: ContractError.invalidAttribute("data_base64", reason: "expected a base64 string")) {
            try Self.decode(Self.replacing("data", with: nil).dropLast() + #","data_base64":"%%"}"#)
        }
    }

    @Test("an event without data, and typed decoding of the wrong type, are errors")
    func missingData() throws {
        let event = try Self.decode(Self.replacing("data", with: "null"))
        #expect(event.data == nil)
        #expect(throws: ContractError.missingAttribute("data")) {
            try event.decodePayload(as: ApplicationMissing.self)
        }
        #expect(
            throws: ContractError.unexpectedEventType(
                expected: "no.vigo.person.updated", actual: "no.vigo.application.missing")
        ) {
            try Self.decode(Self.validJSON).decodePayload(as: PersonUpdated.self)
        }
    }

    @Test("time is kept to the millisecond, so a round trip is exact")
    func timePrecision() throws {
        var event = try Self.decode(Self.validJSON)
        event.time = Date(timeIntervalSince1970: 1_772_442_600.123_456_7)
        #expect(event.timeStamp.millisecondsSince1970 == 1_772_442_600_123)
        let again = try CloudEvent.decode(value: event.structuredJSON(), headers: [])
        #expect(again.time == event.time)
    }

    @Test("dataJSON reads data without a schema")
    func dataJSON() throws {
        let event = try Self.decode(Self.validJSON)
        #expect(try event.dataJSON()["schoolYear"] == "2026-2027")
    }
}

extension JSONValue {
    fileprivate var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }
}
