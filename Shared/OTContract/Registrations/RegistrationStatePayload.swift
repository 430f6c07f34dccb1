/// A ``RegistrationEvent`` payload that carries the registration's state after the event: every type but
/// ``YouthErased``. Consumers (statistics, follow-up plans) read these fields without knowing the event type.
public protocol RegistrationStatePayload: PersonKeyedPayload {
    /// The registration.
    var registrationId: String { get }
    /// The OT unit following the youth up after the event.
    var unitId: String { get }
    /// The unit's county.
    var countyNumber: County { get }
    /// The school year of the registration.
    var schoolYear: SchoolYear { get }
    /// Why the youth was registered.
    var reason: RegistrationReason { get }
    /// The status after the event; absent only on a ``RegistrationClosed`` that no status code closed.
    var currentStatusCode: OTStatusCode? { get }
    /// The status group after the event.
    var statusGroup: OTStatusGroup { get }
    /// The date the event takes effect.
    var effectiveDate: LocalDate { get }
    /// The youth's date of birth.
    var birthDate: LocalDate { get }
    /// The youth's gender, absent when unknown.
    var gender: Gender? { get }
    /// Whether the registration is open after the event: not closed, and not in status group 5.
    var leavesRegistrationOpen: Bool { get }
}

extension RegistrationStatePayload {
    /// Open unless the status after the event closes the registration (group 5).
    public var leavesRegistrationOpen: Bool { statusGroup != .ikkeIMalgruppen }
}

extension YouthRegistered { public var currentStatusCode: OTStatusCode? { statusCode } }
extension ContactRecorded { public var currentStatusCode: OTStatusCode? { statusCode } }
extension StatusChanged { public var currentStatusCode: OTStatusCode? { statusCode } }
extension ActivityRecorded { public var currentStatusCode: OTStatusCode? { statusCode } }
extension YouthTransferred { public var currentStatusCode: OTStatusCode? { statusCode } }

extension RegistrationClosed {
    /// The closing status code, when a status code closed the registration.
    public var currentStatusCode: OTStatusCode? { statusCode }
    /// Never: the registration is closed.
    public var leavesRegistrationOpen: Bool { false }
}

extension RegistrationEvent {
    /// The registration's state after the event; `nil` for ``YouthErased``.
    public var state: (any RegistrationStatePayload)? {
        switch self {
        case .registered(let payload): payload
        case .contactRecorded(let payload): payload
        case .statusChanged(let payload): payload
        case .activityRecorded(let payload): payload
        case .transferred(let payload): payload
        case .closed(let payload): payload
        case .erased: nil
        }
    }

    /// The person, by national ID: the key of every registrations event.
    public var personId: NationalID {
        switch self {
        case .erased(let payload): payload.personId
        default: state!.personId
        }
    }
}
