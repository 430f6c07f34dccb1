/// A youth's registration closed: by a group 5 status code, by aging out, or by completed education. Follow-up
/// plans close with it.
///
/// CloudEvents type `no.ot.youth.registration-closed` on ``Topic/registrations``.
public struct RegistrationClosed: PersonKeyedPayload {
    /// `no.ot.youth.registration-closed`.
    public static let eventType = "no.ot.youth.registration-closed"
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
    /// The date the registration closed.
    public var effectiveDate: LocalDate
    /// Why it closed.
    public var cause: RegistrationClosureCause
    /// The closing group 5 code, when the cause is ``RegistrationClosureCause/statusCode``.
    public var statusCode: OTStatusCode?

    /// Creates the payload.
    public init(
        registrationId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        schoolYear: SchoolYear,
        effectiveDate: LocalDate,
        cause: RegistrationClosureCause,
        statusCode: OTStatusCode? = nil
    ) {
        self.registrationId = registrationId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.schoolYear = schoolYear
        self.effectiveDate = effectiveDate
        self.cause = cause
        self.statusCode = statusCode
    }

    /// Checks that a closing status code is given exactly when the cause is a status code, and is in group 5.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        switch (cause, statusCode) {
        case (.statusCode, nil):
            throw .missingField("data.statusCode")
        case (.statusCode, let code?):
            guard code.closesRegistration else {
                throw .invalidField("data.statusCode", reason: "\(code.rawValue) is not a group 5 code")
            }
        case (_, .some):
            throw .invalidField("data.statusCode", reason: "only a registration closed by a status code has one")
        case (_, nil):
            break
        }
    }
}
