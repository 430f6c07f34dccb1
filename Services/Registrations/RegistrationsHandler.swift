import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// The registrations service's business: who is in OT's target group, their registration, status, contacts and
/// activities. Consumes `vigo.enrollment.v1` and `ot.registrations.commands.v1` (both keyed by national ID, so a
/// person's events and commands meet on one partition); publishes `ot.registrations.v1` and a reply on
/// `ot.replies.v1` for every command. The rules, with their reasons, are in docs/registrations.md.
struct RegistrationsHandler: WorkerHandler {
    let units: Units

    var migrations: StoreMigrations { RegistrationsSchema.migrations }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        switch event.topic {
        case Topic.enrollment.name:
            try handle(try EnrollmentEvent(event.cloudEvent), context: context)
        case Topic.registrationCommands.name:
            let command: RegistrationCommand
            do {
                command = try RegistrationCommand(event.cloudEvent)
            } catch {
                // The case worker's front end waits for an answer: give it one, and dead-letter the input.
                // The reason goes to ot.replies.v1: a national ID it quotes from the input is masked there too.
                try reject(
                    event.cloudEvent, reason: NationalID.maskingAll(in: "invalid command: \(error)"), context: context)
                context.deadLetter(reason: "\(error)")
                return
            }
            try handle(command: command, cloudEvent: event.cloudEvent, context: context)
        default:
            throw HandlerError.permanent("the registrations service does not consume \(event.topic)")
        }
    }

    // MARK: Shared steps

    /// Registers a youth: a new registration with status OTUK in `unit`, for the school year of `date`; `decided`
    /// when a case worker made it or it continues one they decided (``RegistrationRecord/decided``).
    @discardableResult
    func register(
        _ person: PersonRecord, reason: RegistrationReason, on date: LocalDate, unit: Unit,
        origin: RegistrationRecord.Origin, decided: Bool, context: HandlerContext
    ) throws -> RegistrationRecord {
        var registration = RegistrationRecord(
            id: context.newID(), personId: person.personId, unitId: unit.unitId,
            county: unit.countyNumber,
            schoolYear: date.schoolYear, reason: reason, registeredAt: date, status: .otuk, statusDate: date,
            agesOutOn: person.agesOut(from: date), origin: origin)
        registration.decided = decided
        try registration.insert(context.database)
        try emitRegistered(registration, person: person, context: context)
        return registration
    }

    /// Closes a registration: a status change to the group 5 code when there is one, then the closing event.
    func close(
        _ registration: RegistrationRecord, person: PersonRecord, on date: LocalDate, cause: RegistrationClosureCause,
        status: OTStatusCode?, superseded: Bool = false, context: HandlerContext
    ) throws {
        try registration.close(context.database, on: date, cause: cause, status: status, superseded: superseded)
        var closed = registration
        if let status, status != registration.status {
            closed.status = status
            closed.statusDate = date
            try emitStatusChanged(closed, from: registration.status, person: person, context: context)
        }
        try emitClosed(closed, on: date, cause: cause, closingStatus: status, person: person, context: context)
    }

    /// The calendar date, in Norway, of the `time` of the event in hand (of the batch's time outside an event).
    ///
    /// The time is read where the context keeps the event: the event passed as an argument was a copy of all its
    /// fields, twice per event.
    func eventDate(in context: HandlerContext) -> LocalDate {
        LocalDate(context.event?.cloudEvent.time ?? context.now)
    }
}

/// The last day of `year`.
func lastDay(of year: Int) -> LocalDate {
    (try? LocalDate(year: year, month: 12, day: 31)) ?? LocalDate(daysSince1970: 0)
}
