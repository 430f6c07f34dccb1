import GRDB
import OTContract
import OTStore

/// A person as the population register last described them, and what the service derived.
struct PersonRecord: Sendable {
    var personId: NationalID
    var birthDate: LocalDate
    var gender: Gender?
    var county: County
    var municipality: String?
    /// Whether `person.updated` has arrived (a manual registration creates a person from the command alone).
    var known: Bool
    /// The time of the `person.updated` these values are from, in milliseconds since 1970: an older one arriving
    /// later does not replace them. `nil` for a person made by a command, or stored before the time was kept.
    var updatedAt: Int64? = nil
    /// Where the youth lived, from which day (every `person.updated` and transfer to another county).
    var residences = ResidenceHistory()

    /// Records where the youth lives from `entry`'s day, whenever it arrives; the county is then the latest entry's
    /// (which may be older news than `entry`).
    mutating func recordResidence(_ entry: ResidenceHistory.Entry) {
        residences.record(entry)
        county = residences.entries.last?.county ?? entry.county
    }

    /// The last day in the target group of a youth registered on `date`: 31 December of the year they reach the
    /// upper age in force then (``OTAgeGroup``).
    func agesOut(from date: LocalDate) -> LocalDate { OTAgeGroup.lastDay(birthDate: birthDate, from: date) }

    /// Whether the youth is in OT's age group on `date`, by the law in force on that date (``OTAgeGroup``).
    func isInAgeGroup(on date: LocalDate) -> Bool { OTAgeGroup.contains(birthDate: birthDate, on: date) }

    static func fetch(_ db: Database, _ personId: NationalID) throws -> PersonRecord? {
        try lookUp(db, personId).person
    }

