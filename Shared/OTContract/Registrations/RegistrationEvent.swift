/// An event on `ot.registrations.v1`, published by the registrations service: one case per event type. Each carries
/// what the follow-up plans and statistics services need without a lookup.
///
/// Every payload but ``YouthErased`` carries the same fields under the same names: `registrationId`, `personId`,
/// `unitId` and `countyNumber` (the unit following the youth up after the event), `schoolYear`, `reason`,
/// `statusCode` and `statusGroup` (the status after the event), `effectiveDate`, `birthDate` and `gender` (absent
/// when unknown), next to the fields of its own. ``RegistrationClosed`` alone has an optional `statusCode`.
public enum RegistrationEvent: TopicEvent {
    /// ``YouthRegistered``: `no.ot.youth.registered`.
    case registered(YouthRegistered)
    /// ``ContactRecorded``: `no.ot.youth.contact-recorded`.
    case contactRecorded(ContactRecorded)
    /// ``StatusChanged``: `no.ot.youth.status-changed`.
    case statusChanged(StatusChanged)
    /// ``ActivityRecorded``: `no.ot.youth.activity-recorded`.
    case activityRecorded(ActivityRecorded)
    /// ``YouthTransferred``: `no.ot.youth.transferred`.
    case transferred(YouthTransferred)
    /// ``RegistrationClosed``: `no.ot.youth.registration-closed`.
    case closed(RegistrationClosed)
    /// ``YouthErased``: `no.ot.youth.erased`.
    case erased(YouthErased)

    /// ``Topic/registrations``.
    public static var topic: Topic { .registrations }

    /// Every payload type the topic carries.
    public static var payloadTypes: [any EventPayload.Type] {
        [
            YouthRegistered.self,
            ContactRecorded.self,
            StatusChanged.self,
            ActivityRecorded.self,
            YouthTransferred.self,
            RegistrationClosed.self,
            YouthErased.self,
        ]
    }

    /// Decodes an event into the case its `type` names.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or the
    ///   ``ContractError`` of a missing or invalid field.
    public init(_ event: borrowing CloudEvent) throws(ContractError) {
        switch event.type {
        case YouthRegistered.eventType: self = .registered(try event.decodePayload())
        case ContactRecorded.eventType: self = .contactRecorded(try event.decodePayload())
        case StatusChanged.eventType: self = .statusChanged(try event.decodePayload())
        case ActivityRecorded.eventType: self = .activityRecorded(try event.decodePayload())
        case YouthTransferred.eventType: self = .transferred(try event.decodePayload())
        case RegistrationClosed.eventType: self = .closed(try event.decodePayload())
        case YouthErased.eventType: self = .erased(try event.decodePayload())
        default: throw Self.unknown(event)
        }
    }

    /// The typed payload of the case.
    public var payload: any EventPayload {
        if case .erased(let payload) = self { return payload }
        return state!
    }
}
