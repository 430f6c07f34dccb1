import Foundation
import OTContract

/// One simulated youth's school year: who they are, their trigger, and the case workers' commands that follow,
/// each event at a simulated moment that is later than the youth's previous one.
struct YouthScript {
    /// The youth as the simulation describes them.
    private(set) var youth: SimulatedYouth
    /// The youth's events with their times (milliseconds since 1970), in the order they happen.
    private(set) var events: [(time: Int64, event: SimulatedEvent)] = []

    /// Why playing the year failed, if it did (a generated payload broke a contract rule).
    private(set) var failure: ContractError?

    private let schoolYear: SchoolYear
    private let birthDate: LocalDate
    private let age: Int
    private var lastTime = Int64.min
    /// The youth's own generator, seeded from the simulation's: the year does not depend on other youths'.
    private var generator: SeededGenerator
    /// Whether the case workers make follow-up plans (``playPlan(from:)``).
    private let plans: Bool
    /// The plan's own generator: with or without plans, the rest of the year is the same.
    private var planGenerator: SeededGenerator
    /// The youth's plan commands' last time: they have times of their own, half a minute off the other events'.
    private var lastPlanTime = Int64.min
    /// The first day a case worker reached the youth, if one did.
    private var reachedOn: LocalDate?
    /// The day the registration closed within the school year, if it did.
    private var closedOn: LocalDate?

    // MARK: Who the youth is

