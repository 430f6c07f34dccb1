import GRDB
import OTContract

/// A registration as the plans service keeps it (table `registrations`).
struct PlanRegistration: Sendable {
    var id: String
    var personId: String
    var unitId: String
    var county: County
    var registeredAt: LocalDate
    var closedAt: LocalDate?
    var closeCause: RegistrationClosureCause?
    var closeStatus: OTStatusCode?
    /// The first day of the youth's unbroken stretch in OT: its own first day, or its predecessor's `since` when it
    /// continues one (``continues(_:)``).
    var since: LocalDate
    /// The last day a plan is due for the stretch; `nil` once a plan was made, the alert was sent, or the
    /// registration was made in error.
    var missingDue: LocalDate?

    var isOpen: Bool { closedAt == nil }

    /// Whether the registration's closing is one that a continuing registration may follow: the end of a school
    /// year (the next registered the day after), a move to another county (`OTFA_IM`, the next registered that
    /// day), or `Feil` (ot-registrations replaces a registration it finds was made from the wrong trigger by one
    /// from an earlier day, published right after).
    var closesForContinuation: Bool {
        closeCause == .schoolYearEnded || closeStatus == .otfaIM || closeStatus == .feil
    }

    /// Whether `next`, registered for the same person, continues this registration.
    func isContinued(by next: YouthRegistered) -> Bool {
        guard closesForContinuation, let closedAt else { return false }
        if closeStatus == .feil { return next.registeredAt <= registeredAt }
        return (closedAt...closedAt.adding(days: 1)).contains(next.registeredAt)
    }

    init(row: Row) throws {
        id = row["registration_id"]
        personId = row["person_id"]
        unitId = row["unit_id"]
        county = try County(code: row["county"])
        registeredAt = try LocalDate(row["registered_at"] as String)
        closedAt = try (row["closed_at"] as String?).map { try LocalDate($0) }
        closeCause = try (row["close_cause"] as String?).map { try RegistrationClosureCause(code: $0) }
        closeStatus = try (row["close_status"] as String?).map { try OTStatusCode(code: $0) }
        since = try LocalDate(row["since"] as String)
        missingDue = try (row["missing_due"] as String?).map { try LocalDate($0) }
    }

    init(_ registered: YouthRegistered, since: LocalDate, missingDue: LocalDate?) {
        id = registered.registrationId
        personId = registered.personId.digits
        unitId = registered.unitId
        county = registered.countyNumber
        registeredAt = registered.registeredAt
        self.since = since
        self.missingDue = missingDue
    }

    static func find(_ db: Database, _ id: String) throws -> PlanRegistration? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM registrations WHERE registration_id = ?"), arguments: [id]
        ).map(PlanRegistration.init(row:))
    }

    /// The person's open registration, if any.
    static func open(_ db: Database, person: String) throws -> PlanRegistration? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM registrations WHERE person_id = ? AND closed_at IS NULL"),
            arguments: [person]
        ).map(PlanRegistration.init(row:))
    }

    /// The person's registrations, latest closing first.
    static func closed(_ db: Database, person: String) throws -> [PlanRegistration] {
        try Row.fetchAll(
            try db.cachedStatement(
                sql: "SELECT * FROM registrations WHERE person_id = ? AND closed_at IS NOT NULL ORDER BY closed_at DESC"
            ),
            arguments: [person]
        ).map(PlanRegistration.init(row:))
    }

    func save(_ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO registrations
                    (registration_id, person_id, unit_id, county, registered_at, closed_at, close_cause, close_status,
                     since, missing_due)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            id, personId, unitId, county.rawValue, registeredAt.description, closedAt?.description,
            closeCause?.rawValue, closeStatus?.rawValue, since.description, missingDue?.description,
        ])
    }
}
