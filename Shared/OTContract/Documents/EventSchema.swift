/// The JSON Schema (draft 2020-12) of one event type: the CloudEvents envelope as ``CloudEvent`` reads it in
/// structured mode, the actor attributes on commands, and `data` as ``SchemaDecoder`` finds the payload type.
///
/// The schema uses only keywords that draft 2020-12 and draft-07 (AsyncAPI's default schema format) share, so that
/// either kind of tool reads it the same. What a schema cannot say is left to the Swift contract (`otctl validate`):
/// a national ID's check digits, whether a date exists, and each type's rules across fields.
enum EventSchema {
    /// The JSON Schema dialect of the files.
    static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The schema of `type`, carried on `topic`.
    /// - Throws: ``ContractDocumentError`` when the payload type cannot be described.
    static func document(for type: any EventPayload.Type, on topic: ContractTopic) throws -> DocumentNode {
        var data = try SchemaDecoder.describe(type).schema
        data = data.setting("description", to: .string("The payload of \(type.eventType)."))

        var properties: [DocumentNode.Member] = [
            .init(name: "specversion", value: .object(["const": .string(CloudEvent.specVersion)])),
            .init(
                name: "id",
                value: .object([
                    "type": "string", "minLength": 1,
                    "description": "Unique per source: consumers de-duplicate by (source, id).",
                ])),
            .init(
                name: "source",
                value: .object([
                    "type": "string", "format": "uri-reference", "pattern": "^[^\\u0000-\\u0020\\u007f]+$",
                    "description": "A URI reference naming the producer, such as urn:ot:ot-registrations.",
                ])),
            .init(name: "type", value: .object(["const": .string(type.eventType)])),
            .init(
                name: "time",
                value: .object([
                    "type": "string", "format": "date-time", "pattern": .string(Timestamp.rfc3339Pattern),
                    "description": "When it happened, RFC 3339 (the system writes UTC with milliseconds).",
                ])),
            .init(
                name: "datacontenttype",
                value: .object([
                    "type": ["string", "null"],
                    "pattern": "^(application/json|[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+\\+json)[ \\t]*(;.*)?$",
                    "description": "application/json (the default when absent), or another JSON media type.",
                ])),
            .init(
                name: "subject",
                value: .object([
                    "type": ["string", "null"], "description": "What the event is about; never a national ID.",
                ])),
            .init(
                name: "correlationid",
                value: .object([
                    "type": ["string", "null"],
                    "description": """
                    Ties a command to its reply and to the events it causes; a command should carry one (its \
                    reply is keyed by it, or by the command's id when it has none).
                    """,
                ])),
        ]
        var required = ["specversion", "id", "source", "type", "time"]
        if topic.carriesCommands {
            properties += actorAttributes
            required += [CommandActor.userIdAttribute, CommandActor.countyAttribute, CommandActor.roleAttribute]
        }
        properties.append(.init(name: "data", value: data))
        properties.append(.init(name: "data_base64", value: false))
        required.append("data")

        return .object([
            "$schema": .string(dialect),
            "title": .string(type.eventType),
            "description": .string(description(of: type, on: topic)),
            "type": "object",
            "properties": .object(properties),
            "required": .array(required.map { .string($0) }),
        ])
    }

    private static func description(of type: any EventPayload.Type, on topic: ContractTopic) -> String {
        var text = """
            A \(type.eventType) event on \(topic.topic.name) (Kafka key: \(topic.key.summary)): a CloudEvents 1.0 \
            event in structured JSON mode, sent with the Kafka header content-type: \
            \(CloudEvent.structuredContentType). Unknown attributes and data fields are allowed, and consumers \
            ignore them.
            """
        if topic.carriesCommands {
            text +=
                " A command names its actor in the extension attributes actorid, actorcounty, actorunit and actorrole."
        }
        text += """
             National IDs' check digits and the rules across fields are checked by the Swift contract \
            (otctl validate), not by this schema. Generated from Shared/OTContract: do not edit (docs/contract/README.md).
            """
        return text
    }

    /// The command's actor (``CommandActor``): extension attributes, strings as CloudEvents requires.
    private static var actorAttributes: [DocumentNode.Member] {
        [
            .init(
                name: CommandActor.userIdAttribute,
                value: .object([
                    "type": "string", "pattern": "\\S",
                    "description": "The user's id in the front end's identity provider.",
                ])),
            .init(
                name: CommandActor.countyAttribute,
                value: .object([
                    "type": "string", "enum": .array(County.allCases.map { .string($0.rawValue) }),
                    "description": "The county the user works for.",
                ])),
            .init(
                name: CommandActor.unitAttribute,
                value: .object([
                    "type": ["string", "null"], "pattern": "\\S",
                    "description": "The OT unit of a unit-scoped user; absent otherwise.",
                ])),
            .init(
                name: CommandActor.roleAttribute,
                value: .object([
                    "type": "string", "enum": .array(ActorRole.allCases.map { .string($0.rawValue) }),
                    "description": "ADVISER (case worker) or ADMINISTRATOR (also erases persons).",
                ])),
        ]
    }
}
