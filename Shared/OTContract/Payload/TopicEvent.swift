/// The closed set of event (or command) types one topic carries, as an enum with a case per payload type.
///
/// ```swift
/// let event = try CloudEvent.decode(value: message.value, headers: headers)
/// switch try EnrollmentEvent(event) {
/// case .personUpdated(let update): ...
/// case .applicationMissing(let missing): ...
/// ...
/// }
/// ```
public protocol TopicEvent: Sendable, Equatable {
    /// The topic.
    static var topic: Topic { get }
    /// Every payload type the topic carries.
    static var payloadTypes: [any EventPayload.Type] { get }
    /// Decodes an event into the case its `type` names.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or the
    ///   ``ContractError`` of a missing or invalid field.
    ///
    /// The event is borrowed: taken, it was copied at every call (a retain and a release of each of its fields).
    init(_ event: borrowing CloudEvent) throws(ContractError)
    /// The typed payload of the case.
    var payload: any EventPayload { get }
}

extension TopicEvent {
    /// The CloudEvents `type` of the case.
    public var eventType: String { Swift.type(of: payload).eventType }

    /// Every event type the topic carries.
    public static var eventTypes: [String] { payloadTypes.map { $0.eventType } }

    /// The error for an event type this topic does not carry.
    static func unknown(_ event: CloudEvent) -> ContractError {
        .unknownEventType(type: event.type, topic: topic.name)
    }
}
