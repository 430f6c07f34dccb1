import Foundation
import GRDB
import OTContract
import OTRuntime

extension RegistrationsHandler {
    /// Time-driven rules, for the partition's open registrations that are due on today's date:
    /// - at the end of the calendar year a youth turns 24, the registration closes (aged out), effective
    ///   31 December;
    /// - at 1 August, a registration of the ended school year closes (effective 31 July) and continues as a new
    ///   registration for the new school year with the same unit, reason and status, so that "registered two
    ///   school years in a row" can be counted.
    ///
    /// Effective dates come from the rules, never from the clock, so that the same events follow whether the
    /// boundary passes live or while the service is down and it catches up (one school year at a time).
    func tick(context: HandlerContext) throws {
        let today = LocalDate(context.now)
        let db = context.database
        for due in try RegistrationRecord.due(db, today: today) {
            guard let person = try PersonRecord.fetch(db, due.personId) else { continue }
            var registration = due
            while true {
                let yearEnd = registration.schoolYear.lastDay
                if registration.agesOutOn < today && registration.agesOutOn <= yearEnd {
                    try close(
                        registration, person: person, on: max(registration.agesOutOn, registration.registeredAt),
                        cause: .agedOut, status: nil, context: context)
                    break
                }
                guard registration.schoolYear < today.schoolYear else { break }
                try close(
                    registration, person: person, on: yearEnd, cause: .schoolYearEnded, status: nil, context: context)
                let next = registration.schoolYear.next
                let continued = RegistrationRecord(
                    id: context.newID(), personId: registration.personId, unitId: registration.unitId,
                    county: registration.county, schoolYear: next, reason: registration.reason,
                    registeredAt: next.firstDay, status: registration.status, statusDate: registration.statusDate,
                    agesOutOn: registration.agesOutOn)
                try continued.insert(db)
                try emitRegistered(continued, person: person, context: context)
                registration = continued
            }
        }
    }
}
