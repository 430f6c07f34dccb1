/// A case worker registers a youth in OT by hand.
///
/// CloudEvents type `no.ot.registration.register` on ``Topic/registrationCommands``.
public struct RegisterYouth: PersonKeyedPayload {
    /// `no.ot.registration.register`.
    public static let eventType = "no.ot.registration.register"
    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The OT unit (OT-enhet) to follow the youth up.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// Why the youth is registered.
    public var reason: RegistrationReason
    /// The date the registration takes effect.
    public var date: LocalDate

    /// Creates the payload.
    public init(
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        reason: RegistrationReason,
        date: LocalDate
    ) {
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.reason = reason
        self.date = date
    }

    /// Checks that the unit is given.
    public func validate() throws(ContractError) {
        try Check.notBlank(unitId, "data.unitId")
    }
}
