/// A youth's registration moved to another OT unit. The status does not change.
///
/// Like every ``RegistrationEvent`` but ``YouthErased``, it carries the registration's unit (the new one), county,
/// school year, reason, status and the youth's birth date and gender, so that statistics can move the youth between
/// units without a lookup.
///
/// CloudEvents type `no.ot.youth.transferred` on ``Topic/registrations``.
public struct YouthTransferred: RegistrationStatePayload {
    /// `no.ot.youth.transferred`.
    public static let eventType = "no.ot.youth.transferred"
    /// ``Topic/registrations``.
    public static var topic: Topic { .registrations }

    /// The registration.
    public var registrationId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The OT unit that follows the youth up after the event: the same as ``toUnitId``, under the name every
    /// registrations event uses.
    public var unitId: String
    /// The county of ``unitId``: the same as ``toCountyNumber``.
    public var countyNumber: County
    /// The school year of the registration.
    public var schoolYear: SchoolYear
    /// The unit before.
    public var fromUnitId: String
    /// Its county.
    public var fromCountyNumber: County
    /// The unit now; ``unitId`` repeats it.
    public var toUnitId: String
    /// Its county; ``countyNumber`` repeats it.
    public var toCountyNumber: County
    /// Why the youth was registered.
    public var reason: RegistrationReason
    /// The status after the event: the youth's current status, which a transfer does not change.
    public var statusCode: OTStatusCode
    /// The group of ``statusCode``.
    public var statusGroup: OTStatusGroup
    /// The date the move took effect.
    public var effectiveDate: LocalDate
    /// The youth's date of birth (statistics count by age at the end of the year).
    public var birthDate: LocalDate
    /// The youth's gender, when the population register gave it; absent when unknown.
    public var gender: Gender?

    /// Creates the payload, with ``unitId`` and ``countyNumber`` the same as `toUnitId` and `toCountyNumber`.
    /// - Parameters:
    ///   - registrationId: The registration.
    ///   - personId: The person.
    ///   - schoolYear: The school year of the registration.
    ///   - fromUnitId: The unit before.
    ///   - fromCountyNumber: Its county.
    ///   - toUnitId: The unit now.
    ///   - toCountyNumber: Its county.
    ///   - reason: Why the youth was registered.
    ///   - statusCode: The youth's current status.
    ///   - statusGroup: The group of `statusCode`.
    ///   - effectiveDate: The date the move took effect.
    ///   - birthDate: The youth's date of birth.
    ///   - gender: The youth's gender, or `nil` when unknown.
    public init(
        registrationId: String,
        personId: NationalID,
        schoolYear: SchoolYear,
        fromUnitId: String,
        fromCountyNumber: County,
        toUnitId: String,
        toCountyNumber: County,
        reason: RegistrationReason,
        statusCode: OTStatusCode,
        statusGroup: OTStatusGroup,
        effectiveDate: LocalDate,
        birthDate: LocalDate,
        gender: Gender? = nil
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = toUnitId
        self.countyNumber = toCountyNumber
        self.schoolYear = schoolYear
        self.fromUnitId = fromUnitId
        self.fromCountyNumber = fromCountyNumber
        self.toUnitId = toUnitId
        self.toCountyNumber = toCountyNumber
        self.reason = reason
        self.statusCode = statusCode
        self.statusGroup = statusGroup
        self.effectiveDate = effectiveDate
        self.birthDate = birthDate
        self.gender = gender
    }

    /// Checks the identifiers, that ``unitId`` and ``countyNumber`` are the unit and county moved to, and that the
    /// status group is the status code's.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.notBlank(toUnitId, "data.toUnitId")
        try Check.same(unitId, as: toUnitId, "data.unitId", "data.toUnitId")
        try Check.same(countyNumber, as: toCountyNumber, "data.countyNumber", "data.toCountyNumber")
        try Check.group(statusGroup, matches: statusCode, "data.statusGroup")
    }
}

extension YouthTransferred: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let state = RegistrationStateFields(fields),
            let fromUnitId = fields.string("fromUnitId"),
            let fromCountyNumber = fields.value(County.self, "fromCountyNumber"),
            let toUnitId = fields.string("toUnitId"),
            let toCountyNumber = fields.value(County.self, "toCountyNumber"),
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
        self.fromUnitId = fromUnitId
        self.fromCountyNumber = fromCountyNumber
        self.toUnitId = toUnitId
        self.toCountyNumber = toCountyNumber
        self.statusCode = statusCode
    }
}

extension YouthTransferred: DirectJSONEncodable {
    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        writeState(to: &object)
        object.string("fromUnitId", fromUnitId)
        object.value("fromCountyNumber", fromCountyNumber)
        object.string("toUnitId", toUnitId)
        object.value("toCountyNumber", toCountyNumber)
        object.value("statusCode", statusCode)
    }
}