    /// Draws the youth: trigger, age, birth date, a national ID not used before in this simulation (`identities`
    /// holds the next synthetic-number index of each birth date), county, gender.
    init(
        index: Int, schoolYear: SchoolYear, plans: Bool = false, identities: inout [LocalDate: Int],
        generator: inout SeededGenerator
    ) throws(ContractError) {
        self.schoolYear = schoolYear
        self.plans = plans
        let trigger = Self.triggers.draw(using: &generator)
        // At most one below the upper age in force when the school year starts, so that the youth is still in the
        // group in its spring (the age is counted at the end of the start year): before autumn 2024 that was 21.
        age = min(
            Self.ages(for: trigger).draw(using: &generator), OTAgeGroup.upperAge(on: schoolYear.firstDay) - 1)
        let birthYear = schoolYear.startYear - age
        let january = try LocalDate(year: birthYear, month: 1, day: 1)
        let daysInYear = january.days(until: try LocalDate(year: birthYear + 1, month: 1, day: 1))
        birthDate = january.adding(days: Int.random(in: 0..<daysInYear, using: &generator))
        // A date has a few hundred synthetic numbers. Each date's youths take consecutive ones from a start drawn
        // for the date, so that no two youths share a number and other seeds mostly use other numbers; a small
        // start keeps `synthetic(birthDate:index:)`, which counts up to its index, cheap.
        let next = identities[birthDate] ?? Int.random(in: 0..<30, using: &generator)
        identities[birthDate] = next + 1
        let personId = try NationalID.synthetic(birthDate: birthDate, index: next)
        let roll = Double.random(in: 0..<1, using: &generator)
        let gender: Gender? = roll < 0.485 ? .kvinne : roll < 0.97 ? .mann : nil
        let seed = generator.next()
        self.generator = SeededGenerator(seed: seed)
        planGenerator = SeededGenerator(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        youth = SimulatedYouth(
            index: index, personId: personId, county: Self.counties.draw(using: &generator), gender: gender,
            trigger: trigger, triggerDate: schoolYear.firstDay, registrationDate: nil, reachesActivity: false,
            leaves: false)
    }

    /// Plays the youth's year: the person, the trigger, and for a registered youth the case workers' commands; a
    /// failure is kept in ``failure``.
    mutating func play() {
        var generator = self.generator
        do {
            try play(&generator)
        } catch {
            failure = error
        }
        self.generator = generator
    }

    private mutating func play(_ generator: inout SeededGenerator) throws(ContractError) {
        let person = PersonUpdated(
            personId: youth.personId, birthDate: birthDate, gender: youth.gender, countyNumber: youth.county,
            municipalityNumber: youth.county.rawValue + "01")
        try upstream(person, on: random(from: schoolYear.firstDay, days: 1, &generator), &generator)
        guard let registered = try playTrigger(&generator) else { return }
        youth.registrationDate = registered
        try playCaseWork(registeredOn: registered, &generator)
        if plans, let reachedOn { try playPlan(from: reachedOn) }
    }

    // MARK: The trigger

    /// The first day of school (a few days around 18 August).
    private func schoolStart(_ generator: inout SeededGenerator) -> LocalDate {
        random(from: schoolYear.firstDay.adding(days: 16), days: 4, &generator)
    }

    /// Emits the youth's trigger and returns the date the registrations service registers them, if it does.
    private mutating func playTrigger(_ generator: inout SeededGenerator) throws(ContractError) -> LocalDate? {
        let personId = youth.personId
        let school = Self.schools.draw(using: &generator)
        let programme = Self.programmes.draw(using: &generator)
        switch youth.trigger {
        case .applicationMissing:
            let deadline =
                generator.chance(0.1)
                ? try schoolYear.date(month: 2, day: 1) : try schoolYear.date(month: 3, day: 1)
            try upstream(
                ApplicationMissing(personId: personId, schoolYear: schoolYear.next, deadline: deadline), on: deadline,
                &generator)
            return triggered(on: deadline)

        case .droppedOut:
            let reason = Self.registeringDropouts.draw(using: &generator)
            let date: LocalDate
            if reason == .didNotShowUp || reason == .declinedOffer {
                // Did not show up, or declined the place, at school start: never enrolled.
                date = random(from: schoolStart(&generator), days: 10, &generator)
            } else {
                let start = schoolStart(&generator)
                let kind: EnrollmentKind = age >= 17 && generator.chance(0.2) ? .apprentice : .pupil
                try upstream(
                    EnrollmentStarted(
                        personId: personId, schoolYear: schoolYear, schoolOrgNumber: school,
                        programmeAreaCode: programme, startDate: start, kind: kind), on: start, &generator)
                date = random(from: start.adding(days: 21), to: try schoolYear.date(month: 6, day: 10), &generator)
            }
            try upstream(
                EnrollmentDroppedOut(personId: personId, schoolYear: schoolYear, date: date, reasonCode: reason),
                on: date, &generator)
            return triggered(on: date)

        case .droppedOutContinuing:
            let start = schoolStart(&generator)
            try upstream(
                EnrollmentStarted(
                    personId: personId, schoolYear: schoolYear, schoolOrgNumber: school, programmeAreaCode: programme,
                    startDate: start, kind: .pupil), on: start, &generator)
            let reason = Self.continuingDropouts.draw(using: &generator)
            let date = random(from: start.adding(days: 21), to: try schoolYear.date(month: 6, day: 10), &generator)
            try upstream(
                EnrollmentDroppedOut(personId: personId, schoolYear: schoolYear, date: date, reasonCode: reason),
                on: date, &generator)
            _ = triggered(on: date)
            // Another programme or school, or an apprenticeship, follows within days; exchange and leave do not.
            let next: EnrollmentKind? =
                switch reason {
                case .changedProgramme, .otherSchool: .pupil
                case .apprenticeship: .apprentice
                default: nil
                }
            if let next {
                let restart = random(from: date.adding(days: 1), days: 13, &generator)
                try upstream(
                    EnrollmentStarted(
                        personId: personId, schoolYear: schoolYear,
                        schoolOrgNumber: Self.schools.draw(using: &generator),
                        programmeAreaCode: Self.programmes.draw(using: &generator), startDate: restart, kind: next),
                    on: restart, &generator)
            }
            return nil

        case .offerDeclined:
            let answer: OfferAnswer = generator.chance(0.6) ? .declined : .noAnswer
            // Most in August's late admission rounds for this school year; some in July for the next one.
            let (date, year) =
                generator.chance(0.65)
                ? (random(from: schoolYear.firstDay.adding(days: 3), days: 16, &generator), schoolYear)
                : (random(from: try schoolYear.date(month: 7, day: 1), days: 19, &generator), schoolYear.next)
            try upstream(
                OfferAnswered(
                    personId: personId, schoolYear: year, programmeAreaCode: programme, schoolOrgNumber: school,
                    answer: answer), on: date, &generator)
            return triggered(on: date)

        case .manualRegistration:
            let date = random(
                from: schoolYear.firstDay.adding(days: 24), to: try schoolYear.date(month: 5, day: 31), &generator)
            try command(
                RegisterYouth(
                    personId: personId, unitId: youth.county.defaultUnitID, countyNumber: youth.county,
                    reason: .annet, date: date), on: date, &generator)
            return triggered(on: date)

        case .enrolled:
            let answered = random(from: schoolYear.firstDay.adding(days: 3), days: 8, &generator)
            try upstream(
                OfferAnswered(
                    personId: personId, schoolYear: schoolYear, programmeAreaCode: programme, schoolOrgNumber: school,
                    answer: .accepted), on: answered, &generator)
            let start = schoolStart(&generator)
            try upstream(
                EnrollmentStarted(
                    personId: personId, schoolYear: schoolYear, schoolOrgNumber: school, programmeAreaCode: programme,
                    startDate: start, kind: .pupil), on: start, &generator)
            _ = triggered(on: answered)
            return nil
        }
    }

    /// Records the trigger date; returns it as the registration date when the trigger registers.
    private mutating func triggered(on date: LocalDate) -> LocalDate? {
        youth.triggerDate = date
        return youth.trigger.registers ? date : nil
    }

    // MARK: The case workers' year

    /// Something that ends the registration on a date: a re-enrollment, or a case worker's closure.
    private enum Exit {
        case enrollment(EnrollmentKind)
        case closure(OTStatusCode)
    }

    /// The case workers' commands for a youth registered on `registered`, each after the one before and within the
    /// school year, none after the registration has ended.
    private mutating func playCaseWork(
        registeredOn registered: LocalDate, _ generator: inout SeededGenerator
    ) throws(ContractError) {
        let personId = youth.personId
        var plan = CaseWorkPlan(end: schoolYear.lastDay)
        // What will happen on its own date, whatever the case workers are doing then.
        let exitRoll = Double.random(in: 0..<1, using: &generator)
        if exitRoll < 0.07 {
            let newYear = try schoolYear.date(month: 1, day: 4)
            let date =
                registered < newYear.adding(days: -20)
                ? random(from: newYear, days: 8, &generator)
                : random(from: registered.adding(days: 20), days: 70, &generator)
            plan.exit = (date, .enrollment(generator.chance(0.7) ? .pupil : .apprentice))
        } else if exitRoll < 0.15 {
            let code = Self.closingCodes.draw(using: &generator)
            let date =
                code == .feil
                ? random(from: registered.adding(days: 2), days: 28, &generator)
                : random(from: registered.adding(days: 20), days: 130, &generator)
            plan.exit = (date, .closure(code))
        }
        if generator.chance(0.08) {
            plan.transfer = random(from: registered.adding(days: 5), days: 55, &generator)
        }

        var cursor = registered
        // Written information about rights, also to the parents of under-18s.
        if generator.chance(0.85) {
            cursor = random(from: registered.adding(days: 1), days: 9, &generator)
            try activity(.rightsInformationSent, on: cursor, &plan, &generator)
        }
        // Up to three attempts to make contact; a letter or SMS without an answer does not count.
        var status = OTStatusCode.otuk
        for attempt in 0..<3 where plan.isOpen && status == .otuk {
            cursor = random(from: cursor.adding(days: attempt == 0 ? 3 : 7), days: 23, &generator)
            let channel = Self.channels.draw(using: &generator)
            let reached = generator.chance(Self.reachProbability(channel))
            if try isOpen(on: cursor, &plan, &generator) {
                try command(
                    RecordContact(personId: personId, date: cursor, channel: channel, reached: reached), on: cursor,
                    &generator)
                if reached {
                    status = .otov
                    reachedOn = reachedOn ?? cursor
                }
            }
        }
        if status == .otuk, plan.isOpen, generator.chance(0.25) {
            // Reached through NAV or the municipality instead.
            cursor = random(from: cursor.adding(days: 10), days: 30, &generator)
            if try setStatus(.otov, on: cursor, &plan, &generator) {
                status = .otov
                reachedOn = reachedOn ?? cursor
            }
        }
        guard status == .otov, plan.isOpen else {
            try plan.play(until: plan.end, for: &self, &generator)
            return
        }
        if generator.chance(0.7) {
            cursor = random(from: cursor, days: 14, &generator)
            try activity(.guidance, on: cursor, &plan, &generator)
        }
        if generator.chance(0.55) {
            // Into activity: an offer, then a group 3 status; some leave the target group for good later.
            if generator.chance(0.8) {
                cursor = random(from: cursor.adding(days: 3), days: 17, &generator)
                try activity(.offerMade, on: cursor, &plan, &generator)
            }
            cursor = random(from: cursor.adding(days: 7), days: 53, &generator)
            var code = Self.activityCodes.draw(using: &generator)
            if !code.isValid(on: cursor) { code = .otoa }
            if try setStatus(code, on: cursor, &plan, &generator) {
                youth.reachesActivity = true
                if let leaving = Self.leavingCode(code), generator.chance(0.25) {
                    cursor = random(from: cursor.adding(days: 30), days: 90, &generator)
                    if try isOpen(on: cursor, &plan, &generator) {
                        try command(
                            CloseRegistration(personId: personId, date: cursor, statusCode: leaving), on: cursor,
                            &generator)
                        youth.leaves = true
                        closedOn = cursor
                        return
                    }
                }
            }
        } else if generator.chance(0.45) {
            cursor = random(from: cursor.adding(days: 14), days: 76, &generator)
            try setStatus(Self.clarifiedCodes.draw(using: &generator), on: cursor, &plan, &generator)
        } else if generator.chance(0.5) {
            cursor = random(from: cursor.adding(days: 10), days: 50, &generator)
            try activity(Self.followUpActivities.draw(using: &generator), on: cursor, &plan, &generator)
        }
        try plan.play(until: plan.end, for: &self, &generator)
    }

    /// A `no.ot.status.set` command on `date`, if the registration is still open then; returns whether it was sent.
    @discardableResult
    private mutating func setStatus(
        _ code: OTStatusCode, on date: LocalDate, _ plan: inout CaseWorkPlan, _ generator: inout SeededGenerator
    ) throws(ContractError) -> Bool {
        guard try isOpen(on: date, &plan, &generator) else { return false }
        try command(SetStatus(personId: youth.personId, statusCode: code, effectiveDate: date), on: date, &generator)
        return true
    }

    /// A `no.ot.activity.record` command on `date`, if the registration is still open then.
    private mutating func activity(
        _ type: ActivityType, on date: LocalDate, _ plan: inout CaseWorkPlan, _ generator: inout SeededGenerator
    ) throws(ContractError) {
        guard try isOpen(on: date, &plan, &generator) else { return }
        try command(RecordActivity(personId: youth.personId, activityType: type, date: date), on: date, &generator)
    }

    /// Plays what the plan holds up to `date` (a transfer, the exit); then whether a case worker can still act on
    /// `date`: the registration is open and the school year not over.
    private mutating func isOpen(
        on date: LocalDate, _ plan: inout CaseWorkPlan, _ generator: inout SeededGenerator
    ) throws(ContractError) -> Bool {
        try plan.play(until: date, for: &self, &generator)
        return plan.isOpen && date <= plan.end
    }

    /// The transfer and the exit planned for a registration, played when the case workers' commands reach their
    /// dates.
    private struct CaseWorkPlan {
        /// The last day of the school year.
        let end: LocalDate
        /// A transfer to the county's second unit, on this date.
        var transfer: LocalDate?
        /// What ends the registration, and when.
        var exit: (date: LocalDate, kind: Exit)?
        /// Whether the registration is still open.
        private(set) var isOpen = true

        /// Plays the transfer and the exit that fall on or before `date` (and within the school year), in date
        /// order.
        mutating func play(
            until date: LocalDate, for script: inout YouthScript, _ generator: inout SeededGenerator
        ) throws(ContractError) {
            let until = min(date, end)
            if let transfer, transfer <= until, exit.map({ transfer <= $0.date }) ?? true, isOpen {
                let county = script.youth.county
                try script.command(
                    TransferRegistration(
                        personId: script.youth.personId, toUnitId: county.secondUnitID, toCountyNumber: county,
                        date: transfer), on: transfer, &generator)
                self.transfer = nil
            }
            if let exit, exit.date <= until, isOpen {
                switch exit.kind {
                case .enrollment(let kind):
                    try script.upstream(
                        EnrollmentStarted(
                            personId: script.youth.personId, schoolYear: script.schoolYear,
                            schoolOrgNumber: YouthScript.schools.draw(using: &generator),
                            programmeAreaCode: YouthScript.programmes.draw(using: &generator), startDate: exit.date,
                            kind: kind), on: exit.date, &generator)
                case .closure(let code):
                    try script.command(
                        CloseRegistration(personId: script.youth.personId, date: exit.date, statusCode: code),
                        on: exit.date, &generator)
                    script.youth.registeredInError = code == .feil
                }
                script.youth.leaves = true
                script.closedOn = exit.date
                isOpen = false
            }
        }
    }

    // MARK: The follow-up plan

    /// For most youths a case worker reached: a plan within two weeks, with a goal and a measure; the measure
    /// started; a review around the sixth week (some late, some never). Only while the registration is open.
    private mutating func playPlan(from reached: LocalDate) throws(ContractError) {
        var generator = planGenerator
        defer { planGenerator = generator }
        guard generator.chance(0.6) else { return }
        let last = min(closedOn.map { $0.adding(days: -1) } ?? schoolYear.lastDay, schoolYear.lastDay)
        let created = random(from: reached.adding(days: 1), days: 14, &generator)
        guard created <= last else { return }
        let personId = youth.personId
        let planId = generator.uuid()
        try planCommand(CreatePlan(personId: personId, planId: planId, date: created), on: created, &generator)
        let goal = YouthScript.planGoals.draw(using: &generator)
        try planCommand(
            AddGoal(personId: personId, planId: planId, goalId: "g1", description: goal.description), on: created,
            &generator)
        try planCommand(
            AddMeasure(
                personId: personId, planId: planId, measureId: "m1", goalId: "g1", measureType: goal.measure,
                responsibleAgency: goal.agency, dueDate: created.adding(days: 90), description: goal.measureText),
            on: created, &generator)
        let started = random(from: created.adding(days: 7), days: 14, &generator)
        if started <= last {
            try planCommand(
                SetMeasureStatus(
                    personId: personId, planId: planId, measureId: "m1", status: .inProgress, date: started),
                on: started, &generator)
        }
        // The first review is due six weeks (42 days) after the plan: most on time, some late, some never.
        guard generator.chance(0.75) else { return }
        let reviewed = random(from: created.adding(days: 35), days: 14, &generator)
        if reviewed <= last, reviewed > started {
            try planCommand(
                RecordReview(
                    personId: personId, planId: planId, date: reviewed, nextReviewDate: reviewed.adding(days: 60),
                    summary: "Reviewed with the youth"),
                on: reviewed, &generator)
        }
    }

    /// Goals a plan may have, with a measure that serves each.
    private static let planGoals = WeightedChoice<PlanGoal>([
        (PlanGoal("Start upper-secondary education", .education, .school, "Visit the school and apply"), 0.4),
        (PlanGoal("Get work experience", .work, .employer, "Work practice"), 0.25),
        (PlanGoal("Take part in a NAV measure", .navMeasure, .nav, "Labour-market course"), 0.2),
        (PlanGoal("Better health", .health, .municipality, "Follow-up by the health service"), 0.1),
        (PlanGoal("Find out what to do next", .other, .ot, "Guidance talks"), 0.05),
    ])

    /// A goal of a simulated plan and its measure.
    private struct PlanGoal {
        let description: String
        let measure: MeasureType
        let agency: ResponsibleAgency
        let measureText: String

        init(_ description: String, _ measure: MeasureType, _ agency: ResponsibleAgency, _ measureText: String) {
            self.description = description
            self.measure = measure
            self.agency = agency
            self.measureText = measureText
        }
    }

    /// A plan command on `ot.followup-plans.commands.v1` at a working-day moment of `date`, half a minute off the
    /// whole minutes the youth's other events have (so that the youth's events never share a time).
    private mutating func planCommand<P: PersonKeyedPayload>(
        _ payload: P, on date: LocalDate, _ generator: inout SeededGenerator
    ) throws(ContractError) {
        let morning = Int64(date.daysSince1970) * 86_400_000 + 7 * 3_600_000 + 30_000
        let time = max(morning + Int64(Int.random(in: 0..<480, using: &generator)) * 60_000, lastPlanTime + 60_000)
        lastPlanTime = time
        let event = try CloudEvent(
            payload, id: generator.uuid(), source: CohortSimulation.caseWorkerSource,
            time: Date(timeIntervalSince1970: Double(time) / 1000), correlationID: generator.uuid(),
            extensions: caseWorker.extensions)
        events.append(
            (
                time,
                SimulatedEvent(topic: P.topic, key: payload.partitionKey, event: event, youth: youth.index, date: date)
            ))
    }

    // MARK: Emitting

    /// The case worker who sends the youth's commands: an adviser of the youth's county (the simulation moves no
    /// youth to another county).
    private var caseWorker: CommandActor {
        CommandActor(userId: "case-worker-\(youth.county.rawValue)", countyNumber: youth.county)
    }

    /// An upstream event on `vigo.enrollment.v1`.
    private mutating func upstream<P: PersonKeyedPayload>(
        _ payload: P, on date: LocalDate, _ generator: inout SeededGenerator
    ) throws(ContractError) {
        try add(payload, on: date, source: CohortSimulation.upstreamSource, correlated: false, &generator)
    }

    /// A case worker's command on `ot.registrations.commands.v1`, with a correlation id.
    private mutating func command<P: PersonKeyedPayload>(
        _ payload: P, on date: LocalDate, _ generator: inout SeededGenerator
    ) throws(ContractError) {
        try add(payload, on: date, source: CohortSimulation.caseWorkerSource, correlated: true, &generator)
    }

    /// Adds an event at a working-day moment of `date` (07:00–15:00 UTC, the same date in Norway), later than the
    /// youth's previous event.
    private mutating func add<P: PersonKeyedPayload>(
        _ payload: P, on date: LocalDate, source: String, correlated: Bool, _ generator: inout SeededGenerator
    ) throws(ContractError) {
        let morning = Int64(date.daysSince1970) * 86_400_000 + 7 * 3_600_000
        let time = max(morning + Int64(Int.random(in: 0..<480, using: &generator)) * 60_000, lastTime + 60_000)
        lastTime = time
        let id = generator.uuid()
        let correlationID = correlated ? generator.uuid() : nil
        let event = try CloudEvent(
            payload, id: id, source: source, time: Date(timeIntervalSince1970: Double(time) / 1000),
            correlationID: correlationID, extensions: correlated ? caseWorker.extensions : [:])
        events.append(
            (
                time,
                SimulatedEvent(topic: P.topic, key: payload.partitionKey, event: event, youth: youth.index, date: date)
            ))
    }

    // MARK: Dates

    /// A date from `start` to `days` days later, uniformly.
    private func random(from start: LocalDate, days: Int, _ generator: inout SeededGenerator) -> LocalDate {
        start.adding(days: Int.random(in: 0...max(0, days), using: &generator))
    }

    /// A date from `start` to `end`, uniformly (`start` when `end` is earlier).
    private func random(from start: LocalDate, to end: LocalDate, _ generator: inout SeededGenerator) -> LocalDate {
        random(from: start, days: start.days(until: end), &generator)
    }
}

// MARK: The mix

extension YouthScript {
    /// The trigger mix (``SimulatedTrigger/share``).
    static let triggers = WeightedChoice(SimulatedTrigger.allCases.map { ($0, $0.share) })

