/// A case worker records a review of a plan and sets the next review date.
///
/// CloudEvents type `no.ot.plan.review.record` on ``Topic/followUpPlanCommands``.
public struct RecordReview: PersonKeyedPayload {
    /// `no.ot.plan.review.record`.
    public static let eventType = "no.ot.plan.review.record"
    /// ``Topic/followUpPlanCommands``.
    public static var topic: Topic { .followUpPlanCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The plan.
    public var planId: String
    /// The date of the review.
    public var date: LocalDate
    /// When the plan is to be reviewed next; after `date`.
    public var nextReviewDate: LocalDate
    /// A short summary, if any.
    public var summary: String?

    /// Creates the payload.
    public init(
        personId: NationalID,
        planId: String,
        date: LocalDate,
        nextReviewDate: LocalDate,
        summary: String? = nil
    ) {
        self.personId = personId
        self.planId = planId
        self.date = date
        self.nextReviewDate = nextReviewDate
        self.summary = summary
    }

    /// Checks that the next review comes after this one.
    public func validate() throws(ContractError) {
        try Check.notBlank(planId, "data.planId")
        guard nextReviewDate > date else {
            throw .invalidField("data.nextReviewDate", reason: "\(nextReviewDate) is not after data.date \(date)")
        }
    }
}
