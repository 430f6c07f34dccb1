import GRDB
import OTContract

/// A follow-up plan as the service keeps it (table `plans`).
struct PlanRecord: Sendable {
    var id: String
    var personId: String
    var registrationId: String
    var createdOn: LocalDate
    var nextReview: LocalDate
    /// The next-review date `no.ot.plan.review-overdue` was published for, if any.
    var overdueReportedFor: LocalDate?
    /// The day the closing of its registration arrived, when a continuing registration may follow (a new school
    /// year, a move, a correction): the plan waits for it.
    var awaitingSince: LocalDate?
    var closedOn: LocalDate?
    var closeCause: PlanClosureCause?

    var isActive: Bool { closedOn == nil }

    init(row: Row) throws {
        id = row["plan_id"]
        personId = row["person_id"]
        registrationId = row["registration_id"]
        createdOn = try LocalDate(row["created_on"] as String)
        nextReview = try LocalDate(row["next_review"] as String)
        overdueReportedFor = try (row["overdue_reported_for"] as String?).map { try LocalDate($0) }
        awaitingSince = try (row["awaiting_since"] as String?).map { try LocalDate($0) }
        closedOn = try (row["closed_on"] as String?).map { try LocalDate($0) }
        closeCause = try (row["close_cause"] as String?).map { try PlanClosureCause(code: $0) }
    }

    init(id: String, personId: String, registrationId: String, createdOn: LocalDate, nextReview: LocalDate) {
        self.id = id
        self.personId = personId
        self.registrationId = registrationId
        self.createdOn = createdOn
        self.nextReview = nextReview
    }

    static func find(_ db: Database, _ id: String) throws -> PlanRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM plans WHERE plan_id = ?"), arguments: [id])
            .map(PlanRecord.init(row:))
    }

    /// The person's active plan, if any (there is at most one).
    static func active(_ db: Database, person: String) throws -> PlanRecord? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM plans WHERE person_id = ? AND closed_on IS NULL"),
            arguments: [person]
        ).map(PlanRecord.init(row:))
    }

    func save(_ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO plans
                    (plan_id, person_id, registration_id, created_on, next_review, overdue_reported_for,
                     awaiting_since, closed_on, close_cause)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            id, personId, registrationId, createdOn.description, nextReview.description,
            overdueReportedFor?.description, awaitingSince?.description, closedOn?.description, closeCause?.rawValue,
        ])
    }
}
