import OTContract
import OTRuntime

/// The events of `ot.registrations.v1`: each carries the registration as it stands after the event (unit, county,
/// school year, reason, status and group, effective date) and the youth's birth date and gender, so that
/// downstream needs no lookup.
extension RegistrationsHandler {
    func emitRegistered(_ registration: RegistrationRecord, person: PersonRecord, context: HandlerContext) throws {
        try context.emit(
            YouthRegistered(
                registrationId: registration.id, personId: person.personId, unitId: registration.unitId,
                countyNumber: registration.county, schoolYear: registration.schoolYear,
                registeredAt: registration.registeredAt, reason: registration.reason, statusCode: registration.status,
                statusGroup: registration.status.group, birthDate: person.birthDate, gender: person.gender),
            key: person.personId.digits)
    }

    func emitStatusChanged(
        _ registration: RegistrationRecord, from: OTStatusCode, person: PersonRecord, context: HandlerContext
    ) throws {
        try context.emit(
            StatusChanged(
                registrationId: registration.id, personId: person.personId, unitId: registration.unitId,
                countyNumber: registration.county, schoolYear: registration.schoolYear, from: from,
                to: registration.status, reason: registration.reason, statusGroup: registration.status.group,
                effectiveDate: registration.statusDate, birthDate: person.birthDate, gender: person.gender),
            key: person.personId.digits)
    }

    func emitClosed(
        _ registration: RegistrationRecord, on date: LocalDate, cause: RegistrationClosureCause,
        closingStatus: OTStatusCode?, person: PersonRecord, context: HandlerContext
    ) throws {
        try context.emit(
            RegistrationClosed(
                registrationId: registration.id, personId: person.personId, unitId: registration.unitId,
                countyNumber: registration.county, schoolYear: registration.schoolYear, cause: cause,
                reason: registration.reason, statusCode: closingStatus,
                statusGroup: (closingStatus ?? registration.status).group, effectiveDate: date,
                birthDate: person.birthDate, gender: person.gender),
            key: person.personId.digits)
    }

    func emitContactRecorded(
        _ registration: RegistrationRecord, contact: RecordContact, person: PersonRecord, context: HandlerContext
    ) throws {
        try context.emit(
            ContactRecorded(
                registrationId: registration.id, personId: person.personId, unitId: registration.unitId,
                countyNumber: registration.county, schoolYear: registration.schoolYear, date: contact.date,
                channel: contact.channel, reached: contact.reached, reason: registration.reason,
                statusCode: registration.status, statusGroup: registration.status.group, birthDate: person.birthDate,
                gender: person.gender),
            key: person.personId.digits)
    }

    func emitActivityRecorded(
        _ registration: RegistrationRecord, activity: RecordActivity, person: PersonRecord, context: HandlerContext
    ) throws {
        try context.emit(
            ActivityRecorded(
                registrationId: registration.id, personId: person.personId, unitId: registration.unitId,
                countyNumber: registration.county, schoolYear: registration.schoolYear,
                activityType: activity.activityType, date: activity.date, reason: registration.reason,
                statusCode: registration.status, statusGroup: registration.status.group, birthDate: person.birthDate,
                gender: person.gender),
            key: person.personId.digits)
    }

    func emitTransferred(
        _ registration: RegistrationRecord, from previous: RegistrationRecord, on date: LocalDate, person: PersonRecord,
        context: HandlerContext
    ) throws {
        try context.emit(
            YouthTransferred(
                registrationId: registration.id, personId: person.personId, schoolYear: registration.schoolYear,
                fromUnitId: previous.unitId, fromCountyNumber: previous.county, toUnitId: registration.unitId,
                toCountyNumber: registration.county, reason: registration.reason, statusCode: registration.status,
                statusGroup: registration.status.group, effectiveDate: date, birthDate: person.birthDate,
                gender: person.gender),
            key: person.personId.digits)
    }
}
