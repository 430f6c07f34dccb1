/// A plan closed, by a case worker or because its registration closed.
///
/// CloudEvents type `no.ot.plan.closed` on ``Topic/followUpPlans``.
public struct PlanClosed: PersonKeyedPayload {
    /// `no.ot.plan.closed`.
    public static let eventType = "no.ot.plan.closed"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The date it closed.
    public var date: LocalDate
    /// Why.
    public var cause: PlanClosureCause

    /// Creates the payload.
    public init(planId: String, personId: NationalID, date: LocalDate, cause: PlanClosureCause) {
        self.planId = planId
        self.personId = personId
        self.date = date
        self.cause = cause
    }
}
