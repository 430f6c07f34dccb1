/// A person's personal data was removed from the registrations store. Every other store removes what it holds about
/// the person too.
///
/// - Important: Unlike every other ``RegistrationEvent``, it carries no personal data beyond the national ID (the
///   Kafka key) and the ids of the registrations removed: no birth date, no gender, no unit or status.
///
/// CloudEvents type `no.ot.youth.erased` on ``Topic/registrations``.
public struct YouthErased: PersonKeyedPayload {
    /// `no.ot.youth.erased`.
    public static let eventType = "no.ot.youth.erased"
    /// ``Topic/registrations``.
    public static var topic: Topic { .registrations }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The registrations that were removed.
    public var registrationIds: [String]
    /// When.
    public var erasedAt: Timestamp

    /// Creates the payload.
    public init(personId: NationalID, registrationIds: [String], erasedAt: Timestamp) {
        self.personId = personId
        self.registrationIds = registrationIds
        self.erasedAt = erasedAt
    }
}
