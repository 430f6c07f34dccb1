/// A case worker adds a goal to a plan.
///
/// CloudEvents type `no.ot.plan.goal.add` on ``Topic/followUpPlanCommands``.
public struct AddGoal: PersonKeyedPayload {
    /// `no.ot.plan.goal.add`.
    public static let eventType = "no.ot.plan.goal.add"
    /// ``Topic/followUpPlanCommands``.
    public static var topic: Topic { .followUpPlanCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The plan.
    public var planId: String
    /// The new goal's id, chosen by the sender.
    public var goalId: String
    /// The goal, in words.
    public var description: String

    /// Creates the payload.
    public init(personId: NationalID, planId: String, goalId: String, description: String) {
        self.personId = personId
        self.planId = planId
        self.goalId = goalId
        self.description = description
    }

    /// Checks the ids and the description.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        try Check.notBlank(goalId, "data.goalId")
        try Check.notBlank(description, "data.description")
    }
}
