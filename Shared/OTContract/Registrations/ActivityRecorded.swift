/// An activity in following a youth up was recorded. The status does not change.
///
/// Like every ``RegistrationEvent`` but ``YouthErased``, it carries the registration's unit, county, school year,
/// reason, status and the youth's birth date and gender, so that consumers need no lookup.
///
/// CloudEvents type `no.ot.youth.activity-recorded` on ``Topic/registrations``.
public struct ActivityRecorded: RegistrationStatePayload {
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
    /// When; ``effectiveDate`` repeats it.
    public var date: LocalDate
    /// Why the youth was registered.
    public var reason: RegistrationReason
    /// The status after the event: the youth's current status, which recording an activity does not change.
    public var statusCode: OTStatusCode
    /// The group of ``statusCode``.
    public var statusGroup: OTStatusGroup
    /// The date the event takes effect: the same as ``date``, under the name every registrations event uses.
    public var effectiveDate: LocalDate
    /// The youth's date of birth (statistics count by age at the end of the year).
    public var birthDate: LocalDate
    /// The youth's gender, when the population register gave it; absent when unknown.
    public var gender: Gender?

    /// Creates the payload, with ``effectiveDate`` the same as `date`.
    /// - Parameters:
    ///   - registrationId: The registration.
    ///   - personId: The person.
    ///   - unitId: The OT unit that follows the youth up.
    ///   - countyNumber: The unit's county.
    ///   - schoolYear: The school year of the registration.
    ///   - activityType: What was done.
    ///   - date: When.
    ///   - reason: Why the youth was registered.
    ///   - statusCode: The youth's current status.
    ///   - statusGroup: The group of `statusCode`.
    ///   - birthDate: The youth's date of birth.
    ///   - gender: The youth's gender, or `nil` when unknown.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        activityType: ActivityType,
        date: LocalDate,
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
        self.activityType = activityType
        self.date = date
        self.reason = reason
        self.statusCode = statusCode
        self.statusGroup = statusGroup
        self.effectiveDate = date
        self.birthDate = birthDate
        self.gender = gender
    }

    /// Checks the identifiers, that ``effectiveDate`` is ``date`` and that the status group is the status code's.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.notBlank(unitId, "data.unitId")
        try Check.same(effectiveDate, as: date, "data.effectiveDate", "data.date")
        try Check.group(statusGroup, matches: statusCode, "data.statusGroup")
    }
}

extension ActivityRecorded: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let state = RegistrationStateFields(fields),
            let activityType = fields.value(ActivityType.self, "activityType"),
            let date = fields.value(LocalDate.self, "date"),
            let statusCode = fields.value(OTStatusCode.self, "statusCode")
        else { return nil }
        registrationId = state.registrationId
        personId = state.personId
        unitId = state.unitId
        countyNumber = state.countyNumber
        schoolYear = state.schoolYear
        reason = state.reason
        statusGroup = state.statusGroup
        effectiveDate = state.effectiveDate
        birthDate = state.birthDate
        gender = state.gender
        self.activityType = activityType
        self.date = date
        self.statusCode = statusCode
    }
}

extension ActivityRecorded: DirectJSONEncodable {
    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        writeState(to: &object)
        object.value("activityType", activityType)
        object.value("date", date)
        object.value("statusCode", statusCode)
    }
}
