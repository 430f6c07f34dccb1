/// A plan was reviewed.
///
/// CloudEvents type `no.ot.plan.review-recorded` on ``Topic/followUpPlans``.
public struct ReviewRecorded: PersonKeyedPayload {
    /// `no.ot.plan.review-recorded`.
    public static let eventType = "no.ot.plan.review-recorded"
    /// ``Topic/followUpPlans``.
    public static var topic: Topic { .followUpPlans }

    /// The plan.
    public var planId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The date of the review.
    public var date: LocalDate
    /// When the plan is to be reviewed next.
    public var nextReviewDate: LocalDate
    /// A short summary, if any.
    public var summary: String?

    /// Creates the payload.
    public init(
        planId: String,
        personId: NationalID,
        date: LocalDate,
        nextReviewDate: LocalDate,
        summary: String? = nil
    ) {
        self.planId = planId
        self.personId = personId
        self.date = date
        self.nextReviewDate = nextReviewDate
        self.summary = summary
    }

    /// Checks that the next review comes after this one.
    public func validate() throws(ContractError) {
        guard nextReviewDate > date else {
            throw .invalidField("data.nextReviewDate", reason: "\(nextReviewDate) is not after data.date \(date)")
        }
    }
}
