/// A youth's registration closed, for the ``cause`` it names: a group 5 status code, aging out, completed education
/// or the end of the school year. Follow-up plans close with it.
///
/// Like every ``RegistrationEvent`` but ``YouthErased``, it carries the registration's unit, county, school year,
/// reason, status and the youth's birth date and gender, so that consumers need no lookup. Unlike the others, its
/// ``statusCode`` is optional: only a registration closed by a status code has one. ``statusGroup`` is always given.
///
/// CloudEvents type `no.ot.youth.registration-closed` on ``Topic/registrations``.
public struct RegistrationClosed: RegistrationStatePayload {
    /// `no.ot.youth.registration-closed`.
    public static let eventType = "no.ot.youth.registration-closed"
    /// ``Topic/registrations``.
    public static var topic: Topic { .registrations }

    /// The registration.
    public var registrationId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The OT unit (OT-enhet) that followed the youth up until the registration closed.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// The school year of the registration.
    public var schoolYear: SchoolYear
    /// Why it closed.
    public var cause: RegistrationClosureCause
    /// Why the youth was registered.
    public var reason: RegistrationReason
    /// The closing group 5 code, present exactly when the cause is ``RegistrationClosureCause/statusCode``; it is
    /// then the status after the event. A registration that closes for another cause gets no new code, so this is
    /// absent.
    public var statusCode: OTStatusCode?
    /// The group of the youth's status after the event: 5 (``OTStatusGroup/ikkeIMalgruppen``), the group of
    /// ``statusCode``, when closed by a status code; otherwise the group (1 to 4) of the last status the
    /// registration held, which closing it does not change.
    public var statusGroup: OTStatusGroup
    /// The date the registration closed.
    public var effectiveDate: LocalDate
    /// The youth's date of birth (statistics count by age at the end of the year).
    public var birthDate: LocalDate
    /// The youth's gender, when the population register gave it; absent when unknown.
    public var gender: Gender?

    /// Creates the payload.
    /// - Parameters:
    ///   - registrationId: The registration.
    ///   - personId: The person.
    ///   - unitId: The OT unit that followed the youth up.
    ///   - countyNumber: The unit's county.
    ///   - schoolYear: The school year of the registration.
    ///   - cause: Why it closed.
    ///   - reason: Why the youth was registered.
    ///   - statusCode: The closing group 5 code when `cause` is ``RegistrationClosureCause/statusCode``, else `nil`.
    ///   - statusGroup: The group of `statusCode`, or for another cause the group of the last status held.
    ///   - effectiveDate: The date the registration closed.
    ///   - birthDate: The youth's date of birth.
    ///   - gender: The youth's gender, or `nil` when unknown.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        cause: RegistrationClosureCause,
        reason: RegistrationReason,
        statusCode: OTStatusCode? = nil,
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
        self.cause = cause
        self.reason = reason
        self.statusCode = statusCode
        self.statusGroup = statusGroup
        self.effectiveDate = effectiveDate
        self.birthDate = birthDate
        self.gender = gender
    }

    /// Checks the identifiers, that a closing status code is given exactly when the cause is a status code and is
    /// in group 5, and that the status group is the closing code's, or without one, not group 5.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        try Check.notBlank(unitId, "data.unitId")
        switch (cause, statusCode) {
        case (.statusCode, nil):
            throw .missingField("data.statusCode")
        case (.statusCode, let code?):
            guard code.closesRegistration else {
                throw .invalidField("data.statusCode", reason: "\(code.rawValue) is not a group 5 code")
            }
            try Check.group(statusGroup, matches: code, "data.statusGroup")
        case (_, .some):
            throw .invalidField("data.statusCode", reason: "only a registration closed by a status code has one")
        case (_, nil):
            // Only a group 5 code puts a youth in group 5, and such a code closes with cause STATUS_CODE.
            guard statusGroup != .ikkeIMalgruppen else {
                throw .invalidField(
                    "data.statusGroup", reason: "is 5 but \(cause.rawValue) closes without a group 5 status code")
            }
        }
    }
}

extension RegistrationClosed: DirectJSONDecodable {
    /// The payload read from its JSON object's members, without a `Decoder`.
    public init?(fields: JSONObjectFields) {
        guard let state = RegistrationStateFields(fields),
            let cause = fields.value(RegistrationClosureCause.self, "cause"),
            let statusCode = fields.optional(OTStatusCode.self, "statusCode")
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
        self.cause = cause
        self.statusCode = statusCode
    }
}

extension RegistrationClosed: DirectJSONEncodable {
    /// Writes the payload's members, without an `Encoder`.
    public func write(to object: inout JSONObjectWriter) {
        writeState(to: &object)
        object.value("cause", cause)
        object.optional("statusCode", statusCode)
    }
}