    /// The stored person, if any, and whether any registration of theirs is stored: read together, because the
    /// registrations' own query cost about 5,400 instructions even when it found none, as it almost always does when
    /// an upstream event arrives (docs/operations.md, "whether a person has registrations, read with the person").
    static func lookUp(_ db: Database, _ personId: NationalID) throws -> Lookup {
        // The constant row makes one row whether or not the person is stored.
        let select = try DirectStatement(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM registrations WHERE registrations.person_id = ?1),
                    persons.birth_date, persons.gender, persons.county, persons.municipality, persons.known,
                    persons.updated_at, persons.residences
                FROM (SELECT 1) LEFT JOIN persons ON persons.person_id = ?1
                """)
        try select.bind(personId.digits, at: 1)
        var lookup = Lookup(person: nil, hasRegistrations: false)
        try select.forEachRow { row in
            lookup.hasRegistrations = row.int64(0) == 1
            guard let known = row.int64(5) else { return }
            // The date and the residences parsed from the bytes in place (no `String` for either).
            lookup.person = PersonRecord(
                personId: personId, birthDate: try row.withUTF8(1, LocalDate.init(utf8:)) ?? LocalDate(""),
                gender: row.text(2).flatMap(Gender.init(rawValue:)), county: try County(code: row.text(3) ?? ""),
                municipality: row.text(4), known: known == 1, updatedAt: row.int64(6),
                residences: try row.withUTF8(7, ResidenceHistory.init(encodedUTF8:)) ?? ResidenceHistory())
        }
        return lookup
    }

    /// A person as stored, if stored, and whether any registration of theirs was stored when it was read.
    struct Lookup: Sendable {
        var person: PersonRecord?
        var hasRegistrations: Bool
    }

    /// The stored person, or one known only by the national ID (birth date from the number) until
    /// `person.updated` arrives; its county is a placeholder that nothing reads while `known` is false.
    static func fetchOrPlaceholder(_ db: Database, _ personId: NationalID) throws -> PersonRecord {
        try fetch(db, personId)
            ?? PersonRecord(
                personId: personId, birthDate: personId.birthDate, gender: nil, county: .oslo, municipality: nil,
                known: false)
    }

    func save(_ db: Database) throws {
        let upsert = try DirectStatement(
            db,
            sql: """
                INSERT INTO persons (person_id, birth_date, gender, county, municipality, known, updated_at, residences)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (person_id) DO UPDATE SET birth_date = excluded.birth_date, gender = excluded.gender,
                    county = excluded.county, municipality = excluded.municipality, known = excluded.known,
                    updated_at = excluded.updated_at, residences = excluded.residences
                """)
        try upsert.bind(personId.digits, at: 1)
        try upsert.bind(birthDate.description, at: 2)
        try upsert.bind(gender?.rawValue, at: 3)
        try upsert.bind(county.rawValue, at: 4)
        try upsert.bind(municipality, at: 5)
        try upsert.bind(known, at: 6)
        try upsert.bind(updatedAt, at: 7)
        try upsert.bind(residences.encoded, at: 8)
        try upsert.execute()
    }
}

/// One registration: a youth in OT with a unit, for one school year.
struct RegistrationRecord: Sendable {
    var id: String
    var personId: NationalID
    var unitId: String
    var county: County
    var schoolYear: SchoolYear
    var reason: RegistrationReason
    var registeredAt: LocalDate
    var status: OTStatusCode
    var statusDate: LocalDate
    var agesOutOn: LocalDate
    var origin: Origin
    /// When, and as what, the registration closed; `nil` while open.
    var closedAt: LocalDate?
    var closeStatus: OTStatusCode?
    var closeCause: RegistrationClosureCause?
    /// Closed as `Feil` by the service itself: a later-arriving event showed it should not have been made.
    var superseded = false
    /// A case worker decided it: made it, or acted on it (a contact, an activity, a status, a transfer, a closing),
    /// or it continues one they decided (into a new school year, or to another county). Such a registration changes
    /// only forward; the others are derived from the facts (docs/registrations.md, "Corrections").
    var decided = false

    /// What made a registration.
    enum Origin: String, Sendable {
        /// An upstream trigger (``PersonFacts/Trigger``).
        case trigger = "TRIGGER"
        /// A case worker's `no.ot.registration.register`.
        case command = "COMMAND"
        /// A move to another county (person.updated or a transfer).
        case moved = "MOVED"
        /// A new school year (the roll-over at 1 August).
        case continued = "CONTINUED"
    }

    /// Whether the registration counts (was not registered in error) and covers `date`: from its registration to
    /// its closing day, both included.
    func covers(_ date: LocalDate) -> Bool {
        closeStatus != .feil && registeredAt <= date && (closedAt.map { date <= $0 } ?? true)
    }

    /// The columns ``init(row:personId:)`` reads, in its order.
    private static let columns = """
        registration_id, unit_id, county, school_year, reason, registered_at, status_code, status_date, ages_out_on,
        origin, closed_at, close_status, superseded, close_cause, decided
        """

    /// The queries of ``all(_:_:)`` and ``open(_:_:)``, put together once: a text built for each call would be
    /// built, and looked up in the statement cache by its whole text, for every event.
    private static let selectAll =
        "SELECT \(columns) FROM registrations WHERE person_id = ? ORDER BY registered_at, closed_at IS NULL, registration_id"
    private static let selectOpen =
        "SELECT \(columns) FROM registrations WHERE person_id = ? AND closed_at IS NULL ORDER BY registration_id"

    /// Every registration of the person, in the order they were registered.
    static func all(_ db: Database, _ personId: NationalID) throws -> [RegistrationRecord] {
        let select = try DirectStatement(db, sql: selectAll)
        try select.bind(personId.digits, at: 1)
        var registrations: [RegistrationRecord] = []
        try select.forEachRow { row in registrations.append(try RegistrationRecord(row: row, personId: personId)) }
        return registrations
    }

    /// The person's open registration, if any.
    static func open(_ db: Database, _ personId: NationalID) throws -> RegistrationRecord? {
        let select = try DirectStatement(db, sql: selectOpen)
        try select.bind(personId.digits, at: 1)
        var open: RegistrationRecord?
        try select.forEachRow { row in if open == nil { open = try RegistrationRecord(row: row, personId: personId) } }
        return open
    }

    /// The persons with an open registration due before the day bound to it (``duePersons(_:today:)``).
    static let selectDue =
        "SELECT person_id FROM registrations WHERE closed_at IS NULL AND \(RegistrationsSchema.dueOn) < ?"

    /// The persons (national ID digits) with an open registration that a tick on `today` has work for: of an
    /// earlier school year, or aged out.
    static func duePersons(_ db: Database, today: LocalDate) throws -> [String] {
        // One search of the index on the day each open registration is due (`registrations_open_due`).
        // A direct statement: a tick runs in every partition group's transaction.
        var persons: [String] = []
        let due = try DirectStatement(db, sql: selectDue)
        try due.bind(today.description, at: 1)
        try due.forEachRow { row in persons.append(row.text(0) ?? "") }
        return persons
    }

    init(
        id: String, personId: NationalID, unitId: String, county: County, schoolYear: SchoolYear,
        reason: RegistrationReason, registeredAt: LocalDate, status: OTStatusCode, statusDate: LocalDate,
        agesOutOn: LocalDate, origin: Origin
    ) {
        self.origin = origin
        self.id = id
        self.personId = personId
        self.unitId = unitId
        self.county = county
        self.schoolYear = schoolYear
        self.reason = reason
        self.registeredAt = registeredAt
        self.status = status
        self.statusDate = statusDate
        self.agesOutOn = agesOutOn
    }

    /// A registration of `personId` from a row of ``columns``.
    private init(row: DirectRow, personId: NationalID) throws {
        id = row.text(0) ?? ""
        self.personId = personId
        unitId = row.text(1) ?? ""
        county = try County(code: row.text(2) ?? "")
        schoolYear = try SchoolYear(row.text(3) ?? "")
        reason = try RegistrationReason(code: row.text(4) ?? "")
        registeredAt = try LocalDate(row.text(5) ?? "")
        status = try OTStatusCode(code: row.text(6) ?? "")
        statusDate = try LocalDate(row.text(7) ?? "")
        agesOutOn = try LocalDate(row.text(8) ?? "")
        origin = row.text(9).flatMap(Origin.init(rawValue:)) ?? .trigger
        closedAt = try row.text(10).map { try LocalDate($0) }
        closeStatus = try row.text(11).map { try OTStatusCode(code: $0) }
        superseded = row.int64(12) == 1
        // Read leniently: only the derivation compares it, and a code it does not know must not stop the person.
        closeCause = row.text(13).flatMap(RegistrationClosureCause.init(rawValue:))
        decided = row.int64(14) == 1
    }

    func insert(_ db: Database) throws {
        let insert = try DirectStatement(
            db,
            sql: """
                INSERT INTO registrations (registration_id, person_id, unit_id, county, school_year, reason,
                    registered_at, status_code, status_date, ages_out_on, origin, decided)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (index, value) in [
            id, personId.digits, unitId, county.rawValue, schoolYear.description, reason.rawValue,
            registeredAt.description, status.rawValue, statusDate.description, agesOutOn.description, origin.rawValue,
        ].enumerated() {
            try insert.bind(value, at: Int32(index + 1))
        }
        try insert.bind(decided, at: 12)
        try insert.execute()
    }

