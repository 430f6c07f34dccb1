import GRDB
import OTContract
import OTRuntime

extension RegistrationsHandler {
    /// Upstream enrollment events: each is recorded as a dated fact about the person (``PersonFacts``), and the
    /// person's registrations are then brought in line with all the facts (``reconcile(_:upTo:context:)``).
    func handle(_ event: EnrollmentEvent, context: HandlerContext) throws {
        let db = context.database
        let limit = limit(of: context.event, context: context)
        switch event {
        case .personUpdated(let update):
            let person = try personUpdated(update, limit: limit, context: context)
            try reconcile(event.personId, upTo: limit, context: context, stored: person)
            return

        case .applicationMissing(let missing):
            try PersonFacts.record(
                .trigger, of: missing.personId, on: missing.deadline, schoolYear: missing.schoolYear,
                detail: RegistrationReason.ikkeSokt.rawValue, db)

        case .offerAnswered(let answer):
            guard answer.answer != .accepted else { return }
            try PersonFacts.record(
                .trigger, of: answer.personId, on: date(of: context.event, context: context),
                schoolYear: answer.schoolYear, detail: RegistrationReason.takketNei.rawValue, db)

        case .enrollmentDroppedOut(let dropout):
            try PersonFacts.record(
                .droppedOut, of: dropout.personId, on: dropout.date, schoolYear: dropout.schoolYear,
                detail: dropout.reasonCode.rawValue, db)
            // Changing programme or school, starting an apprenticeship, an exchange year or leave: the youth
            // continues in education, so no one is registered.
            let continuing: Set<DropoutReason> = [
                .changedProgramme, .otherSchool, .apprenticeship, .exchangePupil, .leave,
            ]
            if !continuing.contains(dropout.reasonCode) {
                try PersonFacts.record(
                    .trigger, of: dropout.personId, on: dropout.date, detail: RegistrationReason.sluttet.rawValue, db)
            }

        case .enrollmentStarted(let started):
            try PersonFacts.record(
                .enrolled, of: started.personId, on: started.startDate, schoolYear: started.schoolYear,
                detail: started.kind.rawValue, db)

        case .educationCompleted(let completed):
            try PersonFacts.record(.completed, of: completed.personId, on: completed.date, db)

        case .applicationSubmitted:
            return  // An application alone changes nothing; the offer and its answer do.
        }
        try reconcile(event.personId, upTo: limit, context: context)
    }

    /// Records the person; a move to another county closes the open registration (OTFA_IM) and registers the youth
    /// in the new county with the same reason.
    ///
    /// - Returns: The person as now stored.
    private func personUpdated(
        _ update: PersonUpdated, limit: LocalDate, context: HandlerContext
    ) throws -> PersonRecord {
        let db = context.database
        let previous = try PersonRecord.fetch(db, update.personId)
        let person = PersonRecord(
            personId: update.personId, birthDate: update.birthDate, gender: update.gender, county: update.countyNumber,
            municipality: update.municipalityNumber, known: true)
        if let previous, previous.county != person.county,
            let open = try RegistrationRecord.open(db, person.personId),
            let registration = try advance(open, person: previous, to: limit, context: context)
        {
            try person.save(db)
            let date = max(date(of: context.event, context: context), registration.registeredAt)
            try close(registration, person: previous, on: date, cause: .statusCode, status: .otfaIM, context: context)
            if let unit = units.defaultUnit(of: person.county), person.isInAgeGroup(on: date) {
                try register(
                    person, reason: registration.reason, on: date, unit: unit, origin: .moved, context: context)
            }
        } else {
            try person.save(db)
        }
        return person
    }
}
