/// A youth's OT status code changed.
///
/// Like every ``RegistrationEvent`` but ``YouthErased``, it carries the registration's unit, county, school year,
/// reason, status and the youth's birth date and gender, so that consumers need no lookup.
///
/// CloudEvents type `no.ot.youth.status-changed` on ``Topic/registrations``.
public struct StatusChanged: RegistrationStatePayload {
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
    /// The status now; ``statusCode`` repeats it.
    public var to: OTStatusCode
    /// Why the youth was registered.
    public var reason: RegistrationReason
    /// The status after the event: the same as ``to``, under the name every registrations event uses.
    public var statusCode: OTStatusCode
    /// The group of the status now (``to`` and ``statusCode``).
    public var statusGroup: OTStatusGroup
    /// The date the status took effect.
    public var effectiveDate: LocalDate
    /// The youth's date of birth (statistics count by age at the end of the year).
    public var birthDate: LocalDate
    /// The youth's gender, when the population register gave it; absent when unknown.
    public var gender: Gender?

    /// Creates the payload, with ``statusCode`` the same as `to`.
    /// - Parameters:
    ///   - registrationId: The registration.
    ///   - personId: The person.
    ///   - unitId: The OT unit that follows the youth up.
    ///   - countyNumber: The unit's county.
    ///   - schoolYear: The school year of the registration.
    ///   - from: The status before.
    ///   - to: The status now.
    ///   - reason: Why the youth was registered.
    ///   - statusGroup: The group of `to`.
    ///   - effectiveDate: The date the status took effect.
    ///   - birthDate: The youth's date of birth.
    ///   - gender: The youth's gender, or `nil` when unknown.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        from: OTStatusCode,
        to: OTStatusCode,
        reason: RegistrationReason,
        statusGroup: OTStatusGroup,
        effectiveDate: LocalDate,
        birthDate: LocalDate,
        gender: Gender? = nil
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.from = from
        self.to = to
        self.reason = reason
        self.statusCode = to
        self.statusGroup = statusGroup
        self.effectiveDate = effectiveDate
        self.birthDate = birthDate
        self.gender = gender
    }

    /// Checks the identifiers, that ``statusCode`` is ``to``, that the status group is the new code's, and that the
    /// new code is valid on its date.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.notBlank(unitId, "data.unitId")
        try Check.same(statusCode, as: to, "data.statusCode", "data.to")
        try Check.group(statusGroup, matches: to, "data.statusGroup")
        try Check.valid(to, on: effectiveDate, "data.to")
    }
}

extension StatusChanged: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let state = RegistrationStateFields(fields),
            let from = fields.value(OTStatusCode.self, "from"),
            let to = fields.value(OTStatusCode.self, "to"),
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
        self.from = from
        self.to = to
        self.statusCode = statusCode
    }
}

extension StatusChanged: DirectJSONEncodable {
    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        writeState(to: &object)
        object.value("from", from)
        object.value("to", to)
        object.value("statusCode", statusCode)
    }
}
