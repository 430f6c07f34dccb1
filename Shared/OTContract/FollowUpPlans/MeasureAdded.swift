/// A measure was added to a plan.
///
/// CloudEvents type `no.ot.plan.measure-added` on ``Topic/followUpPlans``.
public struct MeasureAdded: PersonKeyedPayload {
    /// `no.ot.plan.measure-added`.
    public static let eventType = "no.ot.plan.measure-added"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The measure.
    public var measureId: String
    /// The goal it serves, if any.
    public var goalId: String?
    /// What kind of measure.
    public var measureType: MeasureType
    /// Who carries it out.
    public var responsibleAgency: ResponsibleAgency
    /// When it is due, if it has a date.
    public var dueDate: LocalDate?
    /// The measure, in words.
    public var description: String
    /// Its status, `PLANNED` when added.
    public var status: MeasureStatus

    /// Creates the payload.
    public init(
        planId: String,
        personId: NationalID,
        measureId: String,
        goalId: String? = nil,
        measureType: MeasureType,
        responsibleAgency: ResponsibleAgency,
        dueDate: LocalDate? = nil,
        description: String,
        status: MeasureStatus
    ) {
        self.planId = planId
        self.personId = personId
        self.measureId = measureId
        self.goalId = goalId
        self.measureType = measureType
        self.responsibleAgency = responsibleAgency
        self.dueDate = dueDate
        self.description = description
        self.status = status
    }

    /// Checks the ids.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        try Check.notBlank(measureId, "data.measureId")
    }
}