    /// Counties weighted by population.
    static let counties = WeightedChoice(County.allCases.map { ($0, Double($0.approximatePopulation)) })

    /// Age at the end of the calendar year the school year starts in, by trigger: lower-secondary leavers (15) are
    /// most of those who do not apply or decline; dropouts are mostly 16–18; manual registrations older.
    static func ages(for trigger: SimulatedTrigger) -> WeightedChoice<Int> {
        switch trigger {
        case .applicationMissing: applicationMissingAges
        case .droppedOut, .droppedOutContinuing: dropoutAges
        case .offerDeclined: offerAges
        case .manualRegistration: manualAges
        case .enrolled: enrolledAges
        }
    }

    private static let applicationMissingAges = WeightedChoice<Int>([
        15: 45, 16: 15, 17: 12, 18: 10, 19: 7, 20: 5, 21: 3, 22: 2, 23: 1,
    ])
    private static let dropoutAges = WeightedChoice<Int>([
        15: 10, 16: 25, 17: 25, 18: 18, 19: 10, 20: 6, 21: 3, 22: 2, 23: 1,
    ])
    private static let offerAges = WeightedChoice<Int>([15: 40, 16: 25, 17: 15, 18: 10, 19: 5, 20: 3, 21: 2])
    private static let manualAges = WeightedChoice<Int>([
        16: 10, 17: 20, 18: 20, 19: 15, 20: 12, 21: 10, 22: 8, 23: 5,
    ])
    private static let enrolledAges = WeightedChoice<Int>([15: 50, 16: 25, 17: 15, 18: 10])

