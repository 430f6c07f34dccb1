import GRDB
import OTContract
import OTRuntime

extension RegistrationsHandler {
    /// Upstream enrollment events: who enters the target group, and who leaves it.
    func handle(_ event: EnrollmentEvent, context: HandlerContext) throws {
        let db = context.database
        switch event {
        case .personUpdated(let update):
            try personUpdated(update, context: context)

        case .applicationMissing(let missing):
            try trigger(missing.personId, reason: .ikkeSokt, on: missing.deadline, context: context)

        case .offerAnswered(let answer):
            guard answer.answer != .accepted else { return }
            try trigger(
                answer.personId, reason: .takketNei, on: date(of: context.event, context: context), context: context)

        case .enrollmentDroppedOut(let dropout):
            try setEnrolled(dropout.personId, false, db)
            // Changing programme or school, starting an apprenticeship, an exchange year or leave: the youth
            // continues in education, so no one is registered.
            let continuing: Set<DropoutReason> = [
                .changedProgramme, .otherSchool, .apprenticeship, .exchangePupil, .leave,
            ]
            guard !continuing.contains(dropout.reasonCode) else { return }
            try trigger(dropout.personId, reason: .sluttet, on: dropout.date, context: context)

        case .enrollmentStarted(let started):
            try setEnrolled(started.personId, true, db)
            try clearPendingTriggers(started.personId, db)
            guard let registration = try RegistrationRecord.open(db, started.personId),
                let person = try PersonRecord.fetch(db, started.personId)
            else { return }
            let status: OTStatusCode = started.kind == .pupil ? .otevIM : .otllIM
            try close(
                registration, person: person, on: max(started.startDate, registration.registeredAt), cause: .statusCode,
                status: status, context: context)

        case .educationCompleted(let completed):
            try clearPendingTriggers(completed.personId, db)
            var person = try PersonRecord.fetchOrPlaceholder(db, completed.personId)
            person.completed = true
            person.enrolled = false
            try person.save(db)
            if let registration = try RegistrationRecord.open(db, completed.personId) {
                try close(
                    registration, person: person, on: max(completed.date, registration.registeredAt),
                    cause: .educationCompleted, status: nil, context: context)
            }

        case .applicationSubmitted:
            break  // An application alone changes nothing; the offer and its answer do.
        }
    }

    /// Records the person; a move to another county closes the open registration (OTFA_IM) and registers the youth
    /// in the new county with the same reason; then replays triggers that waited for the person.
    private func personUpdated(_ update: PersonUpdated, context: HandlerContext) throws {
        let db = context.database
        let previous = try PersonRecord.fetch(db, update.personId)
        let person = PersonRecord(
            personId: update.personId, birthDate: update.birthDate, gender: update.gender, county: update.countyNumber,
            municipality: update.municipalityNumber, known: true, enrolled: previous?.enrolled ?? false,
            completed: previous?.completed ?? false)
        try person.save(db)

        if let previous, previous.county != person.county,
            let registration = try RegistrationRecord.open(db, person.personId)
        {
            let date = max(date(of: context.event, context: context), registration.registeredAt)
            try close(registration, person: previous, on: date, cause: .statusCode, status: .otfaIM, context: context)
            if let unit = units.defaultUnit(of: person.county), person.isInAgeGroup(on: date) {
                try register(person, reason: registration.reason, on: date, unit: unit, context: context)
            }
        }

        let pending = try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT reason, date FROM pending_triggers WHERE person_id = ? ORDER BY seq"),
            arguments: [person.personId.digits])
        try clearPendingTriggers(person.personId, db)
        for row in pending {
            try trigger(
                person.personId, reason: try RegistrationReason(code: row["reason"]),
                on: try LocalDate(row["date"] as String), context: context)
        }
    }

    private func setEnrolled(_ personId: NationalID, _ enrolled: Bool, _ db: Database) throws {
        var person = try PersonRecord.fetchOrPlaceholder(db, personId)
        person.enrolled = enrolled
        try person.save(db)
    }

    private func clearPendingTriggers(_ personId: NationalID, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM pending_triggers WHERE person_id = ?").execute(arguments: [
            personId.digits
        ])
    }
}
