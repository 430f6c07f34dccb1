/// A youth was registered in OT, by hand or because of an upstream trigger. The first status is always `OTUK`.
///
/// Like every ``RegistrationEvent`` but ``YouthErased``, it carries the registration's unit, county, school year,
/// reason, status and the youth's birth date and gender, so that consumers need no lookup.
///
/// CloudEvents type `no.ot.youth.registered` on ``Topic/registrations``.
public struct YouthRegistered: RegistrationStatePayload {
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
    /// The date the registration takes effect; ``effectiveDate`` repeats it.
    public var registeredAt: LocalDate
    /// Why the youth was registered.
    public var reason: RegistrationReason
    /// The status after the event: the first status, `OTUK`.
    public var statusCode: OTStatusCode
    /// The group of ``statusCode``.
    public var statusGroup: OTStatusGroup
    /// The date the event takes effect: the same as ``registeredAt``, under the name every registrations event uses.
    public var effectiveDate: LocalDate
    /// The youth's date of birth (statistics count by age at the end of the year).
    public var birthDate: LocalDate
    /// The youth's gender, when the population register gave it; absent when unknown.
    public var gender: Gender?

    /// Creates the payload, with ``effectiveDate`` the same as `registeredAt`.
    /// - Parameters:
    ///   - registrationId: The registration.
    ///   - personId: The person.
    ///   - unitId: The OT unit that follows the youth up.
    ///   - countyNumber: The unit's county.
    ///   - schoolYear: The school year of the registration.
    ///   - registeredAt: The date the registration takes effect.
    ///   - reason: Why the youth was registered.
    ///   - statusCode: The first status, `OTUK`.
    ///   - statusGroup: The group of `statusCode`.
    ///   - birthDate: The youth's date of birth.
    ///   - gender: The youth's gender, or `nil` when unknown.
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
        self.effectiveDate = registeredAt
        self.birthDate = birthDate
        self.gender = gender
    }

    /// Checks the identifiers, that ``effectiveDate`` is ``registeredAt`` and that the status group is the status
    /// code's.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.notBlank(unitId, "data.unitId")
        try Check.same(effectiveDate, as: registeredAt, "data.effectiveDate", "data.registeredAt")
        try Check.group(statusGroup, matches: statusCode, "data.statusGroup")
    }
}

extension YouthRegistered: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let state = RegistrationStateFields(fields),
            let registeredAt = fields.value(LocalDate.self, "registeredAt"),
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
        self.registeredAt = registeredAt
        self.statusCode = statusCode
    }
}

extension YouthRegistered: DirectJSONEncodable {
    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        writeState(to: &object)
        object.value("registeredAt", registeredAt)
        object.value("statusCode", statusCode)
    }
}
