import Foundation
import Testing

@testable import OTContract

/// The JSON Schemas of docs/contract/ checked by an implementation of JSON Schema that is not ours: Python's
/// `jsonschema`, through docs/contract/validate.py (the script other teams use). Every example must pass, broken
/// events must fail, and on thousands of variants of the examples the schemas must agree with the Swift contract.
@Suite("docs/contract schemas, checked by Python's jsonschema", .timeLimit(.minutes(2)))
struct ContractSchemaTests {
    static let eventTypeCount = ContractTopic.all.flatMap(\.eventTypes).count

    @Test("every schema is a valid JSON Schema 2020-12")
    func schemasAreValid() async throws {
        let run = try await ContractFolder.validate(["--check-schemas"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.lines.count == Self.eventTypeCount)
        #expect(run.lines.allSatisfy { $0.hasSuffix(".json: ok schema") }, "\(run.output)")
    }

    @Test("every example validates against its schema")
    func examplesValidate() async throws {
        let files = ContractFolder.files(in: "examples")
        #expect(files.count == Self.eventTypeCount)
        let run = try await ContractFolder.validate(files)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.lines.count == files.count, "\(run.output)")
        for (file, line) in zip(files, run.lines) {
            let type = file.dropFirst("examples/".count).dropLast(".json".count)
            #expect(line.hasPrefix("\(file): ok \(type) "), "\(line)")
        }
    }

    @Test("a broken event fails the schema and the Swift contract, each saying why", arguments: BrokenEvent.all)
    func broken(event: BrokenEvent) async throws {
        let folder = try ContractFolder.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try event.bytes()
        let file = folder.appendingPathComponent("broken.json")
        try Data(bytes).write(to: file)

        let run = try await ContractFolder.validate([file.path])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.lines.count == 1)
        #expect(run.output.hasPrefix("\(file.path): invalid: \(event.schemaReason)"), "\(run.output)")

        #expect {
            try ContractTopic.validate(CloudEvent(structuredJSON: bytes))
        } throws: { error in
            "\(error)".contains(event.swiftReason)
        }
    }

    @Test("an event checked against another type's schema fails on its type")
    func wrongSchema() async throws {
        // A person.updated event in all but its type: only the type is wrong for the person.updated schema.
        let path = try BrokenEvent(
            name: "", type: PersonUpdated.eventType, change: { $0["type"] = .string(ApplicationMissing.eventType) },
            schemaReason: "", swiftReason: ""
        ).write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = ContractFolder.url.appendingPathComponent(
            ContractDocuments.schemaPath(of: PersonUpdated.eventType))
        let run = try await ContractFolder.validate(["--schema", schema.path, path])
        #expect(run.status == 1)
        #expect(run.output == "\(path): invalid: type: 'no.vigo.person.updated' was expected\n", "\(run.output)")
    }

    @Test("a national ID's check digits are left to the Swift contract, whose error masks the number")
    func checkDigits() async throws {
        let path = try BrokenEvent.checkDigit.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try await ContractFolder.validate([path])
        #expect(run.status == 0 && run.output.hasPrefix("\(path): ok no.vigo.person.updated "), "\(run.output)")
        #expect {
            try ContractTopic.validate(CloudEvent(structuredJSON: BrokenEvent.checkDigit.bytes()))
        } throws: { error in
            "\(error)"
                == "invalid field data.personId: invalid national ID: 018208*****: second check digit (K2) does not match"
        }
    }

    @Test("national IDs in the validator's output are masked")
    func masking() async throws {
        let path = try BrokenEvent.nationalIDAsCounty.write()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try await ContractFolder.validate([path])
        #expect(run.status == 1)
        #expect(run.output.contains("data.countyNumber: '018208*****' is not one of"), "\(run.output)")
        #expect(!run.output.contains("01820850056"), "\(run.output)")
    }

    /// Each example altered in one place at a time: every attribute and every field at any depth removed, or made a
    /// string (`"X?"`), a number (`7`) or `null`. The schema must take a variant exactly when the Swift contract does:
    /// the envelope as ``ContractTopic/validate(_:)-swift.method`` checks it, the data as its payload type decodes
    /// (rules across fields, which a schema cannot express, are left out).
    @Test("the schemas accept exactly what the Swift contract decodes, on every one-place change of every example")
    func agreesWithSwift() async throws {
        var variants: [Variant] = []
        for event in try ContractExamples.all() {
            variants += Variant.all(of: try JSONValue(parsing: event.structuredJSON()), type: event.type)
        }
        let folder = try ContractFolder.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("variants.jsonl")
        let lines = variants.map { String(decoding: JSONWriter.bytes(of: $0.json), as: UTF8.self) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)

        let run = try await ContractFolder.validate([file.path])
        let verdicts = run.lines.filter { $0.contains(": ok ") || $0.contains(": invalid: ") }
        try #require(verdicts.count == variants.count, "one line per variant: \(run.output.prefix(2000))")

        var disagreements: [String] = []
        var rejected = 0
        for (index, (variant, verdict)) in zip(variants, verdicts).enumerated() {
            let schemaAccepts = verdict.hasPrefix("\(file.path):\(index + 1): ok ")
            let swiftAccepts = variant.swiftAccepts()
            if !swiftAccepts { rejected += 1 }
            if schemaAccepts != swiftAccepts {
                disagreements.append(
                    "\(variant.type) \(variant.change): Swift \(swiftAccepts ? "accepts" : "rejects"), schema: \(verdict)"
                )
            }
        }
        #expect(variants.count > 1000)
        #expect(rejected > variants.count / 3, "most changes break something")
        #expect(
            disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.joined(separator: "\n"))")
    }
}

