/// A case worker closes a plan.
///
/// CloudEvents type `no.ot.plan.close` on ``Topic/followUpPlanCommands``.
public struct ClosePlan: PersonKeyedPayload {
    /// `no.ot.plan.close`.
    public static let eventType = "no.ot.plan.close"
    /// ``Topic/followUpPlanCommands``.
    public static var topic: Topic { .followUpPlanCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The plan.
    public var planId: String
    /// The date the plan closes.
    public var date: LocalDate

    /// Creates the payload.
    public init(personId: NationalID, planId: String, date: LocalDate) {
        self.personId = personId
        self.planId = planId
        self.date = date
    }

    /// Checks the plan id.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
    }
}
