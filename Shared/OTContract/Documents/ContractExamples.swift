/// A canonical example of every event and command type of the contract, as the system puts it on its topic: a
/// CloudEvent in structured mode with its typed `data`, a fixed id and time, the source of its producer, the
/// correlation id a command gives the events it causes, and on commands the actor.
///
/// The examples are written to docs/contract/examples/ (``ContractDocuments``) for other teams to build on, and give
/// the tests a valid event of every type. Each shows as many of its type's optional fields as its rules allow.
///
/// - Important: Synthetic national IDs only (month + 80, as Skatteetaten's test numbers): never a real person's.
public enum ContractExamples {
    /// The example of `eventType`, or `nil` when the contract has none.
    /// - Throws: The ``ContractError`` of an example that breaks its type's rules (a bug in the examples).
    public static func event(of eventType: String) throws(ContractError) -> CloudEvent? {
        guard let payload = payloads.first(where: { Swift.type(of: $0).eventType == eventType }) else { return nil }
        return try event(for: payload)
    }

    /// Every example, in the order of ``ContractTopic/all`` and their topics' types.
    /// - Throws: The ``ContractError`` of an example that breaks its type's rules (a bug in the examples).
    public static func all() throws(ContractError) -> [CloudEvent] {
        var events: [CloudEvent] = []
        for payload in payloads { events.append(try event(for: payload)) }
        return events
    }

    /// The time of every example: 2 March 2026, 09:30:00.123 UTC.
    public static let time = Timestamp(millisecondsSince1970: 1_772_443_800_123)

    /// The correlation id of the examples' commands and of the events they cause.
    public static let correlationID = CloudEvent.derivedID(from: "contract example: correlation")

    /// The actor of the examples' commands: an adviser in unit 5001 of Trøndelag.
    public static let actor = CommandActor(userId: "ola.nordmann", countyNumber: .trondelag, unitId: "5001")

    /// The actor of `no.ot.person.erase`, which needs the administrator role.
    public static let administrator = CommandActor(
        userId: "kari.nordmann", countyNumber: .trondelag, role: .administrator)

    private static func event(for payload: any EventPayload) throws(ContractError) -> CloudEvent {
        try make(payload)
    }

    private static func make<P: EventPayload>(_ payload: P) throws(ContractError) -> CloudEvent {
        let topic = ContractTopic.carrying(P.eventType)
        let isUpstream = P.topic == .enrollment
        var extensions: [String: JSONValue] = [:]
        if topic?.carriesCommands == true {
            extensions = (P.self == ErasePerson.self ? administrator : actor).extensions
        }
        return try CloudEvent(
            payload, id: CloudEvent.derivedID(from: "contract example: \(P.eventType)"), source: source(of: P.self),
            time: time.date, correlationID: isUpstream ? nil : correlationID, extensions: extensions)
    }

    /// The `source` of the producer of `type`: the upstream register, the front end, or the service.
    private static func source(of type: any EventPayload.Type) -> String {
        switch type.topic {
        case .enrollment:
            switch type.eventType {
            case PersonUpdated.eventType: "urn:vigo:population-register"
            case ApplicationSubmitted.eventType, ApplicationMissing.eventType, OfferAnswered.eventType:
                "urn:vigo:admission"
            default: "urn:vigo:pupil-register"
            }
        case .registrationCommands, .followUpPlanCommands, .schoolHistoryRequests: "urn:ot:frontend"
        case .followUpPlans: ServiceName.followUpPlans.eventSource
        case .schoolHistoryReplies: ServiceName.schoolHistory.eventSource
        case .audit:
            type == AccessLogEntry.self ? ServiceName.schoolHistory.eventSource : ServiceName.registrations.eventSource
        case .statistics: ServiceName.statistics.eventSource
        default: ServiceName.registrations.eventSource
        }
    }

    // MARK: - The payloads

    /// Synthetic, born 2008-02-01.
    private static let person = nationalID("01820850056")
    /// Synthetic D-number, born 2010-05-17.
    private static let dNumberPerson = nationalID("57851050096")
    private static let birthDate = LocalDate(unchecked: 2008, 2, 1)
    private static let date = LocalDate(unchecked: 2026, 3, 2)
    private static let schoolYear = SchoolYear(startYear: 2025)
    private static let school: OrganizationNumber = "974567890"
    private static let otherSchool: OrganizationNumber = "998877665"
    private static let requester = Requester(userId: "ola.nordmann", countyNumber: .trondelag, unitId: "5001")

    private static func nationalID(_ digits: String) -> NationalID {
        do { return try NationalID(digits) } catch { preconditionFailure("an example's national ID: \(error)") }
    }

