import Foundation
import OTContract
import Testing

/// Test data: synthetic national IDs only (month + 80), and a sample payload of every event and command type.
enum Samples {
    /// Synthetic, born 2008-02-01.
    static let person = nationalID("01820850056")
    /// Synthetic D-number, born 2010-05-17.
    static let dNumberPerson = nationalID("57851050096")

    static let date = localDate("2026-03-02")
    /// The birth date of ``person``, as the population register gives it.
    static let birthDate = localDate("2008-02-01")
    static let schoolYear = SchoolYear(startYear: 2026)
    static let time = Timestamp(millisecondsSince1970: 1_772_442_600_123)
    static let school: OrganizationNumber = "974567890"
    static let otherSchool: OrganizationNumber = "998877665"
    static let requester = Requester(userId: "u-100", countyNumber: .trondelag, unitId: "5001")

    static func nationalID(_ digits: String) -> NationalID {
        do { return try NationalID(digits) } catch { preconditionFailure("\(error)") }
    }

    static func localDate(_ text: String) -> LocalDate {
        do { return try LocalDate(text) } catch { preconditionFailure("\(error)") }
    }

    static let history = SchoolHistory(
        applications: [
            .init(
                schoolYear: schoolYear, submittedAt: time,
                choices: [.init(programmeAreaCode: "ELELE1----", schoolOrgNumber: school)])
        ],
        offers: [
            .init(schoolYear: schoolYear, programmeAreaCode: "ELELE1----", schoolOrgNumber: school, answer: .declined)
        ],
        enrollments: [
            .init(
                schoolYear: schoolYear.previous, schoolOrgNumber: otherSchool, programmeAreaCode: "STUSP1----",
                startDate: localDate("2025-08-18"), kind: .pupil)
        ],
        dropouts: [.init(schoolYear: schoolYear.previous, date: localDate("2025-11-03"), reasonCode: .highAbsence)],
        completions: [.init(date: localDate("2024-06-20"), qualification: .kompetansebevis)]
    )

    /// One payload of every type the contract has.
    /// A registration event whose status group is not its code's (OTUK is in group 1): one that breaks its rules.
    static let registeredInWrongGroup = YouthRegistered(
        registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag, schoolYear: schoolYear,
        registeredAt: date, reason: .ikkeSokt, statusCode: .otuk, statusGroup: .iAktivitet, birthDate: birthDate)

