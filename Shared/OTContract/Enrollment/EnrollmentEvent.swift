/// An event on `vigo.enrollment.v1`, published by the upstream VIGO systems (admission, pupil register, population
/// register): one case per event type.
public enum EnrollmentEvent: TopicEvent {
    /// ``PersonUpdated``: `no.vigo.person.updated`.
    case personUpdated(PersonUpdated)
    /// ``ApplicationSubmitted``: `no.vigo.application.submitted`.
    case applicationSubmitted(ApplicationSubmitted)
    /// ``ApplicationMissing``: `no.vigo.application.missing`.
    case applicationMissing(ApplicationMissing)
    /// ``OfferAnswered``: `no.vigo.offer.answered`.
    case offerAnswered(OfferAnswered)
    /// ``EnrollmentStarted``: `no.vigo.enrollment.started`.
    case enrollmentStarted(EnrollmentStarted)
    /// ``EnrollmentDroppedOut``: `no.vigo.enrollment.dropped-out`.
    case enrollmentDroppedOut(EnrollmentDroppedOut)
    /// ``EducationCompleted``: `no.vigo.education.completed`.
    case educationCompleted(EducationCompleted)

    /// ``Topic/enrollment``.
    public static var topic: Topic { .enrollment }

    /// Every payload type the topic carries.
    public static var payloadTypes: [any EventPayload.Type] {
        [
            PersonUpdated.self,
            ApplicationSubmitted.self,
            ApplicationMissing.self,
            OfferAnswered.self,
            EnrollmentStarted.self,
            EnrollmentDroppedOut.self,
            EducationCompleted.self,
        ]
    }

    /// Decodes an event into the case its `type` names.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or the
    ///   ``ContractError`` of a missing or invalid field.
    public init(_ event: borrowing CloudEvent) throws(ContractError) {
        switch event.type {
        case PersonUpdated.eventType: self = .personUpdated(try event.decodePayload())
        case ApplicationSubmitted.eventType: self = .applicationSubmitted(try event.decodePayload())
        case ApplicationMissing.eventType: self = .applicationMissing(try event.decodePayload())
        case OfferAnswered.eventType: self = .offerAnswered(try event.decodePayload())
        case EnrollmentStarted.eventType: self = .enrollmentStarted(try event.decodePayload())
        case EnrollmentDroppedOut.eventType: self = .enrollmentDroppedOut(try event.decodePayload())
        case EducationCompleted.eventType: self = .educationCompleted(try event.decodePayload())
        default: throw Self.unknown(event)
        }
    }

    /// The typed payload of the case.
    public var payload: any EventPayload {
        switch self {
        case .personUpdated(let payload): payload
        case .applicationSubmitted(let payload): payload
        case .applicationMissing(let payload): payload
        case .offerAnswered(let payload): payload
        case .enrollmentStarted(let payload): payload
        case .enrollmentDroppedOut(let payload): payload
        case .educationCompleted(let payload): payload
        }
    }

    /// The person the event is about: every upstream event is about one (a `switch`, not a cast to
    /// ``PersonKeyedPayload``, which asks the runtime on every event).
    public var personId: NationalID {
        switch self {
        case .personUpdated(let payload): payload.personId
        case .applicationSubmitted(let payload): payload.personId
        case .applicationMissing(let payload): payload.personId
        case .offerAnswered(let payload): payload.personId
        case .enrollmentStarted(let payload): payload.personId
        case .enrollmentDroppedOut(let payload): payload.personId
        case .educationCompleted(let payload): payload.personId
        }
    }
}
