/// The AsyncAPI 3.0 document of the system's Kafka topics (docs/contract/asyncapi.yaml), built from the contract: a
/// channel per topic of ``Topic/all`` with its Kafka bindings (partitions, cleanup policy, retention), the messages
/// of each contract topic with their key and a reference to their JSON Schema, and an operation per contract topic
/// from the system's point of view (it receives the inputs and sends the rest).
enum AsyncAPIDocument {
    /// The AsyncAPI version the document follows.
    static let asyncAPIVersion = "3.0.0"
    /// The version of the Kafka bindings used.
    static let kafkaBindingVersion = "0.5.0"
    /// The contract's version: the `v1` of the topic names.
    static let contractVersion = "1.0.0"
    /// The partitioner every producer must use, in librdkafka's name.
    static let partitioner = "murmur2_random"

    /// What a producer must know about partitioning: the warning the channels of person-keyed topics carry.
    static let partitionerWarning = """
        Partitioner: produce with the partitioner of Kafka's Java client, murmur2 of the key's bytes (librdkafka and \
        the clients built on it: partitioner=murmur2_random; the Java client and Kafka Streams: their default). Every \
        person-keyed topic has the same partition count, and the services rely on a person's national ID landing on \
        the same partition number in every one of them (co-partitioning: a partition's state is self-contained). \
        librdkafka-based clients (confluent-kafka-python, -go and -dotnet, node-rdkafka, kcat) default to \
        consistent_random (CRC32) and would put the person on another partition: set partitioner=murmur2_random.
        """

    /// The document.
    /// - Parameter schemaPath: The path of an event type's JSON Schema file, relative to the document.
    static func document(schemaPath: (String) -> String) -> DocumentNode {
        var channels: [DocumentNode.Member] = []
        var operations: [DocumentNode.Member] = []
        var messages: [DocumentNode.Member] = []
        for topic in Topic.all {
            let contract = ContractTopic.all.first { $0.topic == topic }
            channels.append(.init(name: topic.name, value: channel(topic, contract)))
            guard let contract else { continue }
            operations.append(operation(contract))
            for type in contract.payloadTypes {
                messages.append(.init(name: type.eventType, value: message(type, contract, schemaPath: schemaPath)))
            }
        }
        return .object([
            "asyncapi": .string(asyncAPIVersion),
            "info": .object([
                "title": "VIGO OT events",
                "version": .string(contractVersion),
                "description": .string(infoDescription),
            ]),
            "defaultContentType": .string(CloudEvent.structuredContentType),
            "servers": .object([
                "production": .object([
                    "host": "kafka:9092",
                    "protocol": "kafka",
                    "description": """
                    Apache Kafka (KRaft). The host is the one of compose/; each deployment gives its bootstrap \
                    servers (KAFKA_BROKERS) and its TLS and SASL settings.
                    """,
                    "bindings": .object(["kafka": .object(["bindingVersion": .string(kafkaBindingVersion)])]),
                ])
            ]),
            "channels": .object(channels),
            "operations": .object(operations),
            "components": .object([
                "schemas": .object(MessageKey.allCases.map { .init(name: keySchemaName($0), value: keySchema($0)) }),
                "messages": .object(messages),
            ]),
        ])
    }

    private static let infoDescription = """
        The topics, events and commands of VIGO OT (the counties' follow-up service, oppfølgingstjenesten) on \
        Apache Kafka: what upstream VIGO systems publish, the case-worker front end's commands and lookups, and \
        what the services publish for the front end, the audit store and dashboards.

        Every message value is a CloudEvents 1.0 event in structured JSON mode (Kafka header content-type: \
        application/cloudevents+json); the services also accept binary mode (ce_* headers, the data as the value). \
        Each event type has a JSON Schema in schemas/ and an example in examples/; otctl validate checks an event \
        with the services' own decoding. Consumers ignore attributes and fields they do not know.

        \(partitionerWarning)

        Changes follow the compatibility policy of README.md: within v1 only additions (optional fields, new event \
        types announced first); anything else is a new topic version run side by side. Generated from \
        Shared/OTContract: do not edit.
        """

    private static func channel(_ topic: Topic, _ contract: ContractTopic?) -> DocumentNode {
        var configuration: [DocumentNode.Member] = []
        for name in ["cleanup.policy", "retention.ms", "delete.retention.ms"] {
            guard let value = topic.configuration[name] else { continue }
            let node: DocumentNode =
                name == "cleanup.policy"
                ? .array([.string(value)]) : Int64(value).map { .integer($0) } ?? .string(value)
            configuration.append(.init(name: name, value: node))
        }
        var channel: DocumentNode = .object([
            "address": .string(topic.name),
            "title": .string(topic.name),
            "description": .string(channelDescription(topic, contract)),
        ])
        if let contract {
            channel = channel.setting(
                "messages",
                to: .object(
                    contract.payloadTypes.map {
                        .init(name: $0.eventType, value: reference("#/components/messages/\($0.eventType)"))
                    }))
        }
        return
            channel
            .setting(
                "bindings",
                to: .object([
                    "kafka": .object([
                        "bindingVersion": .string(kafkaBindingVersion),
                        "topic": .string(topic.name),
                        "partitions": .integer(Int64(Topic.defaultPartitionCount)),
                        "topicConfiguration": .object(configuration),
                    ])
                ])
            )
            .setting("x-partitioner", to: .string(partitioner))
    }