    static let all: [any EventPayload] = [
        // vigo.enrollment.v1
        PersonUpdated(
            personId: person, birthDate: localDate("2008-02-01"), gender: .kvinne, countyNumber: .trondelag,
            municipalityNumber: "5001"),
        ApplicationSubmitted(
            personId: person, schoolYear: schoolYear, submittedAt: time,
            choices: [
                ApplicationChoice(programmeAreaCode: "ELELE1----", schoolOrgNumber: school),
                ApplicationChoice(programmeAreaCode: "TPTIP1----", schoolOrgNumber: otherSchool),
            ]),
        ApplicationMissing(personId: person, schoolYear: schoolYear, deadline: localDate("2026-03-01")),
        OfferAnswered(
            personId: person, schoolYear: schoolYear, programmeAreaCode: "ELELE1----", schoolOrgNumber: school,
            answer: .noAnswer),
        EnrollmentStarted(
            personId: person, schoolYear: schoolYear, schoolOrgNumber: school, programmeAreaCode: "ELELE1----",
            startDate: localDate("2026-08-19"), kind: .apprentice),
        EnrollmentDroppedOut(
            personId: person, schoolYear: schoolYear, date: localDate("2026-08-19"), reasonCode: .didNotShowUp),
        EducationCompleted(personId: person, date: localDate("2028-06-20"), qualification: .fagbrev),
        // ot.registrations.commands.v1
        RegisterYouth(personId: person, unitId: "5001", countyNumber: .trondelag, reason: .ikkeSokt, date: date),
        RecordContact(personId: person, date: date, channel: .sms, reached: false),
        SetStatus(personId: person, statusCode: .otvf, effectiveDate: localDate("2026-08-01")),
        RecordActivity(personId: person, activityType: .rightsInformationSent, date: date),
        TransferRegistration(personId: person, toUnitId: "0301", toCountyNumber: .oslo, date: date),
        CloseRegistration(personId: person, date: date, statusCode: .otfaIM),
        ErasePerson(personId: dNumberPerson),
        // ot.registrations.v1
        YouthRegistered(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, registeredAt: date, reason: .takketNei, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, birthDate: birthDate, gender: .kvinne),
        ContactRecorded(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, date: date, channel: .meeting, reached: true, reason: .takketNei,
            statusCode: .otuk, statusGroup: .ukjentAktivitet, birthDate: birthDate, gender: .kvinne),
        StatusChanged(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, from: .otuk, to: .otov, reason: .takketNei, statusGroup: .underOppfolging,
            effectiveDate: date, birthDate: birthDate, gender: .kvinne),
        ActivityRecorded(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, activityType: .guidance, date: date, reason: .takketNei, statusCode: .otov,
            statusGroup: .underOppfolging, birthDate: birthDate),
        YouthTransferred(
            registrationId: "r-1", personId: person, schoolYear: schoolYear, fromUnitId: "5001",
            fromCountyNumber: .trondelag, toUnitId: "0301", toCountyNumber: .oslo, reason: .takketNei,
            statusCode: .otov, statusGroup: .underOppfolging, effectiveDate: date, birthDate: birthDate,
            gender: .kvinne),
        RegistrationClosed(
            registrationId: "r-1", personId: person, unitId: "0301", countyNumber: .oslo, schoolYear: schoolYear,
            cause: .statusCode, reason: .takketNei, statusCode: .otevIM, statusGroup: .ikkeIMalgruppen,
            effectiveDate: date, birthDate: birthDate, gender: .kvinne),
        YouthErased(personId: dNumberPerson, registrationIds: ["r-1", "r-2"], erasedAt: time),
        // ot.replies.v1
        CommandReply(
            commandId: "cmd-1", commandType: SetStatus.eventType, status: .rejected, reason: "no open registration"),
        // ot.followup-plans.commands.v1
        CreatePlan(personId: person, planId: "p-1", date: date),
        AddGoal(personId: person, planId: "p-1", goalId: "g-1", description: "Start an apprenticeship"),
        AddMeasure(
            personId: person, planId: "p-1", measureId: "m-1", goalId: "g-1", measureType: .navMeasure,
            responsibleAgency: .nav, dueDate: localDate("2026-06-01"), description: "Work practice"),
        SetMeasureStatus(personId: person, planId: "p-1", measureId: "m-1", status: .inProgress, date: date),
        RecordReview(
            personId: person, planId: "p-1", date: date, nextReviewDate: localDate("2026-04-02"), summary: "On track"),
        ClosePlan(personId: person, planId: "p-1", date: date),
        // ot.followup-plans.v1
        PlanCreated(
            planId: "p-1", personId: person, registrationId: "r-1", unitId: "5001", countyNumber: .trondelag,
            date: date),
        GoalAdded(planId: "p-1", personId: person, goalId: "g-1", description: "Start an apprenticeship"),
        MeasureAdded(
            planId: "p-1", personId: person, measureId: "m-1", measureType: .work, responsibleAgency: .employer,
            description: "Work practice", status: .planned),
        MeasureStatusChanged(
            planId: "p-1", personId: person, measureId: "m-1", from: .planned, to: .completed, date: date),
        ReviewRecorded(planId: "p-1", personId: person, date: date, nextReviewDate: localDate("2026-05-02")),
        ReviewOverdue(
            planId: "p-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            nextReviewDate: localDate("2026-05-02"), detectedOn: localDate("2026-05-03")),
        PlanClosed(
            planId: "p-1", personId: person, date: date, cause: .registrationClosed,
            registrationClosureCause: .statusCode, registrationStatusCode: .otevIM),
        PlanMissing(
            personId: person, registrationId: "r-1", unitId: "5001", countyNumber: .trondelag,
            registeredSince: localDate("2026-03-01"), dueDate: localDate("2026-03-29"),
            detectedOn: localDate("2026-03-30")),
        PlanCarriedOver(
            planId: "p-1", personId: person, fromRegistrationId: "r-1", toRegistrationId: "r-2", unitId: "0301",
            countyNumber: .oslo, date: date),
        // school history and audit
        SchoolHistoryRequest(requestId: "q-1", personId: person, requester: requester, purpose: "Follow-up meeting"),
        SchoolHistoryReply(
            requestId: "q-1", status: .ok, history: history,
            registration: CurrentRegistration(
                registrationId: "r-1", unitId: "5001", countyNumber: .trondelag, schoolYear: schoolYear,
                registeredAt: date, reason: .sluttet, statusCode: .otov),
            meanings: ["programmeArea:STSSA1----": "Vg1 Studiespesialisering", "statusCode:OTOV": "followed up"]),
        SchoolHistoryReply(requestId: "q-2", status: .denied, reason: "not registered or living in your county"),
        AccessLogEntry(
            requestId: "q-1", requester: requester, personId: person, purpose: "Follow-up meeting", occurredAt: time,
            outcome: .ok, fieldsReturned: ["applications", "registration"]),
        AccessLogEntry(
            requestId: "q-3", requester: requester, occurredAt: time, outcome: .invalid,
            reason: "invalid national ID", fieldsReturned: []),
        AccessLogEntry(requestId: "q-4", requester: nil, occurredAt: time, outcome: .invalid, reason: "no requester"),
        CommandRefused(
            commandId: "cmd-9", commandType: SetStatus.eventType,
            actor: CommandActor(userId: "u-1", countyNumber: .oslo, unitId: "0301", role: .adviser), personId: person,
            reason: "the youth is registered in county 50, unit 5001: outside your county", occurredAt: time),
        // statistics
        StatisticsUpdated(
            key: StatisticsKey(scope: .county, id: "50", period: .reportingDate(localDate("2026-06-15"))),
            countyNumber: .trondelag, asOf: localDate("2026-06-15"), openRegistrations: 12,
            byStatusGroup: ["1": 7, "2": nil, "3": nil, "4": 0, "5": 0], byStatusCode: ["OTUK": 7, "OTOV": nil],
            byReason: ["IKKE_SOKT": 12], byAgeBand: ["17": 12], byGender: ["K": 6, "M": 6],
            unknownShare: 7.0 / 12,
            schoolYearFlow: .init(registered: 20, reachedActivity: nil, registeredPreviousYear: nil),
            suppressed: [
                "byStatusGroup.2", "byStatusGroup.3", "byStatusCode.OTOV", "schoolYearFlow.reachedActivity",
                "schoolYearFlow.registeredPreviousYear",
            ]),
    ]
}

/// A payload as a test argument, named by its event type.
struct Sample: Sendable, CustomTestStringConvertible {
    let payload: any EventPayload
    var testDescription: String { type(of: payload).eventType }
}
