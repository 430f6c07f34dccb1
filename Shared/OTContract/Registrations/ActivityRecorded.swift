/// An activity in following a youth up was recorded.
///
/// CloudEvents type `no.ot.youth.activity-recorded` on ``Topic/registrations``.
public struct ActivityRecorded: PersonKeyedPayload {
    /// `no.ot.youth.activity-recorded`.
    public static let eventType = "no.ot.youth.activity-recorded"
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
    /// What was done.
    public var activityType: ActivityType
    /// When.
    public var date: LocalDate

    /// Creates the payload.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        activityType: ActivityType,
        date: LocalDate
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.activityType = activityType
        self.date = date
    }

    /// Checks the identifiers.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
    }
}
