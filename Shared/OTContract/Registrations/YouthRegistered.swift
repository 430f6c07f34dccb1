/// A youth was registered in OT, by hand or because of an upstream trigger. The first status is always `OTUK`.
///
/// CloudEvents type `no.ot.youth.registered` on ``Topic/registrations``.
public struct YouthRegistered: PersonKeyedPayload {
    /// `no.ot.youth.registered`.
    public static let eventType = "no.ot.youth.registered"
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
    /// The date the registration takes effect.
    public var registeredAt: LocalDate
    /// Why the youth was registered.
    public var reason: RegistrationReason
    /// The first status, `OTUK`.
    public var statusCode: OTStatusCode
    /// The status code's group.
    public var statusGroup: OTStatusGroup
    /// The youth's date of birth (statistics count by age at the end of the year).
    public var birthDate: LocalDate
    /// The youth's gender, when the population register gave it.
    public var gender: Gender?

    /// Creates the payload.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        registeredAt: LocalDate,
        reason: RegistrationReason,
        statusCode: OTStatusCode,
        statusGroup: OTStatusGroup,
        birthDate: LocalDate,
        gender: Gender? = nil
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.registeredAt = registeredAt
        self.reason = reason
        self.statusCode = statusCode
        self.statusGroup = statusGroup
        self.birthDate = birthDate
        self.gender = gender
    }

    /// Checks the identifiers and that the status group is the status code's.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.notBlank(unitId, "data.unitId")
        try Check.group(statusGroup, matches: statusCode, "data.statusGroup")
    }
}