/// A broken example: an example changed so that it is invalid, and what each validator says about it.
struct BrokenEvent: Sendable, CustomTestStringConvertible {
    let name: String
    let type: String
    let change: @Sendable (inout [String: JSONValue]) -> Void
    /// The start of the schema validator's reason (after the location).
    let schemaReason: String
    /// Text in the Swift contract's error.
    let swiftReason: String

    var testDescription: String { name }

    func bytes() throws -> [UInt8] {
        let event = try #require(try ContractExamples.event(of: type))
        guard case .object(var members) = try JSONValue(parsing: event.structuredJSON()) else { return [] }
        change(&members)
        return JSONWriter.bytes(of: .object(members))
    }

    /// Writes the event to a temporary file and gives its path.
    func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ot-broken-\(ContractFolder.uniqueName()).json")
        try Data(try bytes()).write(to: path)
        return path.path
    }

    static func data(_ change: @escaping @Sendable (inout [String: JSONValue]) -> Void)
        -> @Sendable (inout [String: JSONValue]) -> Void
    {
        { members in
            guard case .object(var data)? = members["data"] else { return }
            change(&data)
            members["data"] = .object(data)
        }
    }

    /// A national ID of the right form whose second check digit is wrong: only the Swift contract sees it.
    static let checkDigit = BrokenEvent(
        name: "a national ID with a wrong check digit", type: PersonUpdated.eventType,
        change: data { $0["personId"] = "01820850057" }, schemaReason: "", swiftReason: "018208*****")

    /// A national ID where a county number belongs: the schema's error quotes it.
    static let nationalIDAsCounty = BrokenEvent(
        name: "a national ID as the county", type: PersonUpdated.eventType,
        change: data { $0["countyNumber"] = "01820850056" }, schemaReason: "", swiftReason: "")

    static let all: [BrokenEvent] = [
        BrokenEvent(
            name: "a required field missing", type: PersonUpdated.eventType, change: data { $0["personId"] = nil },
            schemaReason: "data: 'personId' is a required property", swiftReason: "missing field data.personId"),
        BrokenEvent(
            name: "a required field of a nested object missing", type: ApplicationSubmitted.eventType,
            change: data { data in
                guard case .array(var choices)? = data["choices"], case .object(var first) = choices[0] else { return }
                first["schoolOrgNumber"] = nil
                choices[0] = .object(first)
                data["choices"] = .array(choices)
            },
            schemaReason: "data.choices[0]: 'schoolOrgNumber' is a required property",
            swiftReason: "missing field data.choices[0].schoolOrgNumber"),
        BrokenEvent(
            name: "a code not in its code list (B06)", type: EnrollmentDroppedOut.eventType,
            change: data { $0["reasonCode"] = "XX" }, schemaReason: "data.reasonCode: 'XX' is not one of",
            swiftReason: "invalid field data.reasonCode: unknown B06 dropout reason 'XX'"),
        BrokenEvent(
            name: "an unknown OT status code", type: SetStatus.eventType, change: data { $0["statusCode"] = "OTXX" },
            schemaReason: "data.statusCode: 'OTXX' is not one of",
            swiftReason: "invalid field data.statusCode: unknown OT status code 'OTXX'"),
        BrokenEvent(
            name: "a national ID of 10 digits", type: PersonUpdated.eventType,
            change: data { $0["personId"] = "0182085005" }, schemaReason: "data.personId: '0182085005' does not match",
            swiftReason: "invalid field data.personId: invalid national ID: must be 11 digits"),
        BrokenEvent(
            name: "a national ID with a letter", type: SchoolHistoryRequest.eventType,
            change: data { $0["personId"] = "0182085005A" },
            schemaReason: "data.personId: '0182085005A' does not match",
            swiftReason: "invalid national ID: must be 11 digits, found a non-digit"),
        BrokenEvent(
            name: "a date that is not YYYY-MM-DD", type: PersonUpdated.eventType,
            change: data { $0["birthDate"] = "01.02.2008" }, schemaReason: "data.birthDate: '01.02.2008' ",
            swiftReason: "invalid field data.birthDate"),
        BrokenEvent(
            name: "a type the contract does not have", type: PersonUpdated.eventType,
            change: { $0["type"] = "no.vigo.person.update" },
            schemaReason: "type: no.vigo.person.update is not an event type of the contract",
            swiftReason: "'no.vigo.person.update' is not an event type of the contract"),
        BrokenEvent(
            name: "another type's data under a type", type: PersonUpdated.eventType,
            change: { $0["type"] = .string(ApplicationMissing.eventType) },
            schemaReason: "data: 'schoolYear' is a required property", swiftReason: "missing field data.schoolYear"),
        BrokenEvent(
            name: "a command without its actor", type: SetStatus.eventType, change: { $0["actorid"] = nil },
            schemaReason: "the event: 'actorid' is a required property",
            swiftReason: "missing CloudEvents attribute 'actorid'"),
        BrokenEvent(
            name: "an actor of an unknown role", type: RegisterYouth.eventType, change: { $0["actorrole"] = "BOSS" },
            schemaReason: "actorrole: 'BOSS' is not one of", swiftReason: "not ADVISER or ADMINISTRATOR"),
        BrokenEvent(
            name: "no data", type: CommandReply.eventType, change: { $0["data"] = nil },
            schemaReason: "the event: 'data' is a required property",
            swiftReason: "missing CloudEvents attribute 'data'"),
        BrokenEvent(
            name: "CloudEvents 0.3", type: YouthRegistered.eventType, change: { $0["specversion"] = "0.3" },
            schemaReason: "specversion: '1.0' was expected", swiftReason: "unsupported CloudEvents specversion '0.3'"),
        BrokenEvent(
            name: "a time without its offset", type: StatisticsUpdated.eventType,
            change: { $0["time"] = "2026-03-02T09:30:00" }, schemaReason: "time: '2026-03-02T09:30:00' ",
            swiftReason: "invalid CloudEvents attribute 'time'"),
    ]
}

