/// A plan's next review date passed without a review: the unit should act.
///
/// CloudEvents type `no.ot.plan.review-overdue` on ``Topic/followUpPlans``.
public struct ReviewOverdue: PersonKeyedPayload {
    /// `no.ot.plan.review-overdue`.
    public static let eventType = "no.ot.plan.review-overdue"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The OT unit that follows the youth up.
    public var unitId: String
    /// The unit's county.
    public var countyNumber: County
    /// The review date that passed.
    public var nextReviewDate: LocalDate
    /// The date the plans service noticed.
    public var detectedOn: LocalDate

    /// Creates the payload.
    public init(
        planId: String,
        personId: NationalID,
        unitId: String,
        countyNumber: County,
        nextReviewDate: LocalDate,
        detectedOn: LocalDate
    ) {
        self.planId = planId
        self.personId = personId
        self.unitId = unitId
        self.countyNumber = countyNumber
        self.nextReviewDate = nextReviewDate
        self.detectedOn = detectedOn
    }

    /// Checks that the review date had passed when it was noticed.
    public func validate() throws(ContractError) {
        guard detectedOn > nextReviewDate else {
            throw .invalidField(
                "data.detectedOn", reason: "\(detectedOn) is not after data.nextReviewDate \(nextReviewDate)")
        }
    }
}
