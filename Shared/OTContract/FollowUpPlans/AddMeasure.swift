/// A case worker adds a measure to a plan.
///
/// CloudEvents type `no.ot.plan.measure.add` on ``Topic/followUpPlanCommands``.
public struct AddMeasure: PersonKeyedPayload {
    /// `no.ot.plan.measure.add`.
    public static let eventType = "no.ot.plan.measure.add"
    /// ``Topic/followUpPlanCommands``.
    public static var topic: Topic { .followUpPlanCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The plan.
    public var planId: String
    /// The new measure's id, chosen by the sender.
    public var measureId: String
    /// The goal the measure serves, if any.
    public var goalId: String?
    /// What kind of measure.
    public var measureType: MeasureType
    /// Who carries it out.
    public var responsibleAgency: ResponsibleAgency
    /// When it is due, if it has a date.
    public var dueDate: LocalDate?
    /// The measure, in words.
    public var description: String

    /// Creates the payload.
    public init(
        personId: NationalID,
        planId: String,
        measureId: String,
        goalId: String? = nil,
        measureType: MeasureType,
        responsibleAgency: ResponsibleAgency,
        dueDate: LocalDate? = nil,
        description: String
    ) {
        self.personId = personId
        self.planId = planId
        self.measureId = measureId
        self.goalId = goalId
        self.measureType = measureType
        self.responsibleAgency = responsibleAgency
        self.dueDate = dueDate
        self.description = description
    }

    /// Checks the ids and the description.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        try Check.notBlank(measureId, "data.measureId")
        try Check.notBlank(goalId, "data.goalId")
        try Check.notBlank(description, "data.description")
    }
}
