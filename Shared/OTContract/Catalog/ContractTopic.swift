/// A topic of the event contract as the teams around the system see it: the event types it carries, what its Kafka
/// key is, who writes and who reads it, and the typed decoding a service applies to it.
///
/// ``all`` lists the contract's topics, not the services' internal ones (dead letters, changelogs, the statistics
/// repartition topic). The files in docs/contract/ are generated from it (``ContractDocuments``), and
/// ``validate(_:)`` checks an event the way the system would take it (`otctl validate`).
public struct ContractTopic: Sendable {
    /// The topic.
    public let topic: Topic
    /// Every payload type the topic carries, in the order of its ``TopicEvent`` enum.
    public let payloadTypes: [any EventPayload.Type]
    /// What the Kafka key of the topic's messages is.
    public let key: MessageKey
    /// Who publishes to the topic, in words.
    public let producers: String
    /// Who reads it, in words.
    public let consumers: String
    /// Whether the topic comes into the system from outside it (upstream systems, the front end); otherwise the
    /// system's services publish it.
    public let isInput: Bool
    /// Whether case workers' commands travel on it: every event must then name its actor (``CommandActor``).
    public let carriesCommands: Bool
    private let decodeEvent: @Sendable (CloudEvent) throws(ContractError) -> any EventPayload

    private init<Event: TopicEvent>(
        _ events: Event.Type, key: MessageKey, producers: String, consumers: String, isInput: Bool = false,
        carriesCommands: Bool = false
    ) {
        self.topic = Event.topic
        self.payloadTypes = Event.payloadTypes
        self.key = key
        self.producers = producers
        self.consumers = consumers
        self.isInput = isInput
        self.carriesCommands = carriesCommands
        self.decodeEvent = { (event) throws(ContractError) -> any EventPayload in try Event(event).payload }
    }

    /// A topic that carries a single payload type and has no ``TopicEvent`` enum of its own.
    private init<Payload: EventPayload>(
        single: Payload.Type, key: MessageKey, producers: String, consumers: String, isInput: Bool = false
    ) {
        self.topic = Payload.topic
        self.payloadTypes = [Payload.self]
        self.key = key
        self.producers = producers
        self.consumers = consumers
        self.isInput = isInput
        self.carriesCommands = false
        self.decodeEvent = { (event) throws(ContractError) -> any EventPayload in
            guard event.type == Payload.eventType else {
                throw .unknownEventType(type: event.type, topic: Payload.topic.name)
            }
            return try event.decodePayload(as: Payload.self)
        }
    }

    /// The contract's topics, in the order docs/topics.md lists them.
    public static let all: [ContractTopic] = [
        ContractTopic(
            EnrollmentEvent.self, key: .nationalID,
            producers: "upstream VIGO (admission, pupil register, population register)",
            consumers: "ot-registrations, ot-school-history", isInput: true),
        ContractTopic(
            RegistrationCommand.self, key: .nationalID, producers: "the case-worker front end",
            consumers: "ot-registrations", isInput: true, carriesCommands: true),
        ContractTopic(
            RegistrationEvent.self, key: .nationalID, producers: "ot-registrations",
            consumers: "ot-followup-plans, ot-statistics"),
        ContractTopic(
            FollowUpPlanCommand.self, key: .nationalID, producers: "the case-worker front end",
            consumers: "ot-followup-plans", isInput: true, carriesCommands: true),
        ContractTopic(
            FollowUpPlanEvent.self, key: .nationalID, producers: "ot-followup-plans", consumers: "the front end"),
        ContractTopic(
            single: SchoolHistoryRequest.self, key: .nationalID, producers: "the case-worker front end",
            consumers: "ot-school-history", isInput: true),
        ContractTopic(
            single: SchoolHistoryReply.self, key: .requestID, producers: "ot-school-history",
            consumers: "the front end"),
        ContractTopic(
            AuditEvent.self, key: .nationalIDOrRequestID,
            producers: "ot-school-history, ot-registrations, ot-followup-plans",
            consumers: "the audit store (append-only)"),
        ContractTopic(
            single: CommandReply.self, key: .correlationID, producers: "every service that handles commands",
            consumers: "the front end"),
        ContractTopic(
            StatisticsEvent.self, key: .statisticsKey, producers: "ot-statistics", consumers: "dashboards"),
    ]

    /// The contract topic that carries `eventType`, if any: every event type travels on exactly one topic.
    public static func carrying(_ eventType: String) -> ContractTopic? {
        all.first { topic in topic.payloadTypes.contains { $0.eventType == eventType } }
    }

    /// Every event type of the topic.
    public var eventTypes: [String] { payloadTypes.map { $0.eventType } }

    /// Checks an event the way the system takes it on this topic: decoded through the topic's typed events (every
    /// field's presence, type and format, and the rules across fields), and for a command, its actor.
    /// - Returns: The typed payload.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, the
    ///   ``ContractError`` naming a missing or invalid field, or for a command without a valid actor the error
    ///   naming the actor attribute.
    public func validate(_ event: CloudEvent) throws(ContractError) -> any EventPayload {
        let payload = try decodeEvent(event)
        if carriesCommands { _ = try CommandActor(of: event) }
        return payload
    }

    /// Checks an event on the topic its `type` belongs to; see ``validate(_:)-swift.method``.
    /// - Returns: The topic and the typed payload.
    /// - Throws: ``ContractError/invalidAttribute(_:reason:)`` for a `type` that no contract topic carries, or the
    ///   error of ``validate(_:)-swift.method``.
    public static func validate(_ event: CloudEvent) throws(ContractError) -> (
        topic: ContractTopic, payload: any EventPayload
    ) {
        guard let topic = carrying(event.type) else {
            throw .invalidAttribute(
                "type", reason: "'\(ContractError.clip(event.type))' is not an event type of the contract")
        }
        return (topic, try topic.validate(event))
    }
}