/// An example changed in one place, for the comparison of the schemas with the Swift contract.
struct Variant {
    /// The example's event type.
    let type: String
    /// What was changed, such as `data.choices[0].schoolOrgNumber = 7`.
    let change: String
    /// The changed event.
    let json: JSONValue
    /// Whether the change is inside `data` (compared with decoding alone) or to the envelope (compared with the
    /// whole check).
    let inData: Bool

    enum Step {
        case member(String)
        case element(Int)
    }

    /// Every one-place change of an example event.
    static func all(of event: JSONValue, type: String) -> [Variant] {
        var variants: [Variant] = []
        func visit(_ value: JSONValue, path: [Step]) {
            let name = Self.name(of: path)
            let inData = path.count > 1
            if !path.isEmpty {
                variants.append(
                    Variant(
                        type: type, change: "\(name) removed", json: replacing(event, at: path, with: nil),
                        inData: inData))
                for replacement: JSONValue in ["X?", 7, .null] {
                    variants.append(
                        Variant(
                            type: type, change: "\(name) = \(replacement)",
                            json: replacing(event, at: path, with: replacement), inData: inData))
                }
            }
            switch value {
            case .object(let members):
                for key in members.keys.sorted() { visit(members[key] ?? .null, path: path + [.member(key)]) }
            case .array(let elements):
                if let first = elements.first { visit(first, path: path + [.element(0)]) }
            default: break
            }
        }
        visit(event, path: [])
        return variants
    }

    private static func name(of path: [Step]) -> String {
        path.enumerated().map { offset, step in
            switch step {
            case .member(let name): offset == 0 ? name : ".\(name)"
            case .element(let index): "[\(index)]"
            }
        }.joined()
    }

    /// `value` with the node at `path` replaced, or removed when `replacement` is `nil`.
    private static func replacing(_ value: JSONValue, at path: [Step], with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        switch (value, step) {
        case (.object(var members), .member(let name)):
            if path.count == 1 {
                members[name] = replacement
            } else if let inner = members[name] {
                members[name] = replacing(inner, at: Array(path.dropFirst()), with: replacement)
            }
            return .object(members)
        case (.array(var elements), .element(let index)):
            if path.count == 1 {
                if let replacement { elements[index] = replacement } else { elements.remove(at: index) }
            } else {
                elements[index] = replacing(elements[index], at: Array(path.dropFirst()), with: replacement)
            }
            return .array(elements)
        default:
            return value
        }
    }

    /// Whether the Swift contract takes the changed event.
    func swiftAccepts() -> Bool {
        guard let topic = ContractTopic.carrying(type),
            let event = try? CloudEvent(structuredJSON: JSONWriter.bytes(of: json))
        else { return false }
        guard inData else { return (try? topic.validate(event)) != nil }
        guard let payloadType = topic.payloadTypes.first(where: { $0.eventType == type }), let data = event.data else {
            return false
        }
        return Self.decodes(payloadType, data)
    }

    private static func decodes<P: EventPayload>(_ type: P.Type, _ data: [UInt8]) -> Bool {
        (try? JSONDecoder().decode(P.self, from: Data(data))) != nil
    }
}
