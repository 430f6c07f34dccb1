/// The contract as files other teams can use, generated from the Swift contract so that they cannot drift from it:
/// what docs/contract/ holds besides its README.
///
/// - `asyncapi.yaml`: AsyncAPI 3.0, a channel per topic of ``Topic/all`` with its Kafka bindings, the messages and
///   keys of each contract topic (``ContractTopic/all``), and the partitioner producers must use.
/// - `schemas/<type>.json`: the JSON Schema (draft 2020-12) of each event type, envelope and `data`.
/// - `examples/<type>.json`: an example of each event type (``ContractExamples``), as the system would put it on
///   its topic (indented).
///
/// A test compares the files with what this gives and fails on any difference; `OT_WRITE_CONTRACT=1` makes it
/// rewrite them (docs/contract/README.md).
public enum ContractDocuments {
    /// A generated file.
    public struct File: Sendable, Equatable {
        /// The path relative to docs/contract/, such as `schemas/no.vigo.person.updated.json`.
        public var path: String
        /// The file's text.
        public var contents: String
    }

    /// Every generated file, in a fixed order: the AsyncAPI document, then per event type its schema and example.
    /// - Throws: ``ContractDocumentError`` for an event type without an example or with one that breaks its rules,
    ///   or whose payload the schema builder cannot follow.
    public static func files() throws -> [File] {
        var files = [
            File(
                path: asyncAPIPath, contents: AsyncAPIDocument.document(schemaPath: { "./" + schemaPath(of: $0) }).yaml)
        ]
        for topic in ContractTopic.all {
            for type in topic.payloadTypes {
                files.append(
                    File(
                        path: schemaPath(of: type.eventType),
                        contents: try EventSchema.document(for: type, on: topic).prettyJSON))
                let example: CloudEvent?
                do {
                    example = try ContractExamples.event(of: type.eventType)
                } catch {
                    throw ContractDocumentError("the example of \(type.eventType) breaks its rules: \(error)")
                }
                guard let example else {
                    throw ContractDocumentError(
                        "\(type.eventType) has no example: add one to ContractExamples (Shared/OTContract/Documents)")
                }
                files.append(File(path: examplePath(of: type.eventType), contents: try exampleJSON(example)))
            }
        }
        return files
    }

    /// `asyncapi.yaml`.
    public static let asyncAPIPath = "asyncapi.yaml"

    /// `schemas/<type>.json`.
    public static func schemaPath(of eventType: String) -> String { "schemas/\(eventType).json" }

    /// `examples/<type>.json`.
    public static func examplePath(of eventType: String) -> String { "examples/\(eventType).json" }

    /// An event's structured JSON, indented: the attributes in the order the system writes them, `data`'s fields
    /// by name as its encoder sorts them.
    static func exampleJSON(_ event: CloudEvent) throws(ContractError) -> String {
        let json = try JSONValue(parsing: event.structuredJSON())
        guard case .object(let members) = json else { throw .malformedJSON("an event is a JSON object") }
        let order = [
            "specversion", "id", "source", "type", "time", "datacontenttype", "subject", "correlationid",
        ]
        let extensions = members.keys.filter { !order.contains($0) && $0 != "data" }.sorted()
        var document: [DocumentNode.Member] = []
        for name in order + extensions + ["data"] {
            guard let value = members[name] else { continue }
            document.append(.init(name: name, value: DocumentNode(value)))
        }
        return DocumentNode.object(document).prettyJSON
    }
}
