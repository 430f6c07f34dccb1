/// A case worker moves a measure to another status.
///
/// CloudEvents type `no.ot.plan.measure.status.set` on ``Topic/followUpPlanCommands``.
public struct SetMeasureStatus: PersonKeyedPayload {
    /// `no.ot.plan.measure.status.set`.
    public static let eventType = "no.ot.plan.measure.status.set"
    /// ``Topic/followUpPlanCommands``.
    public static var topic: Topic { .followUpPlanCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The plan.
    public var planId: String
    /// The measure.
    public var measureId: String
    /// The new status.
    public var status: MeasureStatus
    /// The date of the change.
    public var date: LocalDate

    /// Creates the payload.
    public init(personId: NationalID, planId: String, measureId: String, status: MeasureStatus, date: LocalDate) {
        self.personId = personId
        self.planId = planId
        self.measureId = measureId
        self.status = status
        self.date = date
    }

    /// Checks the ids.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        try Check.notBlank(measureId, "data.measureId")
    }
}
