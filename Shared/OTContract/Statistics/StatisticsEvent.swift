/// An event on `ot.statistics.v1`.
public enum StatisticsEvent: TopicEvent {
    /// ``StatisticsUpdated``: `no.ot.statistics.updated`.
    case updated(StatisticsUpdated)

    /// ``Topic/statistics``.
    public static var topic: Topic { .statistics }

    /// Every payload type the topic carries.
    public static var payloadTypes: [any EventPayload.Type] { [StatisticsUpdated.self] }

    /// Decodes an event into the case its `type` names.
    public init(_ event: borrowing CloudEvent) throws(ContractError) {
        switch event.type {
        case StatisticsUpdated.eventType: self = .updated(try event.decodePayload())
        default: throw Self.unknown(event)
        }
    }

    /// The typed payload.
    public var payload: any EventPayload {
        switch self {
        case .updated(let payload): payload
        }
    }
}
