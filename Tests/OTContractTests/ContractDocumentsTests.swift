import Foundation
import Testing

@testable import OTContract

/// docs/contract/ is generated from the Swift contract; these tests fail when the two differ. Run with
/// `OT_WRITE_CONTRACT=1` to write the files afresh (then review and commit them).
@Suite("docs/contract: generated from the Swift contract and in step with it", .timeLimit(.minutes(2)))
struct ContractDocumentsTests {
    /// Every event type of the contract with its topic, as a test argument.
    static let eventTypes: [EventTypeArgument] = ContractTopic.all.flatMap { topic in
        topic.payloadTypes.map { EventTypeArgument(type: $0, topic: topic) }
    }

    @Test("the catalogue holds every type of every topic enum once, each on its own topic")
    func catalogue() {
        let enumerated =
            TopicEventTests.topicEvents.flatMap { $0.eventTypes } + TopicEventTests.singleTypes.map { $0.eventType }
        let catalogued = ContractTopic.all.flatMap(\.eventTypes)
        #expect(catalogued.sorted() == enumerated.sorted())
        #expect(Set(catalogued) == Set(Samples.all.map { type(of: $0).eventType }))
        #expect(Set(ContractTopic.all.map(\.topic)).count == ContractTopic.all.count)
        for contract in ContractTopic.all {
            #expect(Topic.all.contains(contract.topic), "\(contract.topic) is created with the others")
            for type in contract.payloadTypes {
                #expect(type.topic == contract.topic, "\(type.eventType)")
                #expect(ContractTopic.carrying(type.eventType)?.topic == contract.topic)
            }
        }
        #expect(ContractTopic.carrying("no.vigo.person.update") == nil)
    }

    @Test("every event type has an example that its topic takes", arguments: eventTypes)
    func example(argument: EventTypeArgument) throws {
        let event = try #require(
            try ContractExamples.event(of: argument.type.eventType), "\(argument.type.eventType) has no example")
        #expect(event.type == argument.type.eventType)
        let validated = try ContractTopic.validate(event)
        #expect(validated.topic.topic == argument.topic.topic)
        #expect(type(of: validated.payload).eventType == argument.type.eventType)
        if argument.topic.carriesCommands { #expect(try CommandActor(of: event).countyNumber == .trondelag) }
    }