    /// B06 reasons that register the youth (docs/registrations.md), weighted.
    static let registeringDropouts = WeightedChoice([
        DropoutReason.highAbsence: 28, .wrongChoice: 18, .didNotShowUp: 14, .declinedOffer: 7, .gotWork: 10,
        .moved: 7, .other: 12, .militaryService: 4,
    ])

    /// B06 reasons that keep the youth in education.
    static let continuingDropouts = WeightedChoice([
        DropoutReason.changedProgramme: 35, .otherSchool: 30, .apprenticeship: 20, .exchangePupil: 8, .leave: 7,
    ])

    /// How case workers try to reach a youth.
    static let channels = WeightedChoice([
        ContactChannel.phone: 35, .sms: 20, .letter: 15, .meeting: 12, .email: 10, .digital: 8,
    ])

    /// The chance that an attempt through `channel` reaches the youth.
    static func reachProbability(_ channel: ContactChannel) -> Double {
        switch channel {
        case .meeting: 0.95
        case .phone: 0.55
        case .digital: 0.6
        case .sms: 0.35
        case .email: 0.3
        case .letter: 0.25
        }
    }

    /// Group 3 codes (in activity), weighted.
    static let activityCodes = WeightedChoice([
        OTStatusCode.otoa: 20, .otap: 18, .otko: 5, .otar: 22, .otev: 17, .otvf: 3, .otll: 15,
    ])

