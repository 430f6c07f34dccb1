/// Remove a person's personal data everywhere: every service deletes what it holds once the registrations service
/// confirms with ``YouthErased``.
///
/// CloudEvents type `no.ot.person.erase` on ``Topic/registrationCommands``.
public struct ErasePerson: PersonKeyedPayload {
    /// `no.ot.person.erase`.
    public static let eventType = "no.ot.person.erase"
    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID

    /// Creates the payload.
    public init(personId: NationalID) {
        self.personId = personId
    }
}