    @Test("only synthetic national IDs appear in the examples")
    func syntheticIDs() throws {
        func strings(in value: JSONValue) -> [String] {
            switch value {
            case .string(let text): [text]
            case .array(let elements): elements.flatMap(strings)
            case .object(let members): members.values.flatMap(strings)
            default: []
            }
        }
        var ids = 0
        let examples = try ContractExamples.all()
        for event in examples {
            for text in strings(in: try JSONValue(parsing: event.structuredJSON()))
            where text.utf8.count == 11 && text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                #expect(try NationalID(text).isSynthetic, "\(event.type) holds a national ID that is not synthetic")
                ids += 1
            }
        }
        // Every example names one person, but the command reply, the school-history reply and the statistics.
        #expect(ids == examples.count - 3)
    }

    @Test("the files in docs/contract are what the Swift contract generates (OT_WRITE_CONTRACT=1 rewrites them)")
    func filesMatch() throws {
        let files = try ContractDocuments.files()
        let generated = Set(files.map(\.path))
        let present = Set(ContractFolder.files(in: "schemas") + ContractFolder.files(in: "examples"))
        if ProcessInfo.processInfo.environment["OT_WRITE_CONTRACT"] == "1" {
            try Self.write(files, removing: present.subtracting(generated))
            return
        }
        let rewrite = "run OT_WRITE_CONTRACT=1 swift test --filter ContractDocumentsTests, review and commit"
        for file in files {
            guard let text = ContractFolder.read(file.path) else {
                Issue.record("docs/contract/\(file.path) is missing: \(rewrite)")
                continue
            }
            if text != file.contents {
                let line = zip(text.split(separator: "\n"), file.contents.split(separator: "\n")).enumerated().first {
                    $0.element.0 != $0.element.1
                }
                Issue.record(
                    """
                    docs/contract/\(file.path) differs from what the Swift contract generates (first at line \
                    \((line?.offset ?? 0) + 1)): \(rewrite)
                    """)
            }
        }
        for stale in present.subtracting(generated).sorted() {
            Issue.record("docs/contract/\(stale) belongs to no event type of the contract: \(rewrite)")
        }
    }

    @Test("an example file is the event the system writes, indented", arguments: eventTypes)
    func exampleFile(argument: EventTypeArgument) throws {
        let type = argument.type.eventType
        let text = try #require(ContractFolder.read(ContractDocuments.examplePath(of: type)))
        let event = try #require(try ContractExamples.event(of: type))
        #expect(try JSONValue(parsing: Array(text.utf8)) == JSONValue(parsing: event.structuredJSON()))
        let read = try CloudEvent(structuredJSON: Array(text.utf8))
        #expect(read.id == event.id && read.type == type && read.timeStamp == ContractExamples.time)
        #expect(try ContractTopic.validate(read).topic.topic == argument.topic.topic)
        #expect(text.hasPrefix("{\n  \"specversion\": \"1.0\",\n  \"id\": "))
    }

    @Test("a schema's data comes from the payload type: required and optional fields, formats and code lists")
    func schemaFromTypes() throws {
        let person = try Self.schema(of: PersonUpdated.self)
        let data = try #require(person["properties"]?["data"])
        // gender is optional (the population register may have none); the others are required.
        #expect(data["required"] == ["personId", "birthDate", "countyNumber", "municipalityNumber"])
        #expect(data["properties"]?["gender"]?["enum"] == ["K", "M", .null])
        #expect(data["properties"]?["gender"]?["type"] == ["string", "null"])
        #expect(data["properties"]?["countyNumber"]?["enum"] == .array(County.allCases.map { .string($0.rawValue) }))
        #expect(data["properties"]?["birthDate"]?["format"] == "date")
        #expect(person["properties"]?["type"]?["const"] == "no.vigo.person.updated")
        #expect(person["required"] == ["specversion", "id", "source", "type", "time", "data"])

        // The B06 codes as design.md lists them.
        let dropout = try Self.schema(of: EnrollmentDroppedOut.self)
        #expect(
            dropout["properties"]?["data"]?["properties"]?["reasonCode"]?["enum"]
                == ["AP", "AR", "AS", "FL", "FR", "FV", "LA", "MI", "PM", "UV", "IM", "TN", "AF"])

        // Nested objects and arrays: the choices of an application.
        let application = try Self.schema(of: ApplicationSubmitted.self)
        let choice = try #require(application["properties"]?["data"]?["properties"]?["choices"]?["items"])
        #expect(choice["required"] == ["programmeAreaCode", "schoolOrgNumber"])
        #expect(choice["properties"]?["schoolOrgNumber"]?["pattern"] == "^[0-9]{9}$")

        // A command names its actor; the events it causes do not.
        let command = try Self.schema(of: SetStatus.self)
        #expect(
            command["required"] == [
                "specversion", "id", "source", "type", "time", "actorid", "actorcounty", "actorrole", "data",
            ])
        #expect(command["properties"]?["actorrole"]?["enum"] == ["ADVISER", "ADMINISTRATOR"])
        #expect(try Self.schema(of: StatusChanged.self)["properties"]?["actorid"] == nil)

        // Statistics cells: counts or null.
        let statistics = try Self.schema(of: StatisticsUpdated.self)
        let cells = statistics["properties"]?["data"]?["properties"]?["byStatusCode"]?["additionalProperties"]
        #expect(cells?["type"] == ["integer", "null"])
        #expect(statistics["properties"]?["data"]?["properties"]?["statusGroup"] == nil)
    }

    @Test("the national ID pattern takes fødselsnummer, D-, H- and synthetic numbers, and nothing but 11 digits")
    func nationalIDPattern() throws {
        let pattern = try #require(NationalID.jsonSchema["pattern"]?.stringValue)
        let regex = try NSRegularExpression(pattern: pattern)
        func matches(_ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        for valid in ["01820850056", "57851050096", "31929900068", "01063750014", "01420850056"] {
            #expect(matches(valid), "\(valid)")
        }
        for invalid in ["0182085005", "018208500561", "0182085005A", "32820850056", "01130850056", "00820850056"] {
            #expect(!matches(invalid), "\(invalid)")
        }
    }

    @Test("asyncapi: a channel per topic with its partitions and cleanup policy, and every message type")
    func asyncAPI() throws {
        let document = AsyncAPIDocument.document(schemaPath: { "./" + ContractDocuments.schemaPath(of: $0) })
        #expect(document["asyncapi"] == "3.0.0")
        let channels = try #require(document["channels"])
        #expect(channels.members.map(\.name) == Topic.all.map(\.name))
        for topic in Topic.all {
            let kafka = try #require(channels[topic.name]?["bindings"]?["kafka"])
            #expect(channels[topic.name]?["address"] == .string(topic.name))
            #expect(kafka["partitions"] == .integer(Int64(Topic.defaultPartitionCount)))
            let configuration = kafka["topicConfiguration"]
            #expect(configuration?["cleanup.policy"] == [topic.isCompacted ? "compact" : "delete"])
            let retention = topic.retention.map { $0.components.seconds * 1000 } ?? -1
            #expect(configuration?["retention.ms"] == .integer(retention))
            #expect(channels[topic.name]?["x-partitioner"] == "murmur2_random")
        }
        let messages = try #require(document["components"]?["messages"])
        let files = Set(try ContractDocuments.files().map(\.path))
        for contract in ContractTopic.all {
            let channel = try #require(channels[contract.topic.name])
            #expect(channel["messages"]?.members.map(\.name) == contract.eventTypes)
            let description = channel["description"]?.stringValue ?? ""
            #expect(description.contains("partitioner=murmur2_random") == contract.key.isPersonKey)
            let operation = try #require(
                document["operations"]?["\(contract.isInput ? "receive" : "send").\(contract.topic.name)"])
            #expect(operation["channel"]?["$ref"] == .string("#/channels/\(contract.topic.name)"))
            for type in contract.eventTypes {
                let message = try #require(messages[type], "\(type) is a message")
                let schema = try #require(message["payload"]?["$ref"]?.stringValue)
                #expect(schema == "./schemas/\(type).json")
                #expect(files.contains(String(schema.dropFirst(2))))
                let key = try #require(message["bindings"]?["kafka"]?["key"]?["$ref"]?.stringValue)
                #expect(document["components"]?["schemas"]?[String(key.split(separator: "/").last ?? "")] != nil)
            }
        }
        #expect(messages.members.count == ContractTopic.all.flatMap(\.eventTypes).count)
    }

    @Test(
        "asyncapi.yaml reads back with PyYAML as the document it was written from",
        .enabled("needs python3 with PyYAML (pip install pyyaml)") { await Self.pythonHasYAML() })
    func yamlReadsBack() async throws {
        let folder = try ContractFolder.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = AsyncAPIDocument.document(schemaPath: { "./" + ContractDocuments.schemaPath(of: $0) })
        let json = folder.appendingPathComponent("asyncapi.json")
        try Data(document.prettyJSON.utf8).write(to: json)
        let run = try await ContractFolder.python([
            "-c",
            """
            import json, sys, yaml
            with open(sys.argv[1]) as y, open(sys.argv[2]) as j:
                same = yaml.safe_load(y) == json.load(j)
            print("same" if same else "different")
            """,
            ContractFolder.url.appendingPathComponent(ContractDocuments.asyncAPIPath).path, json.path,
        ])
        #expect(run.lines == ["same"], "\(run.output)")
    }

    static func pythonHasYAML() async -> Bool { (try? await ContractFolder.python(["-c", "import yaml"]).status) == 0 }

    /// The YAML writer quotes what a parser would read as something else.
    @Test("YAML: strings that would read as numbers, Booleans or indicators are quoted; text spans lines")
    func yamlQuoting() {
        let document: DocumentNode = .object([
            "plain": "urn:ot:frontend plain text", "version": "3.0.0", "no": "no", "ref": "#/components/x",
            "key": "county:50:current", "lines": "one\ntwo", "list": ["delete"], "empty": [],
            "number": 12, "nested": .object(["a": true]),
        ])
        #expect(
            document.yaml == """
                plain: "urn:ot:frontend plain text"
                version: "3.0.0"
                "no": "no"
                ref: "#/components/x"
                key: "county:50:current"
                lines: |-
                  one
                  two
                list: [delete]
                empty: []
                number: 12
                nested:
                  a: true

                """)
    }

    private static func schema(of type: any EventPayload.Type) throws -> DocumentNode {
        let topic = try #require(ContractTopic.carrying(type.eventType))
        return try EventSchema.document(for: type, on: topic)
    }

    private static func write(_ files: [ContractDocuments.File], removing stale: Set<String>) throws {
        for file in files {
            let url = ContractFolder.url.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url)
        }
        for path in stale { try FileManager.default.removeItem(at: ContractFolder.url.appendingPathComponent(path)) }
    }
}

/// An event type and its topic, as a test argument named by the type.
struct EventTypeArgument: Sendable, CustomTestStringConvertible {
    let type: any EventPayload.Type
    let topic: ContractTopic
    var testDescription: String { type.eventType }
}