    /// One payload of every type, in the order of ``ContractTopic/all``.
    private static let payloads: [any EventPayload] = [
        // vigo.enrollment.v1
        PersonUpdated(
            personId: person, birthDate: birthDate, gender: .kvinne, countyNumber: .trondelag,
            municipalityNumber: "5001"),
        ApplicationSubmitted(
            personId: person, schoolYear: schoolYear.next, submittedAt: time,
            choices: [
                ApplicationChoice(programmeAreaCode: "ELELE1----", schoolOrgNumber: school),
                ApplicationChoice(programmeAreaCode: "TPTIP1----", schoolOrgNumber: otherSchool),
            ]),
        ApplicationMissing(personId: person, schoolYear: schoolYear.next, deadline: LocalDate(unchecked: 2026, 3, 1)),
        OfferAnswered(
            personId: person, schoolYear: schoolYear, programmeAreaCode: "ELELE1----", schoolOrgNumber: school,
            answer: .declined),
        EnrollmentStarted(
            personId: person, schoolYear: schoolYear, schoolOrgNumber: school, programmeAreaCode: "ELELE1----",
            startDate: LocalDate(unchecked: 2025, 8, 18), kind: .pupil),
        EnrollmentDroppedOut(
            personId: person, schoolYear: schoolYear, date: LocalDate(unchecked: 2025, 11, 3),
            reasonCode: .highAbsence),
        EducationCompleted(personId: person, date: LocalDate(unchecked: 2024, 6, 20), qualification: .kompetansebevis),
        // ot.registrations.commands.v1
        RegisterYouth(personId: person, unitId: "5001", countyNumber: .trondelag, reason: .sluttet, date: date),
        RecordContact(personId: person, date: date, channel: .phone, reached: true),
        SetStatus(personId: person, statusCode: .otov, effectiveDate: date),
        RecordActivity(personId: person, activityType: .guidance, date: date),
        TransferRegistration(personId: person, toUnitId: "0301", toCountyNumber: .oslo, date: date),
        CloseRegistration(personId: person, date: date, statusCode: .otevIM),
        ErasePerson(personId: dNumberPerson),
        // ot.registrations.v1
        YouthRegistered(
            registrationId: "r-2025-5001-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, registeredAt: date, reason: .sluttet, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, birthDate: birthDate, gender: .kvinne),
        ContactRecorded(
            registrationId: "r-2025-5001-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, date: date, channel: .phone, reached: true, reason: .sluttet, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, birthDate: birthDate, gender: .kvinne),
        StatusChanged(
            registrationId: "r-2025-5001-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, from: .otuk, to: .otov, reason: .sluttet, statusGroup: .underOppfolging,
            effectiveDate: date, birthDate: birthDate, gender: .kvinne),
        ActivityRecorded(
            registrationId: "r-2025-5001-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: schoolYear, activityType: .guidance, date: date, reason: .sluttet, statusCode: .otov,
            statusGroup: .underOppfolging, birthDate: birthDate, gender: .kvinne),
        YouthTransferred(
            registrationId: "r-2025-5001-1", personId: person, schoolYear: schoolYear, fromUnitId: "5001",
            fromCountyNumber: .trondelag, toUnitId: "0301", toCountyNumber: .oslo, reason: .sluttet,
            statusCode: .otov, statusGroup: .underOppfolging, effectiveDate: date, birthDate: birthDate,
            gender: .kvinne),
        RegistrationClosed(
            registrationId: "r-2025-5001-1", personId: person, unitId: "0301", countyNumber: .oslo,
            schoolYear: schoolYear, cause: .statusCode, reason: .sluttet, statusCode: .otevIM,
            statusGroup: .ikkeIMalgruppen, effectiveDate: date, birthDate: birthDate, gender: .kvinne),
        YouthErased(personId: dNumberPerson, registrationIds: ["r-2024-5001-7", "r-2025-5001-2"], erasedAt: time),
        // ot.followup-plans.commands.v1
        CreatePlan(personId: person, planId: "p-1", date: date),
        AddGoal(personId: person, planId: "p-1", goalId: "g-1", description: "Start an apprenticeship"),
        AddMeasure(
            personId: person, planId: "p-1", measureId: "m-1", goalId: "g-1", measureType: .navMeasure,
            responsibleAgency: .nav, dueDate: LocalDate(unchecked: 2026, 6, 1), description: "Work practice"),
        SetMeasureStatus(personId: person, planId: "p-1", measureId: "m-1", status: .inProgress, date: date),
        RecordReview(
            personId: person, planId: "p-1", date: date, nextReviewDate: LocalDate(unchecked: 2026, 4, 2),
            summary: "On track"),
        ClosePlan(personId: person, planId: "p-1", date: date),
        // ot.followup-plans.v1
        PlanCreated(
            planId: "p-1", personId: person, registrationId: "r-2025-5001-1", unitId: "5001",
            countyNumber: .trondelag, date: date, nextReviewDate: LocalDate(unchecked: 2026, 3, 30)),
        GoalAdded(planId: "p-1", personId: person, goalId: "g-1", description: "Start an apprenticeship"),
        MeasureAdded(
            planId: "p-1", personId: person, measureId: "m-1", goalId: "g-1", measureType: .navMeasure,
            responsibleAgency: .nav, dueDate: LocalDate(unchecked: 2026, 6, 1), description: "Work practice",
            status: .planned),
        MeasureStatusChanged(
            planId: "p-1", personId: person, measureId: "m-1", from: .planned, to: .inProgress, date: date),
        ReviewRecorded(
            planId: "p-1", personId: person, date: date, nextReviewDate: LocalDate(unchecked: 2026, 4, 2),
            summary: "On track"),
        ReviewOverdue(
            planId: "p-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            nextReviewDate: LocalDate(unchecked: 2026, 4, 2), detectedOn: LocalDate(unchecked: 2026, 4, 3)),
        PlanClosed(
            planId: "p-1", personId: person, date: date, cause: .registrationClosed,
            registrationClosureCause: .statusCode, registrationStatusCode: .otevIM),
        PlanMissing(
            personId: person, registrationId: "r-2025-5001-1", unitId: "5001", countyNumber: .trondelag,
            registeredSince: LocalDate(unchecked: 2026, 2, 1), dueDate: LocalDate(unchecked: 2026, 3, 1),
            detectedOn: date),
        PlanCarriedOver(
            planId: "p-1", personId: person, fromRegistrationId: "r-2025-5001-1", toRegistrationId: "r-2025-0301-1",
            unitId: "0301", countyNumber: .oslo, date: date),
        // ot.school-history.requests.v1 and ot.school-history.replies.v1
        SchoolHistoryRequest(requestId: "q-1", personId: person, requester: requester, purpose: "Follow-up meeting"),
        SchoolHistoryReply(
            requestId: "q-1", status: .ok,
            history: SchoolHistory(
                applications: [
                    .init(
                        schoolYear: schoolYear, submittedAt: Timestamp(millisecondsSince1970: 1_740_650_400_000),
                        choices: [.init(programmeAreaCode: "ELELE1----", schoolOrgNumber: school)])
                ],
                offers: [
                    .init(
                        schoolYear: schoolYear, programmeAreaCode: "ELELE1----", schoolOrgNumber: school,
                        answer: .accepted)
                ],
                enrollments: [
                    .init(
                        schoolYear: schoolYear, schoolOrgNumber: school, programmeAreaCode: "ELELE1----",
                        startDate: LocalDate(unchecked: 2025, 8, 18), kind: .pupil)
                ],
                dropouts: [
                    .init(schoolYear: schoolYear, date: LocalDate(unchecked: 2025, 11, 3), reasonCode: .highAbsence)
                ],
                completions: [.init(date: LocalDate(unchecked: 2024, 6, 20), qualification: .kompetansebevis)]),
            registration: CurrentRegistration(
                registrationId: "r-2025-5001-1", unitId: "5001", countyNumber: .trondelag, schoolYear: schoolYear,
                registeredAt: date, reason: .sluttet, statusCode: .otov),
            meanings: [
                "programmeArea:ELELE1----": ProgrammeArea.meaning(of: "ELELE1----") ?? "",
                "dropoutReason:FR": DropoutReason.highAbsence.meaning,
                "qualification:KOMPETANSEBEVIS": Qualification.kompetansebevis.meaning,
                "statusCode:OTOV": OTStatusCode.otov.meaning,
            ]),
        // ot.audit.v1
        AccessLogEntry(
            requestId: "q-1", requester: requester, personId: person, purpose: "Follow-up meeting", occurredAt: time,
            outcome: .ok,
            fieldsReturned: ["applications", "offers", "enrollments", "dropouts", "completions", "registration"]),
        CommandRefused(
            commandId: "cmd-9", commandType: SetStatus.eventType,
            actor: CommandActor(userId: "per.hansen", countyNumber: .oslo, unitId: "0301"), personId: person,
            reason: "the youth is in county 50: outside your county (03)", occurredAt: time),
        // ot.replies.v1
        CommandReply(
            commandId: CloudEvent.derivedID(from: "contract example: \(SetStatus.eventType)"),
            commandType: SetStatus.eventType, status: .rejected, reason: "the youth has no open registration"),
        // ot.statistics.v1
        StatisticsUpdated(
            key: StatisticsKey(scope: .county, id: "50", period: .reportingDate(LocalDate(unchecked: 2026, 2, 1))),
            countyNumber: .trondelag, asOf: LocalDate(unchecked: 2026, 2, 1), openRegistrations: 40,
            byStatusGroup: ["1": 12, "2": 10, "3": nil, "4": nil, "5": 0],
            byStatusCode: Dictionary(
                uniqueKeysWithValues: OTStatusCode.allCases.map { code in
                    (code.rawValue, [.otuk: 12, .otov: 10, .otoa: nil, .otev: nil, .otno: nil, .otsy: nil][code] ?? 0)
                }),
            byReason: ["IKKE_SOKT": 15, "TAKKET_NEI": 9, "SLUTTET": 16, "ANNET": 0],
            byAgeBand: ["15-16": 5, "17": 9, "18": 11, "19": 8, "20": 7, "21-24": 0],
            byGender: ["K": 18, "M": 22, "UKJENT": 0], unknownShare: 0.3,
            schoolYearFlow: .init(registered: 61, reachedActivity: 23, registeredPreviousYear: 19),
            suppressed: [
                "byStatusGroup.3", "byStatusGroup.4", "byStatusCode.OTEV", "byStatusCode.OTNO", "byStatusCode.OTOA",
                "byStatusCode.OTSY",
            ]),
    ]
}
