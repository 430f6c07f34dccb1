/// A goal was added to a plan.
///
/// CloudEvents type `no.ot.plan.goal-added` on ``Topic/followUpPlans``.
public struct GoalAdded: PersonKeyedPayload {
    /// `no.ot.plan.goal-added`.
    public static let eventType = "no.ot.plan.goal-added"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The goal.
    public var goalId: String
    /// The goal, in words.
    public var description: String

    /// Creates the payload.
    public init(planId: String, personId: NationalID, goalId: String, description: String) {
        self.planId = planId
        self.personId = personId
        self.goalId = goalId
        self.description = description
    }

    /// Checks the ids.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        try Check.notBlank(goalId, "data.goalId")
    }
}
