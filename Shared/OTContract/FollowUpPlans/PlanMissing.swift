/// A youth has been registered in OT for the configured period (4 weeks by default) without a follow-up plan: the
/// county's duty to give every youth an offer and a plan is not met. Published once per unbroken stretch in OT.
///
/// CloudEvents type `no.ot.plan.missing` on ``Topic/followUpPlans``.
public struct PlanMissing: PersonKeyedPayload {
    /// `no.ot.plan.missing`.
    public static let eventType = "no.ot.plan.missing"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The youth's open registration (the latest of the stretch).
    public var registrationId: String
    /// The OT unit that follows the youth up.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// The first day of the youth's unbroken stretch in OT (a new school year or a move continues it).
    public var registeredSince: LocalDate
    /// The last day a plan was due: `registeredSince` plus the period.
    public var dueDate: LocalDate
    /// The first day without a plan after `dueDate` (the rule's date, the same live and when catching up).
    public var detectedOn: LocalDate

    /// Creates the payload.
    public init(
        personId: NationalID,
        registrationId: String,
        unitId: String,
        countyNumber: County,
        registeredSince: LocalDate,
        dueDate: LocalDate,
        detectedOn: LocalDate
    ) {
        self.personId = personId
        self.registrationId = registrationId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.registeredSince = registeredSince
        self.dueDate = dueDate
        self.detectedOn = detectedOn
    }

    /// Checks the ids and that the dates follow each other.
    public func validate() throws(ContractError) {
        try Check.notBlank(registrationId, "data.registrationId")
        guard dueDate >= registeredSince else {
            throw .invalidField("data.dueDate", reason: "\(dueDate) is before data.registeredSince \(registeredSince)")
        }
        guard detectedOn > dueDate else {
            throw .invalidField("data.detectedOn", reason: "\(detectedOn) is not after data.dueDate \(dueDate)")
        }
    }
}