    /// Records that a case worker acted on the registration (``decided``).
    static func markDecided(_ db: Database, _ id: String) throws {
        let update = try DirectStatement(
            db, sql: "UPDATE registrations SET decided = 1 WHERE registration_id = ? AND decided = 0")
        try update.bind(id, at: 1)
        try update.execute()
    }

    func updateStatusAndUnit(_ db: Database) throws {
        try db.cachedStatement(
            sql: "UPDATE registrations SET status_code = ?, status_date = ?, unit_id = ? WHERE registration_id = ?"
        ).execute(arguments: [status.rawValue, statusDate.description, unitId, id])
    }

    /// Records that a closed registration was found to be registered in error (``superseded``).
    func markSuperseded(_ db: Database) throws {
        try db.cachedStatement(
            sql: """
                UPDATE registrations SET close_status = 'Feil', status_code = 'Feil', status_date = registered_at,
                    superseded = 1
                WHERE registration_id = ?
                """
        ).execute(arguments: [id])
    }

    func close(
        _ db: Database, on date: LocalDate, cause: RegistrationClosureCause, status: OTStatusCode?,
        superseded: Bool = false
    ) throws {
        let update = try DirectStatement(
            db,
            sql: """
                UPDATE registrations SET closed_at = ?, close_cause = ?, close_status = ?, status_code = ?, status_date = ?,
                    superseded = ?
                WHERE registration_id = ?
                """)
        try update.bind(date.description, at: 1)
        try update.bind(cause.rawValue, at: 2)
        try update.bind(status?.rawValue, at: 3)
        try update.bind((status ?? self.status).rawValue, at: 4)
        try update.bind((status == nil ? statusDate : date).description, at: 5)
        try update.bind(superseded, at: 6)
        try update.bind(id, at: 7)
        try update.execute()
    }
}

extension RegistrationRecord {
    /// What the time-driven rules do first to this open registration before `date`, if anything: it closes at the
    /// end of the calendar year the youth reaches the upper age (effective 31 December, or its first day if later),
    /// or at the end of its school year (31 July), continued by `continued` for the next (no id yet; same unit,
    /// reason and status, decided as this one is).
    enum TimeStep {
        case agedOut(on: LocalDate)
        case schoolYearEnded(on: LocalDate, continued: RegistrationRecord)
    }

    /// The first ``TimeStep`` of this open registration before `date`; `nil` when it is still open on `date`.
    func timeStep(before date: LocalDate) -> TimeStep? {
        let yearEnd = schoolYear.lastDay
        if agesOutOn < date && agesOutOn <= yearEnd { return .agedOut(on: max(agesOutOn, registeredAt)) }
        guard schoolYear < date.schoolYear else { return nil }
        let next = schoolYear.next
        var continued = RegistrationRecord(
            id: "", personId: personId, unitId: unitId, county: county, schoolYear: next, reason: reason,
            registeredAt: next.firstDay, status: status, statusDate: statusDate, agesOutOn: agesOutOn,
            origin: .continued)
        continued.decided = decided
        return .schoolYearEnded(on: yearEnd, continued: continued)
    }
}

extension PersonFacts.Exit {
    /// How a registration closes when the youth leaves the target group this way: starting school `OTEV_IM`, an
    /// apprenticeship or training `OTLL_IM` (cause `STATUS_CODE`); completing upper-secondary, cause
    /// `EDUCATION_COMPLETED` without a code.
    var closing: (cause: RegistrationClosureCause, status: OTStatusCode?) {
        switch self {
        case .enrolled(let kind): (.statusCode, kind == .pupil ? .otevIM : .otllIM)
        case .completed: (.educationCompleted, nil)
        }
    }
}
