import Foundation
import Testing

@testable import OTContract

/// The one-pass structured-mode decoder against the reference it replaced (every member parsed into a dictionary
/// of ``JSONValue``s, then validated), on valid envelopes and on many mutations of them: both must accept the same
/// events and reject the rest with the same error.
@Suite("CloudEvents structured decoding", .timeLimit(.minutes(2)))
struct CloudEventStructuredTests {
    static let seeds = [
        CloudEventTests.validJSON,
        #"{"specversion":"1.0","id":"5b0b6c1e-3d9e-4a43-8f57-5c0e2c2f0d11","source":"urn:benchmark","#
            + #""type":"no.ot.test.count","time":"2026-11-29T10:00:00.000Z","datacontenttype":"application/json","#
            + #""data":{}}"#,
        #"{ "i\u0064" : "e\u002d2", "specversion" : "1.0", "source":"urn:x", "type":"t", "time":"2026-01-01T00:00:00Z","#
            + #" "subject":null, "correlationid":"ø-1", "x-ext":[1,{"a":null}], "n":null,"#
            + #" "data":{"name":"Bjørn \"B\"","n":-1.5e3,"l":[true,false,null]} }"#,
        #"{"specversion":"1.0","id":"b-1","source":"urn:x","type":"t","time":"2026-01-01T00:00:00+01:00","#
            + #""datacontenttype":"application/vnd.ot+json; charset=utf-8","data_base64":"eyJhIjoxfQ=="}"#,
        #"{"specversion":"1.0","id":"n-1","source":"urn:x","type":"t","time":"2026-01-01T00:00:00Z","data":null}"#,
    ]

