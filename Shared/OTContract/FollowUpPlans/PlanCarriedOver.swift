/// An open plan moved to the youth's next registration: a new school year (the old registration closed
/// `SCHOOL_YEAR_ENDED`, the next one registered the day after) or a move to another county (closed `OTFA_IM`, the
/// next one registered the same day). The plan, its goals, measures and reviews go on unchanged.
///
/// CloudEvents type `no.ot.plan.carried-over` on ``Topic/followUpPlans``.
public struct PlanCarriedOver: PersonKeyedPayload {
    /// `no.ot.plan.carried-over`.
    public static let eventType = "no.ot.plan.carried-over"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The registration that closed.
    public var fromRegistrationId: String
    /// The registration the plan belongs to now.
    public var toRegistrationId: String
    /// The OT unit of the new registration.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// The first day of the new registration.
    public var date: LocalDate

    /// Creates the payload.
    public init(
        planId: String,
        personId: NationalID,
        fromRegistrationId: String,
        toRegistrationId: String,
        unitId: String,
        countyNumber: County,
        date: LocalDate
    ) {
        self.planId = planId
        self.personId = personId
        self.fromRegistrationId = fromRegistrationId
        self.toRegistrationId = toRegistrationId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.date = date
    }

    /// Checks the ids.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        try Check.notBlank(fromRegistrationId, "data.fromRegistrationId")
        try Check.notBlank(toRegistrationId, "data.toRegistrationId")
    }
}