    /// Group 4 codes (clarified), weighted.
    static let clarifiedCodes = WeightedChoice([
        OTStatusCode.otno: 30, .otmi: 8, .otba: 14, .otsy: 30, .otif: 18,
    ])

    /// Group 5 codes a case worker closes with, weighted.
    static let closingCodes = WeightedChoice([
        OTStatusCode.feil: 25, .otfuIM: 20, .otfaIM: 15, .otarIM: 20, .elvgIM: 5, .otllIM: 10, .otevIM: 5,
    ])

    /// Follow-up activities that are neither information nor an offer.
    static let followUpActivities = WeightedChoice([
        ActivityType.referral: 40, .cooperationMeeting: 40, .other: 20,
    ])

    /// The group 5 code for leaving the target group from a group 3 status, where there is one.
    static func leavingCode(_ code: OTStatusCode) -> OTStatusCode? {
        switch code {
        case .otar: .otarIM
        case .otev: .otevIM
        case .otvf: .otvfIM
        case .otll: .otllIM
        default: nil
        }
    }

    /// Schools (made-up organisation numbers).
    static let schools = WeightedChoice<OrganizationNumber>([
        "974544202": 1, "974567890": 1, "998877665": 1, "971045698": 1, "974600951": 1,
    ])

    /// Upper-secondary first-year programme areas.
    static let programmes = WeightedChoice<String>([
        "STSSA1----": 30, "ELELE1----": 12, "TPTIP1----": 12, "HSHSF1----": 14, "BABAT1----": 8, "IMIKT1----": 8,
        "SSSSF1----": 8, "RMRMF1----": 8,
    ])
}
