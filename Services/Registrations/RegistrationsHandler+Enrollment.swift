import Foundation
import GRDB
import OTContract
import OTRuntime

extension RegistrationsHandler {
    /// Dropout reasons with which the youth continues in education (changing programme or school, starting an
    /// apprenticeship, an exchange year or leave), so no one is registered.
    static let continuingReasons: Set<DropoutReason> = [
        .changedProgramme, .otherSchool, .apprenticeship, .exchangePupil, .leave,
    ]

    /// Upstream enrollment events: each is recorded as a dated fact about the person (``PersonFacts``), and the
    /// person's registrations are then brought in line with all the facts (``reconcile(_:upTo:context:)``).
    func handle(_ event: EnrollmentEvent, context: HandlerContext) throws {
        let db = context.database
        let limit = limit(in: context)
        switch event {
        case .personUpdated(let update):
            let stored = try personUpdated(update, context: context)
            try reconcile(event.personId, upTo: limit, context: context, stored: stored)
            return

        case .applicationMissing(let missing):
            try PersonFacts.record(
                .trigger, of: missing.personId, on: missing.deadline, schoolYear: missing.schoolYear,
                detail: RegistrationReason.ikkeSokt.rawValue, db)

        case .offerAnswered(let answer):
            guard answer.answer != .accepted else { return }
            try PersonFacts.record(
                .trigger, of: answer.personId, on: eventDate(in: context),
                schoolYear: answer.schoolYear, detail: RegistrationReason.takketNei.rawValue, db)

        case .enrollmentDroppedOut(let dropout):
            try PersonFacts.record(
                .droppedOut, of: dropout.personId, on: dropout.date, schoolYear: dropout.schoolYear,
                detail: dropout.reasonCode.rawValue, db)
            if !Self.continuingReasons.contains(dropout.reasonCode) {
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

    /// Records where the person lives from the event's day (a move follows the dates, whatever order the updates
    /// arrive in; ``reconcile(_:upTo:context:stored:)`` closes and registers), and keeps the person's other values
    /// unless a later update is already stored. The stored county is always the latest entry's.
    ///
    /// - Returns: The person as now stored, and whether any registration of theirs is (this changes none).
    private func personUpdated(_ update: PersonUpdated, context: HandlerContext) throws -> PersonRecord.Lookup {
        let db = context.database
        let at = milliseconds(of: context.event?.cloudEvent.time ?? context.now)
        let lookup = try PersonRecord.lookUp(db, update.personId)
        let stored = lookup.person
        var person = PersonRecord(
            personId: update.personId, birthDate: update.birthDate, gender: update.gender, county: update.countyNumber,
            municipality: update.municipalityNumber, known: true, updatedAt: at,
            residences: stored?.residences ?? ResidenceHistory())
        if let stored, stored.known, let storedAt = stored.updatedAt,
            storedAt > at || (storedAt == at && Self.isOrdered(update, before: stored))
        {
            // An older update, arrived late: only where the youth lived then is news.
            person = stored
        }
        // Where the youth lives now is the latest entry's county, which may be a case worker's transfer.
        person.recordResidence(
            .init(date: eventDate(in: context), at: at, county: update.countyNumber))
        try person.save(db)
        return PersonRecord.Lookup(person: person, hasRegistrations: lookup.hasRegistrations)
    }
}

extension RegistrationsHandler {
    /// Whether `update` counts as older than the one `stored`'s values are from, which has the same time: time cannot
    /// tell them apart, so the one with the greater values (county number, municipality, birth date, gender) counts
    /// as the later, and the person ends with the same values in every order of arrival. The stored update's county
    /// is the greatest of its time's residence entries, as that order put it last.
    fileprivate static func isOrdered(_ update: PersonUpdated, before stored: PersonRecord) -> Bool {
        let storedCounty = stored.residences.entries.last { $0.at == stored.updatedAt }?.county ?? stored.county
        return (
            update.countyNumber.rawValue, update.municipalityNumber, update.birthDate, update.gender?.rawValue ?? ""
        ) < (storedCounty.rawValue, stored.municipality ?? "", stored.birthDate, stored.gender?.rawValue ?? "")
    }
}

/// A time in whole milliseconds since 1970, as ``ResidenceHistory`` and `persons.updated_at` keep it.
func milliseconds(of date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
