/// A follow-up plan was created for a youth's open registration.
///
/// CloudEvents type `no.ot.plan.created` on ``Topic/followUpPlans``.
public struct PlanCreated: PersonKeyedPayload {
    /// `no.ot.plan.created`.
    public static let eventType = "no.ot.plan.created"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The registration the plan belongs to.
    public var registrationId: String
    /// The OT unit that follows the youth up.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// The date the plan was made.
    public var date: LocalDate
    /// When the plan is to be reviewed first (the date plus the service's first-review period).
    public var nextReviewDate: LocalDate?

    /// Creates the payload.
    public init(
        planId: String,
        personId: NationalID,
        registrationId: String,
        unitId: String,
        countyNumber: County,
        date: LocalDate,
        nextReviewDate: LocalDate? = nil
    ) {
        self.planId = planId
        self.personId = personId
        self.registrationId = registrationId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.date = date
        self.nextReviewDate = nextReviewDate
    }

    /// Checks the ids.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        try Check.notBlank(registrationId, "data.registrationId")
    }
}
