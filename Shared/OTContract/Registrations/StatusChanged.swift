/// A youth's OT status code changed.
///
/// CloudEvents type `no.ot.youth.status-changed` on ``Topic/registrations``.
public struct StatusChanged: PersonKeyedPayload {
    /// `no.ot.youth.status-changed`.
    public static let eventType = "no.ot.youth.status-changed"
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
    /// The status before.
    public var from: OTStatusCode
    /// The status now.
    public var to: OTStatusCode
    /// The group of the status now (`to`).
    public var statusGroup: OTStatusGroup
    /// The date the status took effect.
    public var effectiveDate: LocalDate

    /// Creates the payload.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        from: OTStatusCode,
        to: OTStatusCode,
        statusGroup: OTStatusGroup,
        effectiveDate: LocalDate
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.from = from
        self.to = to
        self.statusGroup = statusGroup
        self.effectiveDate = effectiveDate
    }

    /// Checks that the status group is the new code's and that the new code is valid on its date.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.group(statusGroup, matches: to, "data.statusGroup")
        try Check.valid(to, on: effectiveDate, "data.to")
    }
}
