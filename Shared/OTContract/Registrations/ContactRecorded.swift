/// An attempt to contact a youth was recorded.
///
/// CloudEvents type `no.ot.youth.contact-recorded` on ``Topic/registrations``.
public struct ContactRecorded: PersonKeyedPayload {
    /// `no.ot.youth.contact-recorded`.
    public static let eventType = "no.ot.youth.contact-recorded"
    /// ``Topic/registrations``.
    public static var topic: Topic { .registrations }

    /// The registration.
    public var registrationId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The OT unit (OT-enhet) that follows the youth up.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// The school year of the registration.
    public var schoolYear: SchoolYear
    /// The date of the attempt.
    public var date: LocalDate
    /// How.
    public var channel: ContactChannel
    /// Whether the youth was reached.
    public var reached: Bool

    /// Creates the payload.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        date: LocalDate,
        channel: ContactChannel,
        reached: Bool
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.date = date
        self.channel = channel
        self.reached = reached
    }

    /// Checks the identifiers.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
    }
}
