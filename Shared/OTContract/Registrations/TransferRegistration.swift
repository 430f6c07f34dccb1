/// A case worker moves a youth's registration to another OT unit, in the same county or another.
///
/// CloudEvents type `no.ot.registration.transfer` on ``Topic/registrationCommands``.
public struct TransferRegistration: PersonKeyedPayload {
    /// `no.ot.registration.transfer`.
    public static let eventType = "no.ot.registration.transfer"
    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The unit to move to.
    public var toUnitId: String
    /// That unit's county.
    public var toCountyNumber: County
    /// The date the move takes effect.
    public var date: LocalDate

    /// Creates the payload.
    public init(personId: NationalID, toUnitId: String, toCountyNumber: County, date: LocalDate) {
        self.personId = personId
        self.toUnitId = toUnitId
        self.toCountyNumber = toCountyNumber
        self.date = date
    }

    /// Checks that the unit is given.
    public func validate() throws(ContractError) {
        try Check.notBlank(toUnitId, "data.toUnitId")
    }
}
