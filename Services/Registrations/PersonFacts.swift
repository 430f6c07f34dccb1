import GRDB
import OTContract
import OTStore

/// What the upstream systems told about one person's schooling, each fact with its own date: enrollments,
/// dropouts, completions and the triggers that may put the youth in OT's target group. Kept as facts, not as flags,
/// so that every decision asks "as of which date?" and the answer does not depend on the order the events arrived
/// in (docs/registrations.md, "Event time").
struct PersonFacts: Sendable {
    /// An `enrollment.started`: in school (or an apprenticeship) from `date` to the end of `schoolYear`, unless a
    /// dropout of that school year ends it earlier.
    struct Enrollment: Sendable {
        var date: LocalDate
        var schoolYear: SchoolYear
        var kind: EnrollmentKind
    }

    /// An `enrollment.dropped-out`, whatever its reason: the enrollment of its school year ends on `date`.
    struct Dropout: Sendable {
        var date: LocalDate
        var schoolYear: SchoolYear
    }

    /// An event that puts the youth in the target group on `date` (not applied, declined, dropped out). `forYear`
    /// is the school year the youth did not apply for or declined a place in: a youth who is still in school on
    /// `date` enters the target group when that school year starts.
    struct Trigger: Sendable {
        var date: LocalDate
        var reason: RegistrationReason
        var forYear: SchoolYear?
    }

    /// Why a registration ends before its school year does.
    enum Exit: Sendable, Equatable {
        case enrolled(EnrollmentKind)
        case completed
    }

    var enrollments: [Enrollment] = []
    var dropouts: [Dropout] = []
    var completions: [LocalDate] = []
    var triggers: [Trigger] = []

    /// Whether the youth is in school or an apprenticeship on `date`.
    func isEnrolled(on date: LocalDate) -> Bool {
        enrollments.contains { enrollment in
            enrollment.date <= date && date <= enrollment.schoolYear.lastDay
                && !dropouts.contains {
                    $0.schoolYear == enrollment.schoolYear && enrollment.date <= $0.date && $0.date <= date
                }
        }
    }

    /// Whether the youth had completed upper-secondary by `date`.
    func hasCompleted(by date: LocalDate) -> Bool { completions.contains { $0 <= date } }

    /// Whether the youth can enter the target group on `date` as far as schooling goes: not in school, not done.
    func isOutOfSchool(on date: LocalDate) -> Bool { !isEnrolled(on: date) && !hasCompleted(by: date) }

    /// The first day on or after `date` the youth leaves the target group for school, work-based training or a
    /// completed education, and why.
    func firstExit(onOrAfter date: LocalDate) -> (date: LocalDate, exit: Exit)? {
        var first: (date: LocalDate, exit: Exit)?
        for enrollment in enrollments where enrollment.date >= date && enrollment.date <= enrollment.schoolYear.lastDay
        {
            // An enrollment ended the day it began (did not show up) takes no one out of the target group.
            if dropouts.contains(where: { $0.schoolYear == enrollment.schoolYear && $0.date == enrollment.date }) {
                continue
            }
            // Two of one day: school (OTEV_IM) before an apprenticeship, whichever arrived first.
            if first == nil || enrollment.date < first!.date
                || (enrollment.date == first!.date && enrollment.kind == .pupil)
            {
                first = (enrollment.date, .enrolled(enrollment.kind))
            }
        }
        for completed in completions where completed >= date {
            if first == nil || completed < first!.date { first = (completed, .completed) }
        }
        return first
    }

    /// The day a trigger puts the youth in the target group: its own date when the youth is out of school then;
    /// else, for a youth in school who did not apply for (or declined) the next school year, the day that year
    /// starts, when they are out of school; else never (`nil`).
    func effectiveDate(of trigger: Trigger) -> LocalDate? {
        if isOutOfSchool(on: trigger.date) { return trigger.date }
        if let year = trigger.forYear, year.firstDay > trigger.date, isOutOfSchool(on: year.firstDay) {
            return year.firstDay
        }
        return nil
    }

    // MARK: The store

    enum Kind: String {
        case enrolled = "ENROLLED"
        case droppedOut = "DROPPED_OUT"
        case completed = "COMPLETED"
        case trigger = "TRIGGER"

        /// The kind whose code `bytes` hold, or `nil` (a kind a later release wrote, skipped as before).
        init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
            // Each code has a length of its own.
            let kind: Kind
            switch bytes.count {
            case 8: kind = .enrolled
            case 11: kind = .droppedOut
            case 9: kind = .completed
            case 7: kind = .trigger
            default: return nil
            }
            var code = kind.rawValue  // a literal's bytes, compared in place
            guard code.withUTF8({ $0.elementsEqual(bytes) }) else { return nil }
            self = kind
        }
    }

    static func fetch(_ db: Database, _ personId: NationalID) throws -> PersonFacts {
        var facts = PersonFacts()
        let select = try DirectStatement(
            db, sql: "SELECT kind, date, school_year, detail FROM person_facts WHERE person_id = ? ORDER BY date, seq")
        try select.bind(personId.digits, at: 1)
        // Read for every event of the person: the kind, date and school year from the bytes in place, and the
        // detail as text only where it is read.
        try select.forEachRow { row in
            guard let kind = row.withUTF8(0, Kind.init(utf8:)) ?? nil else { return }
            let date = try row.withUTF8(1, LocalDate.init(utf8:)) ?? LocalDate("")
            let year = try row.withUTF8(2, SchoolYear.init(utf8:))
            switch kind {
            case .enrolled:
                facts.enrollments.append(
                    Enrollment(
                        date: date, schoolYear: year ?? date.schoolYear,
                        kind: try EnrollmentKind(code: row.text(3) ?? "")))
            case .droppedOut:
                facts.dropouts.append(Dropout(date: date, schoolYear: year ?? date.schoolYear))
            case .completed:
                facts.completions.append(date)
            case .trigger:
                facts.triggers.append(
                    Trigger(date: date, reason: try RegistrationReason(code: row.text(3) ?? ""), forYear: year))
            }
        }
        return facts
    }

    /// Records one fact about a person.
    static func record(
        _ kind: Kind, of personId: NationalID, on date: LocalDate, schoolYear: SchoolYear? = nil, detail: String = "",
        _ db: Database
    ) throws {
        let insert = try DirectStatement(
            db, sql: "INSERT INTO person_facts (person_id, kind, date, school_year, detail) VALUES (?, ?, ?, ?, ?)")
        try insert.bind(personId.digits, at: 1)
        try insert.bind(kind.rawValue, at: 2)
        try insert.bind(date.description, at: 3)
        try insert.bind(schoolYear?.description, at: 4)
        try insert.bind(detail, at: 5)
        try insert.execute()
    }
}
