/// A case worker sets a youth's OT status code.
///
/// CloudEvents type `no.ot.status.set` on ``Topic/registrationCommands``.
public struct SetStatus: PersonKeyedPayload {
    /// `no.ot.status.set`.
    public static let eventType = "no.ot.status.set"
    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The new status.
    public var statusCode: OTStatusCode
    /// The date the status takes effect.
    public var effectiveDate: LocalDate

    /// Creates the payload.
    public init(personId: NationalID, statusCode: OTStatusCode, effectiveDate: LocalDate) {
        self.personId = personId
        self.statusCode = statusCode
        self.effectiveDate = effectiveDate
    }

    /// Checks that the status code is valid on its effective date.
    public func validate() throws(ContractError) {
        try Check.valid(statusCode, on: effectiveDate, "data.statusCode")
    }
}
