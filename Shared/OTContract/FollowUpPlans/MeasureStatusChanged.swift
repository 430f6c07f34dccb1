/// A measure moved to another status.
///
/// CloudEvents type `no.ot.plan.measure-status-changed` on ``Topic/followUpPlans``.
public struct MeasureStatusChanged: PersonKeyedPayload {
    /// `no.ot.plan.measure-status-changed`.
    public static let eventType = "no.ot.plan.measure-status-changed"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The measure.
    public var measureId: String
    /// The status before.
    public var from: MeasureStatus
    /// The status now.
    public var to: MeasureStatus
    /// The date of the change.
    public var date: LocalDate

    /// Creates the payload.
    public init(
        planId: String,
        personId: NationalID,
        measureId: String,
        from: MeasureStatus,
        to: MeasureStatus,
        date: LocalDate
    ) {
        self.planId = planId
        self.personId = personId
        self.measureId = measureId
        self.from = from
        self.to = to
        self.date = date
    }

    /// Checks that the change is one a measure may make (see ``MeasureStatus/canChange(to:)``).
    public func validate() throws(ContractError) {
        try Check.notBlank(measureId, "data.measureId")
        guard from.canChange(to: to) else {
            throw .invalidField("data.to", reason: "a measure cannot go from \(from.rawValue) to \(to.rawValue)")
        }
    }
}
