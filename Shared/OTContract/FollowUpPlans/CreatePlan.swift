/// A case worker creates a follow-up plan (oppfølgingsplan) for a youth with an open registration.
///
/// CloudEvents type `no.ot.plan.create` on ``Topic/followUpPlanCommands``.
public struct CreatePlan: PersonKeyedPayload {
    /// `no.ot.plan.create`.
    public static let eventType = "no.ot.plan.create"
    /// ``Topic/followUpPlanCommands``.
    public static var topic: Topic { .followUpPlanCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The new plan's id, chosen by the sender (a UUID) so that a retried command makes one plan.
    public var planId: String
    /// The date the plan is made.
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
