/// An event on `ot.audit.v1`: one case per event type. The topic is append-only (no compaction, no deletes).
public enum AuditEvent: TopicEvent {
    /// ``AccessLogEntry``: `no.ot.audit.access-logged`.
    case accessLogged(AccessLogEntry)
    /// ``CommandRefused``: `no.ot.audit.command-refused`.
    case commandRefused(CommandRefused)

    /// ``Topic/audit``.
    public static var topic: Topic { .audit }

    /// Every payload type the topic carries.
    public static var payloadTypes: [any EventPayload.Type] { [AccessLogEntry.self, CommandRefused.self] }

    /// Decodes an event into the case its `type` names.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or the
    ///   ``ContractError`` of a missing or invalid field.
    public init(_ event: borrowing CloudEvent) throws(ContractError) {
        switch event.type {
        case AccessLogEntry.eventType: self = .accessLogged(try event.decodePayload())
        case CommandRefused.eventType: self = .commandRefused(try event.decodePayload())
        default: throw Self.unknown(event)
        }
    }

    /// The typed payload of the case.
    public var payload: any EventPayload {
        switch self {
        case .accessLogged(let payload): payload
        case .commandRefused(let payload): payload
        }
    }
}
