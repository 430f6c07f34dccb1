import OTContract

/// The contract's topics as otctl reads and writes them: each with the typed decoding of its events, and the key
/// its messages carry.
enum ContractTopics {
    /// The topics whose events otctl can decode: every contract topic (not the dead-letter, changelog or internal
    /// ones, which carry other topics' events or a service's own records).
    static let names: [String] = [
        Topic.enrollment, .registrationCommands, .registrations, .followUpPlanCommands, .followUpPlans,
        .schoolHistoryRequests, .schoolHistoryReplies, .audit, .replies, .statistics,
    ].map(\.name)

    /// The topics that carry commands or requests: what is sent there needs a `correlationid`.
    static let commandTopics: Set<String> = [
        Topic.registrationCommands.name, Topic.followUpPlanCommands.name, Topic.schoolHistoryRequests.name,
    ]

    /// Decodes `event` through the typed enum of `topic` (or its one payload type), as the services do.
    /// - Returns: The payload, or `nil` when `topic` is not a contract topic.
    /// - Throws: ``OTContract/ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or
    ///   the error naming the missing or invalid field.
    static func decode(_ event: CloudEvent, on topic: String) throws(ContractError) -> (any EventPayload)? {
        switch topic {
        case Topic.enrollment.name: try EnrollmentEvent(event).payload
        case Topic.registrationCommands.name: try RegistrationCommand(event).payload
        case Topic.registrations.name: try RegistrationEvent(event).payload
        case Topic.followUpPlanCommands.name: try FollowUpPlanCommand(event).payload
        case Topic.followUpPlans.name: try FollowUpPlanEvent(event).payload
        case Topic.statistics.name: try StatisticsEvent(event).payload
        case Topic.replies.name: try single(CommandReply.self, event, topic)
        case Topic.audit.name: try AuditEvent(event).payload
        case Topic.schoolHistoryRequests.name: try single(SchoolHistoryRequest.self, event, topic)
        case Topic.schoolHistoryReplies.name: try single(SchoolHistoryReply.self, event, topic)
        default: nil
        }
    }

    /// The Kafka key of a payload on its topic: the national ID on person-keyed topics, the record key on
    /// `ot.statistics.v1`, the request id of a school-history reply, the correlation id of a command reply.
    static func key(of payload: any EventPayload, in event: CloudEvent) -> String? {
        if let person = payload as? any PersonKeyedPayload { return person.partitionKey }
        if let statistics = payload as? StatisticsUpdated { return statistics.key.description }
        if let reply = payload as? SchoolHistoryReply { return reply.requestId }
        if payload is CommandReply { return event.correlationID ?? event.id }
        return nil
    }

    private static func single<P: EventPayload>(
        _ type: P.Type, _ event: CloudEvent, _ topic: String
    ) throws(ContractError) -> P {
        guard event.type == P.eventType else { throw .unknownEventType(type: event.type, topic: topic) }
        return try event.decodePayload(as: P.self)
    }
}