    private static func channelDescription(_ topic: Topic, _ contract: ContractTopic?) -> String {
        let retention =
            topic.retention.map { "kept \(days($0))" } ?? "kept forever"
        let cleanup = topic.isCompacted ? "compacted (the latest value per key), \(retention)" : retention
        let replicas = """
            \(Topic.defaultPartitionCount) partitions (the same for every topic); replicas per deployment (production: \
            otctl topics create --replication 3).
            """
        guard let contract else {
            return "\(internalDescription(topic)) Not part of the contract: no other team reads or writes it. "
                + "Records are \(cleanup). \(replicas)"
        }
        var text = """
            Carries \(contract.eventTypes.joined(separator: ", ")). Key: \(contract.key.summary). Written by \
            \(contract.producers); read by \(contract.consumers). Records are \(cleanup). \(replicas)
            """
        if contract.carriesCommands {
            text +=
                " Every command names its actor (actorid, actorcounty, actorunit, actorrole) and gets a reply on "
                + "\(Topic.replies.name) under its correlationid."
        }
        if contract.key.isPersonKey { text += "\n\n" + partitionerWarning }
        return text
    }

    /// What an internal topic is for.
    private static func internalDescription(_ topic: Topic) -> String {
        for service in ServiceName.allCases {
            if topic == .deadLetters(of: service) {
                return """
                    Dead letters of \(service.rawValue): what it could not process after its retries, with the \
                    original key and value and the headers ot-dlq-source-topic, ot-dlq-source-partition, \
                    ot-dlq-source-offset, ot-dlq-error and ot-dlq-attempts (docs/topics.md).
                    """
            }
            if topic == .changelog(of: service) {
                return """
                    The changelog of \(service.rawValue): every change of its partition stores, partition n for \
                    store n, to restore a partition's state on another instance (docs/runtime.md).
                    """
            }
        }
        if topic == .statisticsRepartition {
            return "Internal to ot-statistics: per-person deltas keyed by unit or county (docs/statistics.md)."
        }
        return "Internal to the services."
    }

    private static func days(_ duration: Duration) -> String {
        let days = duration.components.seconds / 86_400
        return days == 1 ? "1 day" : "\(days) days"
    }

    private static func operation(_ contract: ContractTopic) -> DocumentNode.Member {
        let name = contract.topic.name
        let action = contract.isInput ? "receive" : "send"
        let summary =
            contract.isInput
            ? "VIGO OT reads \(name), written by \(contract.producers)."
            : "VIGO OT (\(contract.producers)) writes \(name), for \(contract.consumers)."
        return .init(
            name: "\(action).\(name)",
            value: .object([
                "action": .string(action),
                "channel": reference("#/channels/\(name)"),
                "summary": .string(summary),
                "messages": .array(
                    contract.payloadTypes.map { reference("#/channels/\(name)/messages/\($0.eventType)") }),
            ]))
    }

    private static func message(
        _ type: any EventPayload.Type, _ contract: ContractTopic, schemaPath: (String) -> String
    ) -> DocumentNode {
        .object([
            "name": .string(type.eventType),
            "title": .string(type.eventType),
            "summary": .string(
                "\(type.eventType) on \(contract.topic.name); an example: examples/\(type.eventType).json."),
            "contentType": .string(CloudEvent.structuredContentType),
            "headers": .object([
                "type": "object",
                "properties": .object([
                    "content-type": .object(["const": .string(CloudEvent.structuredContentType)])
                ]),
            ]),
            "payload": reference(schemaPath(type.eventType)),
            "bindings": .object([
                "kafka": .object([
                    "bindingVersion": .string(kafkaBindingVersion),
                    "key": reference("#/components/schemas/\(keySchemaName(contract.key))"),
                ])
            ]),
        ])
    }

    private static func keySchemaName(_ key: MessageKey) -> String {
        switch key {
        case .nationalID: "nationalIdKey"
        case .nationalIDOrRequestID: "nationalIdOrRequestIdKey"
        case .requestID: "requestIdKey"
        case .correlationID: "correlationIdKey"
        case .statisticsKey: "statisticsKey"
        }
    }

    private static func keySchema(_ key: MessageKey) -> DocumentNode {
        let base: DocumentNode =
            switch key {
            case .nationalID: NationalID.jsonSchema
            case .statisticsKey: StatisticsKey.jsonSchema
            default: .object(["type": "string", "minLength": 1])
            }
        var description = "The Kafka key: \(key.summary)."
        if key.isPersonKey { description += " Produce with the murmur2 partitioner (partitioner=murmur2_random)." }
        return base.setting("description", to: .string(description))
    }

    private static func reference(_ target: String) -> DocumentNode {
        .object(["$ref": .string(target)])
    }
}
