/// An attempt to contact a youth was recorded. Reaching a youth in `OTUK` establishes contact (`OTOV`); that change
/// also comes as its own ``StatusChanged``.
///
/// Like every ``RegistrationEvent`` but ``YouthErased``, it carries the registration's unit, county, school year,
/// reason, status and the youth's birth date and gender, so that consumers need no lookup.
///
/// CloudEvents type `no.ot.youth.contact-recorded` on ``Topic/registrations``.
public struct ContactRecorded: RegistrationStatePayload {
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
    /// The date of the attempt; ``effectiveDate`` repeats it.
    public var date: LocalDate
    /// How.
    public var channel: ContactChannel
    /// Whether the youth was reached.
    public var reached: Bool
    /// Why the youth was registered.
    public var reason: RegistrationReason
    /// The status after the event: the youth's status once the contact is recorded, including the change to `OTOV`
    /// that reaching a youth in `OTUK` makes.
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
    ///   - date: The date of the attempt.
    ///   - channel: How.
    ///   - reached: Whether the youth was reached.
    ///   - reason: Why the youth was registered.
    ///   - statusCode: The youth's status once the contact is recorded.
    ///   - statusGroup: The group of `statusCode`.
    ///   - birthDate: The youth's date of birth.
    ///   - gender: The youth's gender, or `nil` when unknown.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        date: LocalDate,
        channel: ContactChannel,
        reached: Bool,
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
        self.date = date
        self.channel = channel
        self.reached = reached
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

extension ContactRecorded: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let state = RegistrationStateFields(fields),
            let date = fields.value(LocalDate.self, "date"),
            let channel = fields.value(ContactChannel.self, "channel"),
            let reached = fields.bool("reached"),
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
        self.date = date
        self.channel = channel
        self.reached = reached
        self.statusCode = statusCode
    }
}

extension ContactRecorded: DirectJSONEncodable {
    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        writeState(to: &object)
        object.value("date", date)
        object.value("channel", channel)
        object.bool("reached", reached)
        object.value("statusCode", statusCode)
    }
}
