/// A youth's registration moved to another OT unit. It carries the current status so that statistics can move the
/// youth between units without a lookup.
///
/// CloudEvents type `no.ot.youth.transferred` on ``Topic/registrations``.
public struct YouthTransferred: PersonKeyedPayload {
    /// `no.ot.youth.transferred`.
    public static let eventType = "no.ot.youth.transferred"
    /// ``Topic/registrations``.
    public static var topic: Topic { .registrations }

    /// The registration.
    public var registrationId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The school year of the registration.
    public var schoolYear: SchoolYear
    /// The unit before.
    public var fromUnitId: String
    /// Its county.
    public var fromCountyNumber: County
    /// The unit now.
    public var toUnitId: String
    /// Its county.
    public var toCountyNumber: County
    /// The youth's current status.
    public var statusCode: OTStatusCode
    /// Its group.
    public var statusGroup: OTStatusGroup
    /// The date the move took effect.
    public var effectiveDate: LocalDate

    /// Creates the payload.
    public init(
        registrationId: String,
        personId: NationalID,
        schoolYear: SchoolYear,
        fromUnitId: String,
        fromCountyNumber: County,
        toUnitId: String,
        toCountyNumber: County,
        statusCode: OTStatusCode,
        statusGroup: OTStatusGroup,
        effectiveDate: LocalDate
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.schoolYear = schoolYear
        self.fromUnitId = fromUnitId
        self.fromCountyNumber = fromCountyNumber
        self.toUnitId = toUnitId
        self.toCountyNumber = toCountyNumber
        self.statusCode = statusCode
        self.statusGroup = statusGroup
        self.effectiveDate = effectiveDate
    }

    /// Checks the identifiers and that the status group is the status code's.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.notBlank(toUnitId, "data.toUnitId")
        try Check.group(statusGroup, matches: statusCode, "data.statusGroup")
    }
}
