/// A case-worker command on `ot.registrations.commands.v1`: one case per command type. Every command gets a
/// ``CommandReply`` on `ot.replies.v1`.
public enum RegistrationCommand: TopicEvent {
    /// ``RegisterYouth``: `no.ot.registration.register`.
    case register(RegisterYouth)
    /// ``RecordContact``: `no.ot.contact.record`.
    case recordContact(RecordContact)
    /// ``SetStatus``: `no.ot.status.set`.
    case setStatus(SetStatus)
    /// ``RecordActivity``: `no.ot.activity.record`.
    case recordActivity(RecordActivity)
    /// ``TransferRegistration``: `no.ot.registration.transfer`.
    case transfer(TransferRegistration)
    /// ``CloseRegistration``: `no.ot.registration.close`.
    case close(CloseRegistration)
    /// ``ErasePerson``: `no.ot.person.erase`.
    case erasePerson(ErasePerson)

    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// Every payload type the topic carries.
    public static var payloadTypes: [any EventPayload.Type] {
        [
            RegisterYouth.self,
            RecordContact.self,
            SetStatus.self,
            RecordActivity.self,
            TransferRegistration.self,
            CloseRegistration.self,
            ErasePerson.self,
        ]
    }

    /// Decodes an event into the case its `type` names.
    /// - Throws: ``ContractError/unknownEventType(type:topic:)`` for a type the topic does not carry, or the
    ///   ``ContractError`` of a missing or invalid field.
    public init(_ event: borrowing CloudEvent) throws(ContractError) {
        switch event.type {
        case RegisterYouth.eventType: self = .register(try event.decodePayload())
        case RecordContact.eventType: self = .recordContact(try event.decodePayload())
        case SetStatus.eventType: self = .setStatus(try event.decodePayload())
        case RecordActivity.eventType: self = .recordActivity(try event.decodePayload())
        case TransferRegistration.eventType: self = .transfer(try event.decodePayload())
        case CloseRegistration.eventType: self = .close(try event.decodePayload())
        case ErasePerson.eventType: self = .erasePerson(try event.decodePayload())
        default: throw Self.unknown(event)
        }
    }

    /// The typed payload of the case.
    public var payload: any EventPayload {
        switch self {
        case .register(let payload): payload
        case .recordContact(let payload): payload
        case .setStatus(let payload): payload
        case .recordActivity(let payload): payload
        case .transfer(let payload): payload
        case .close(let payload): payload
        case .erasePerson(let payload): payload
        }
    }
}
