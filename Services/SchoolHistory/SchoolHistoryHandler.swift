import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// The school-history service's business: each person's applications, offers and answers, enrollments, dropouts
/// and completions from `vigo.enrollment.v1`, where they live, and their open OT registration from
/// `ot.registrations.v1`; answers `ot.school-history.requests.v1` on `ot.school-history.replies.v1` for requesters
/// whose county or unit is responsible for the youth, and logs every lookup, granted or not, on `ot.audit.v1` in the
/// same transaction. The rules, with their reasons, are in docs/school-history.md.
struct SchoolHistoryHandler: WorkerHandler {
    var migrations: StoreMigrations { SchoolHistorySchema.migrations }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        switch event.topic {
        case Topic.enrollment.name:
            try record(try EnrollmentEvent(event.cloudEvent), time: event.cloudEvent.time, context: context)
        case Topic.registrations.name:
            try follow(try RegistrationEvent(event.cloudEvent), context: context)
        case Topic.schoolHistoryRequests.name:
            try answer(event.cloudEvent, context: context)
        default:
            throw HandlerError.permanent("the school-history service does not consume \(event.topic)")
        }
    }

    /// Keeps an upstream fact: in the history (any order: the reply sorts by the facts' own dates), or where the
    /// person lives (the latest `person.updated` by its time wins, whatever order they arrive in; of two with one
    /// time, which time cannot order, the greater county number, as ot-registrations decides).
    private func record(_ event: EnrollmentEvent, time: Date, context: HandlerContext) throws {
        let db = context.database
        let person = (event.payload as! any PersonKeyedPayload).personId.digits
        let at = time.timeIntervalSince1970
        switch event {
        case .personUpdated(let updated):
            try db.cachedStatement(
                sql: """
                    INSERT INTO persons (person_id, county, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (person_id) DO UPDATE SET county = excluded.county, updated_at = excluded.updated_at
                    WHERE excluded.updated_at > persons.updated_at
                        OR (excluded.updated_at = persons.updated_at AND excluded.county > persons.county)
                    """
            ).execute(arguments: [person, updated.countyNumber.rawValue, at])
        case .applicationSubmitted(let application):
            try keep(
                .application, SchoolHistory.Application(application), date: LocalDate(application.submittedAt.date),
                person: person, at: at, db)
        case .offerAnswered(let offer):
            try keep(.offer, SchoolHistory.Offer(offer), date: offer.schoolYear.firstDay, person: person, at: at, db)
        case .enrollmentStarted(let enrollment):
            try keep(
                .enrollment, SchoolHistory.Enrollment(enrollment), date: enrollment.startDate, person: person, at: at,
                db)
        case .enrollmentDroppedOut(let dropout):
            try keep(.dropout, SchoolHistory.Dropout(dropout), date: dropout.date, person: person, at: at, db)
        case .educationCompleted(let completion):
            try keep(
                .completion, SchoolHistory.Completion(completion), date: completion.date, person: person, at: at, db)
        case .applicationMissing:
            // Not part of a school history: no application is the absence of one (it triggers OT registration).
            break
        }
    }

    private func keep(
        _ kind: HistoryKind, _ entry: some Encodable, date: LocalDate, person: String, at: Double, _ db: Database
    ) throws {
        try db.cachedStatement(sql: "INSERT INTO history (person_id, kind, date, at, entry) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [
                person, kind.rawValue, date.description, at,
                String(decoding: try HistoryKind.encoder.encode(entry), as: UTF8.self),
            ])
    }

    /// Follows the person's OT registration: the open one is kept, a closed one forgotten; an erasure deletes
    /// every row of the person and scrubs the files once published.
    private func follow(_ event: RegistrationEvent, context: HandlerContext) throws {
        let db = context.database
        let person = event.personId.digits
        switch event {
        case .erased:
            for table in ["history", "persons", "registrations"] {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE person_id = ?").execute(arguments: [person])
            }
            try context.scrubAfterPublishing()
        case .closed(let closed):
            try db.cachedStatement(sql: "DELETE FROM registrations WHERE registration_id = ?").execute(arguments: [
                closed.registrationId
            ])
        case .registered(let registered):
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO registrations
                        (registration_id, person_id, unit_id, county, school_year, registered_at, reason, status_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                registered.registrationId, person, registered.unitId, registered.countyNumber.rawValue,
                registered.schoolYear.description, registered.registeredAt.description, registered.reason.rawValue,
                registered.statusCode.rawValue,
            ])
        default:
            // A later state of a registration the service keeps (an open one): its unit, county and status now. A
            // closed registration is not brought back (a status-changed to Feil after its closing says nothing
            // about access).
            guard let state = event.state else { return }
            guard state.leavesRegistrationOpen else {
                try db.cachedStatement(sql: "DELETE FROM registrations WHERE registration_id = ?").execute(arguments: [
                    state.registrationId
                ])
                return
            }
            try db.cachedStatement(
                sql: "UPDATE registrations SET unit_id = ?, county = ?, status_code = ? WHERE registration_id = ?"
            ).execute(arguments: [
                state.unitId, state.countyNumber.rawValue, (state.currentStatusCode ?? .otuk).rawValue,
                state.registrationId,
            ])
        }
    }
}