    /// Bytes a mutation inserts or writes: structure, escapes, digits, letters, control and non-ASCII bytes.
    static let alphabet: [UInt8] = Array(#"{}[]:,"\/ u0019aeEnlt.-+dZT"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xB8, 0xFF]

    @Test("valid envelopes decode as the reference decodes them")
    func seedsAgree() throws {
        for seed in Self.seeds {
            let bytes = Array(seed.utf8)
            let event = try CloudEvent(structuredJSON: bytes)
            #expect(try Self.reference(bytes) == event)
            #expect(try CloudEvent(structuredJSON: bytes[...]) == event)
            #expect(try CloudEvent(structuredJSON: Data(bytes)) == event, "the generic form")
        }
    }

    @Test("mutated envelopes are accepted or rejected as the reference does, with the same error")
    func mutationsAgree() {
        var random = SplitMix64(seed: 0x0715_2026)
        var accepted = 0
        var withMembers = 0
        for round in 0..<20_000 {
            let seed = Array(Self.seeds[round % Self.seeds.count].utf8)
            let mutated = Self.mutate(seed, count: 1 + Int(random.next() % 3), random: &random)
            let actual = Result { () throws(ContractError) in try CloudEvent(structuredJSON: mutated) }
            let expected = Result { () throws(ContractError) in try Self.reference(mutated) }
            if case .success = actual { accepted += 1 }
            guard actual == expected else {
                Issue.record("\(String(decoding: mutated, as: UTF8.self)): \(actual) but the reference \(expected)")
                return
            }
            if case .success(let event) = actual, let members = event.storedData.members {
                withMembers += 1
                guard members == Self.members(of: event.data ?? []) else {
                    Issue.record("\(String(decoding: mutated, as: UTF8.self)): data's members \(members)")
                    return
                }
            }
        }
        // Many mutations keep the envelope valid (a changed id, an added space): both paths are exercised.
        #expect(accepted > 1_000)
        #expect(withMembers > 500)
    }

    /// The members of the object `data` holds, read on their own as a payload's decoding reads them.
    static func members(of data: [UInt8]) -> JSONReader.ObjectMembers? {
        try? JSONReader.withReader(data) { (reader) throws(ContractError) in try reader.parseMembersDocument() }
    }

    @Test(
        "an envelope's data is read once: its members as the payload's decoding reads them, forgotten when it changes")
    func dataMembers() throws {
        let seed = try #require(Self.seeds.dropFirst(2).first)
        let event = try CloudEvent(structuredJSON: Array(seed.utf8))
        let members = try #require(event.storedData.members)
        #expect(members == Self.members(of: event.data ?? []))
        // The seed's data, hand-counted: a name with a non-ASCII value, a number and an array after it.
        #expect(members.members.map(\.name) == [.ascii(2..<6), .ascii(24..<25), .ascii(35..<36)])
        #expect(members.members.map(\.value) == [.string(.decoded(0)), .number(27..<33), .composite])
        #expect(members.decoded == ["Bjørn \"B\""])
        #expect(members.end == event.data?.count)
        // Data that is no object has none; neither has data set in code, or set anew.
        for data in [#""x""#, "[1]", "null", "7"] {
            let json = seed.replacingOccurrences(
                of: #"{"name":"Bjørn \"B\"","n":-1.5e3,"l":[true,false,null]}"#, with: data)
            #expect(try CloudEvent(structuredJSON: Array(json.utf8)).storedData.members == nil, "\(data)")
        }
        var changed = event
        changed.data = Array(#"{"n":1}"#.utf8)
        #expect(changed.storedData.members == nil)
        #expect(
            changed
                == CloudEvent(
                    id: event.id, source: event.source, type: event.type, time: event.time, subject: event.subject,
                    correlationID: event.correlationID, extensions: event.extensions, data: Array(#"{"n":1}"#.utf8)))
    }

    @Test("new event ids are distinct lowercase version-4 UUIDs")
    func newIDs() {
        let ids = (0..<20_000).map { _ in CloudEvent.newID() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(1_000) {
            let uuid = UUID(uuidString: id)
            #expect(uuid?.uuidString.lowercased() == id)
            let bytes = uuid.map { withUnsafeBytes(of: $0.uuid) { Array($0) } } ?? []
            #expect(bytes.count == 16 && bytes[6] >> 4 == 4 && bytes[8] >> 6 == 0b10, "\(id) is not version 4")
        }
        // The nibbles other than version and variant vary: all sixteen hex digits appear in each position.
        for position in [0, 9, 15, 20, 35] {
            let digits = Set(ids.map { $0.utf8[$0.utf8.index($0.utf8.startIndex, offsetBy: position)] })
            #expect(digits.count == 16, "position \(position)")
        }
    }

    @Test("a duplicate attribute is named, a known one even when escaped")
    func duplicates() {
        #expect(throws: ContractError.invalidAttribute("id", reason: "appears more than once")) {
            try CloudEvent(structuredJSON: Array(#"{"id":"a","\u0069d":"b"}"#.utf8))
        }
        #expect(throws: ContractError.invalidAttribute("x", reason: "appears more than once")) {
            try CloudEvent(structuredJSON: Array(#"{"x":null,"x":1}"#.utf8))
        }
    }

    static func mutate(_ bytes: [UInt8], count: Int, random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<count where !bytes.isEmpty {
            let position = Int(random.next() % UInt64(bytes.count))
            let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
            switch random.next() % 5 {
            case 0: bytes.remove(at: position)
            case 1: bytes.insert(byte, at: position)
            case 2: bytes[position] = byte
            case 3: bytes.removeSubrange(position...)
            default:
                // A member repeated: the bytes from one comma or brace to the next, copied after it.
                guard let start = bytes[position...].firstIndex(where: { $0 == UInt8(ascii: ",") }),
                    let end = bytes[(start + 1)...].firstIndex(where: { $0 == UInt8(ascii: ",") })
                else { continue }
                bytes.insert(contentsOf: bytes[start..<end], at: end)
            }
        }
        return bytes
    }

    /// The decoder as it was before the one-pass one: every member into a dictionary, then validated.
    static func reference(_ bytes: [UInt8]) throws(ContractError) -> CloudEvent {
        try JSONReader.withReader(bytes) { (reader) throws(ContractError) in
            var attributes: [String: JSONValue] = [:]
            var data: [UInt8]?
            var dataBase64: JSONValue?
            var seen: Set<String> = []
            try reader.readTopLevelObject { (reader, token) throws(ContractError) in
                let name = reader.string(token)
                guard seen.insert(name).inserted else {
                    throw .invalidAttribute(name, reason: "appears more than once")
                }
                switch name {
                case "data":
                    let start = reader.index
                    try reader.skipValue()
                    let raw = Array(reader.bytes(in: start..<reader.index))
                    data = raw.elementsEqual("null".utf8) ? nil : raw
                case "data_base64":
                    dataBase64 = try reader.parseValue()
                default:
                    attributes[name] = try reader.parseValue()
                }
            }
            func optionalString(_ name: String) throws(ContractError) -> String? {
                switch attributes[name] {
                case nil, .null?: return nil
                case .string(let value)?: return value
                case let other?:
                    throw .invalidAttribute(name, reason: "expected a string, found \(other.typeDescription)")
                }
            }
            func requiredString(_ name: String) throws(ContractError) -> String {
                guard let value = try optionalString(name) else { throw .missingAttribute(name) }
                guard !value.isEmpty else { throw .invalidAttribute(name, reason: "must not be empty") }
                return value
            }

            let specVersion = try requiredString("specversion")
            guard specVersion == CloudEvent.specVersion else { throw .unsupportedSpecVersion(specVersion) }
            let dataContentType = try optionalString("datacontenttype") ?? CloudEvent.jsonContentType
            try CloudEvent.checkJSONContentType(dataContentType)
            if let dataBase64, dataBase64 != .null {
                guard data == nil else { throw .invalidAttribute("data_base64", reason: "must not come with data") }
                guard case .string(let text) = dataBase64, let decoded = Data(base64Encoded: text) else {
                    throw .invalidAttribute("data_base64", reason: "expected a base64 string")
                }
                data = Array(decoded)
                try CloudEvent.checkJSONData(data)
            }
            var extensions: [String: JSONValue] = [:]
            for (name, value) in attributes where !CloudEvent.reservedAttributes.contains(name) && value != .null {
                extensions[name] = value
            }
            var event = CloudEvent(
                id: try requiredString("id"), source: try requiredString("source"), type: try requiredString("type"),
                dataContentType: dataContentType, subject: try optionalString("subject"),
                correlationID: try optionalString("correlationid"), extensions: extensions, data: data)
            try CloudEvent.checkSource(event.source)
            event.timeStamp = try CloudEvent.parseTime(try requiredString("time"))
            return event
        }
    }
}

/// A small deterministic generator, so that a failing mutation can be reproduced.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
