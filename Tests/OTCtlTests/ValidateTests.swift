import ArgumentParser
import Foundation
import OTContract
import Testing

@testable import OTCtl

@Suite("otctl validate: events checked offline as the services take them", .timeLimit(.minutes(2)))
struct ValidateTests {
    /// docs/contract/examples/ of this checkout.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/contract/examples")

    static func example(_ type: String) throws -> [UInt8] {
        let path = examples.appendingPathComponent("\(type).json").path
        return Array(try #require(FileManager.default.contents(atPath: path), "\(path)"))
    }

    /// The example of `type` with `change` made to its top-level members, on one line.
    static func changed(_ type: String, _ change: (inout [String: JSONValue]) -> Void) throws -> String {
        guard case .object(var members) = try JSONValue(parsing: try example(type)) else { return "" }
        change(&members)
        return JSONValue.object(members).description
    }

    @Test("an example file of the contract is valid: ok, its type and its id")
    func validExample() throws {
        let results = EventValidation.check(try Self.example(SetStatus.eventType), name: "set-status.json")
        let event = try CloudEvent(structuredJSON: try Self.example(SetStatus.eventType))
        #expect(results.map(\.line) == ["set-status.json: ok no.ot.status.set \(event.id)"])
    }

    @Test("every example file is valid")
    func everyExample() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).sorted()
        #expect(names.count == ContractTopic.all.flatMap(\.eventTypes).count)
        for name in names {
            let results = ValidateCommand.check(Self.examples.appendingPathComponent(name).path)
            #expect(results.count == 1 && results.allSatisfy(\.isValid), "\(results.map(\.line))")
        }
    }

    @Test(
        "a broken event is invalid, with the contract's reason",
        arguments: [
            ("a missing field", PersonUpdated.eventType, "personId", nil, "missing field data.personId"),
            (
                "an unknown code", EnrollmentDroppedOut.eventType, "reasonCode", "XX",
                "invalid field data.reasonCode: unknown B06 dropout reason 'XX'"
            ),
            (
                "a wrong check digit", PersonUpdated.eventType, "personId", "01820850057",
                "invalid field data.personId: invalid national ID: 018208*****: second check digit (K2) does not match"
            ),
        ] as [(String, String, String, String?, String)])
    func brokenData(name: String, type: String, field: String, value: String?, reason: String) throws {
        let line = try Self.changed(type) { members in
            guard case .object(var data)? = members["data"] else { return }
            data[field] = value.map(JSONValue.string)
            members["data"] = .object(data)
        }
        let results = EventValidation.check(Array(line.utf8), name: "-")
        #expect(results.map(\.line) == ["-: invalid: \(reason)"])
        #expect(!results[0].line.contains("01820850057"))
    }

    @Test("the envelope: an unknown type, a command without its actor, malformed JSON")
    func brokenEnvelope() throws {
        let unknown = try Self.changed(PersonUpdated.eventType) { $0["type"] = "no.vigo.person.update" }
        #expect(
            EventValidation.check(Array(unknown.utf8), name: "a").map(\.line) == [
                "a: invalid: invalid CloudEvents attribute 'type': 'no.vigo.person.update' is not an event type of "
                    + "the contract"
            ])
        let anonymous = try Self.changed(SetStatus.eventType) { $0["actorid"] = nil }
        #expect(
            EventValidation.check(Array(anonymous.utf8), name: "b").map(\.line) == [
                "b: invalid: missing CloudEvents attribute 'actorid'"
            ])
        let truncated = String(decoding: try Self.example(PersonUpdated.eventType).dropLast(3), as: UTF8.self)
        let results = EventValidation.check(Array(truncated.utf8), name: "c")
        #expect(results.count == 1)
        #expect(results[0].line.hasPrefix("c: invalid: malformed JSON: "), "\(results[0].line)")
    }

    @Test("JSON lines: one verdict per line, numbered; blank lines skipped")
    func jsonLines() throws {
        let valid = try Self.changed(ApplicationMissing.eventType) { _ in }
        let broken = try Self.changed(ApplicationMissing.eventType) { $0["time"] = "yesterday" }
        let id = try CloudEvent(structuredJSON: Array(valid.utf8)).id
        let results = EventValidation.check(Array("\(valid)\n\n\(broken)\n".utf8), name: "events.jsonl")
        #expect(
            results.map(\.line) == [
                "events.jsonl:1: ok no.vigo.application.missing \(id)",
                "events.jsonl:3: invalid: invalid CloudEvents attribute 'time': 'yesterday' is not an RFC 3339 timestamp",
            ])
        #expect(
            EventValidation.check([], name: "empty").map(\.line) == ["empty: invalid: no event: the input is empty"])
    }

    @Test("the command exits 1 when any event is invalid, 0 when all are valid, and needs a file")
    func command() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otctl-validate-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.json")
        try Data(try Self.changed(CommandReply.eventType) { $0["data"] = nil }.utf8).write(to: broken)
        let valid = Self.examples.appendingPathComponent("\(CommandReply.eventType).json").path

        try ValidateCommand.parse([valid]).run()
        #expect(throws: ExitCode(1)) { try ValidateCommand.parse([valid, broken.path]).run() }
        #expect(
            ValidateCommand.check(broken.path).map(\.line) == [
                "\(broken.path): invalid: missing CloudEvents attribute 'data'"
            ])
        #expect(
            ValidateCommand.check(folder.appendingPathComponent("none.json").path).map(\.verdict) == [
                .invalid("cannot read the file")
            ])
        #expect(throws: (any Error).self) { try ValidateCommand.parse([]) }
    }
}
