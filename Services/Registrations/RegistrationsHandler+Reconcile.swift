import GRDB
import OTContract
import OTRuntime
import OTStore

extension RegistrationsHandler {
    /// Brings a person's registrations in line with everything known about them, as of `limit`: every upstream
    /// event and every time-driven rule runs through here, so that the outcome follows the events' dates and not
    /// the order they arrived in (docs/registrations.md, "Event time").
    ///
    /// A youth's registrations fall in two parts. Up to the last one a case worker decided
    /// (``RegistrationRecord/decided``), and while that one or the one continuing it is open, they carry a person's
    /// decisions and change only forward (``reconcileForward(_:facts:registrations:upTo:context:)``). The registrations after it
    /// (all of them, when a case worker decided none) are a function of the facts dated after it
    /// (``reconcileFromFacts(_:facts:after:stored:upTo:context:)``).
    ///
    /// A fact dated after `limit` is looked at again when its day comes (table `persons_due`, read by the tick).
    ///
    /// `stored` is the person as stored now, and whether any registration of theirs is, when the caller has just
    /// written the person and no registration since it read them (saves reading them again).
    func reconcile(
        _ personId: NationalID, upTo limit: LocalDate, context: HandlerContext, stored: PersonRecord.Lookup? = nil
    ) throws {
        let db = context.database
        let lookup = try stored ?? PersonRecord.lookUp(db, personId)
        guard let person = lookup.person else { return }
        let facts = try PersonFacts.fetch(db, personId)
        var registrations = lookup.hasRegistrations ? try RegistrationRecord.all(db, personId) : []
        var nextDue: LocalDate?
        if Self.lastDecided(of: registrations) != nil {
            let forward = try reconcileForward(
                person, facts: facts, registrations: registrations, upTo: limit, context: context)
            nextDue = forward.nextDue
            if forward.changed { registrations = try RegistrationRecord.all(db, personId) }
        }
        let decided = Self.lastDecided(of: registrations)
        if decided?.closedAt != nil || decided == nil {
            let derivable = registrations.filter { registration in
                !registration.decided && registration.closeStatus != .feil
                    && decided.map { registration.registeredAt > $0.registeredAt } ?? true
            }
            let due = try reconcileFromFacts(
                person, facts: facts, after: decided, stored: derivable, upTo: limit, context: context)
            if let due { nextDue = min(nextDue ?? due, due) }
        }
        try scheduleReconcile(personId, on: nextDue, db)
    }

    /// The last registration a case worker decided that the service has not found registered in error
    /// (``RegistrationRecord/superseded``): the end of the part of the registrations that changes only forward. One
    /// a case worker closed as `Feil` stands: that was their decision.
    static func lastDecided(of registrations: [RegistrationRecord]) -> RegistrationRecord? {
        registrations.last { $0.decided && !$0.superseded }
    }

    /// The registrations up to the last one a case worker decided, and any before it, changed only forward, in date
    /// order, as far as the facts reach (never past `limit`):
    /// 1. a registration that a later-arriving event shows should not have been made is set to `Feil` (registered
    ///    in error) on its first day, and closed if open: statistics then count it nowhere;
    /// 2. an open registration ends on the first day the youth starts school or an apprenticeship (`OTEV_IM`,
    ///    `OTLL_IM`) or completes (`EDUCATION_COMPLETED`), or moves to another county (`OTFA_IM`, registered there
    ///    from that day, decided as it was), after the school-year changes and aging out before that day.
    ///
    /// Once none of them is open, what comes after is the facts' (``reconcile(_:upTo:context:stored:)``).
    ///
    /// - Returns: The first day after `limit` a fact will change them, if any, and whether any registration changed.
    private func reconcileForward(
        _ person: PersonRecord, facts: PersonFacts, registrations stored: [RegistrationRecord], upTo limit: LocalDate,
        context: HandlerContext
    ) throws -> (nextDue: LocalDate?, changed: Bool) {
        let db = context.database
        var nextDue: LocalDate?
        func due(_ date: LocalDate) { if date > limit { nextDue = min(nextDue ?? date, date) } }
        // The part that changes only forward: every decided registration, and whatever came before the last.
        func decidedPart(of registrations: [RegistrationRecord]) -> [RegistrationRecord]? {
            guard let last = Self.lastDecided(of: registrations) else { return nil }
            return registrations.filter { $0.decided || $0.registeredAt <= last.registeredAt }
        }

        // Each round settles one registration; a youth has a few a year. The registrations are read again only
        // after a round changed them in ways the round does not track.
        guard var registrations = decidedPart(of: stored) else { return (nil, false) }
        var stale = false
        var changed = false
        for _ in 0..<64 {
            if stale {
                changed = true
                guard let part = decidedPart(of: try RegistrationRecord.all(db, person.personId)) else { break }
                registrations = part
                stale = false
            }
            if try supersedeRegistrationsInError(registrations, person: person, facts: facts, context: context) {
                stale = true
                continue
            }
            guard let open = registrations.last(where: { $0.closedAt == nil }) else { break }
            switch ending(of: open, person: person, facts: facts, upTo: limit, due: due) {
            case .moved(let date, let county):
                try moveAway(open, person: person, on: date, to: county, context: context)
                stale = true
                continue
            case .left(let date, let exit):
                if let current = try advance(open, person: person, to: date, context: context) {
                    try close(current, person: person, on: date, exit: exit, context: context)
                }
                stale = true
                continue
            case nil:
                break
            }
            // The time-driven rules write only when a school year ended or the youth aged out.
            if try advance(open, person: person, to: limit, context: context)?.id != open.id { changed = true }
            break
        }
        return (nextDue, changed || stale)
    }

    /// Notes that the person's registrations are to be brought up to date again on `date` (table `persons_due`,
    /// read by the tick).
    private func scheduleReconcile(_ personId: NationalID, on date: LocalDate?, _ db: Database) throws {
        guard let date else { return }
        let insert = try DirectStatement(db, sql: "INSERT OR IGNORE INTO persons_due (date, person_id) VALUES (?, ?)")
        try insert.bind(date.description, at: 1)
        try insert.bind(personId.digits, at: 2)
        try insert.execute()
    }

    /// Closes an open registration because the youth moved to `county` on `date` (`OTFA_IM`, after the school-year
    /// changes and aging out before that day), and registers them there with the same reason, as the new county's
    /// duty from that day, decided as the one it continues.
    private func moveAway(
        _ open: RegistrationRecord, person: PersonRecord, on date: LocalDate, to county: County, context: HandlerContext
    ) throws {
        guard let current = try advance(open, person: person, to: date, context: context) else { return }
        try close(current, person: person, on: date, cause: .statusCode, status: .otfaIM, context: context)
        if let unit = units.defaultUnit(of: county), person.isInAgeGroup(on: date) {
            try register(
                person, reason: current.reason, on: date, unit: unit, origin: .moved, decided: current.decided,
                context: context)
        }
    }

    /// What ends an open registration, by the facts, when it ends by `limit`.
    enum Ending {
        /// The youth moved to another county (`OTFA_IM`; registered there from that day).
        case moved(on: LocalDate, to: County)
        /// The youth left the target group: started school or an apprenticeship, or completed.
        case left(on: LocalDate, PersonFacts.Exit)
    }

    /// The first of a move to another county and leaving the target group on or after `registration`'s first day
    /// (leaving decides when both fall on one day), when it is dated `limit` or before; either dated after `limit`
    /// is passed to `due`. The forward rules and the derivation both end registrations by it.
    func ending(
        of registration: RegistrationRecord, person: PersonRecord, facts: PersonFacts, upTo limit: LocalDate,
        due: (LocalDate) -> Void
    ) -> Ending? {
        let exit = facts.firstExit(onOrAfter: registration.registeredAt)
        if let move = person.residences.firstMove(after: registration.registeredAt, from: registration.county),
            exit.map({ move.date < $0.date }) ?? true
        {
            if move.date <= limit { return .moved(on: move.date, to: move.county) }
            due(move.date)
        }
        if let exit {
            if exit.date <= limit { return .left(on: exit.date, exit.exit) }
            due(exit.date)
        }
        return nil
    }

    /// The earliest trigger that puts the youth in the target group after their last registration (or, with
    /// `before`, before that day), on the day it does. Triggers due after today are passed to `due`.
    func firstTrigger(
        _ facts: PersonFacts, person: PersonRecord, after registrations: [RegistrationRecord],
        before: LocalDate? = nil, due: (LocalDate) -> Void = { _ in }
    ) -> (date: LocalDate, trigger: PersonFacts.Trigger)? {
        let counted = registrations.filter { !$0.superseded && $0.closedAt != nil }
        let after = counted.compactMap(\.closedAt).filter { before == nil || $0 < before! }.max()
        var first: (date: LocalDate, trigger: PersonFacts.Trigger)?
        for trigger in facts.triggers {
            guard let date = facts.effectiveDate(of: trigger) else { continue }
            if let after, date <= after { continue }
            if let before, date >= before { continue }
            guard person.isInAgeGroup(on: date), !registrations.contains(where: { $0.covers(date) }) else { continue }
            due(date)
            if let chosen = first,
                date > chosen.date
                    || (date == chosen.date && !Self.decides(trigger.reason, over: chosen.trigger.reason))
            {
                continue
            }
            first = (date, trigger)
        }
        return first
    }

    /// Of two triggers that put the youth in the target group on the same day, the one whose reason comes first in
    /// the code list (IKKE_SOKT, TAKKET_NEI, SLUTTET, ANNET) gives the registration its reason, whichever arrived
    /// first.
    static func decides(_ reason: RegistrationReason, over other: RegistrationReason) -> Bool {
        let order = RegistrationReason.allCases
        return order.firstIndex(of: reason)! < order.firstIndex(of: other)!
    }

    /// Sets to `Feil` (registered in error, effective on its first day) every registration the facts show should
    /// not exist; an open one is closed with it:
    /// - a trigger's registration whose day the youth was in school or done;
    /// - a new school year's registration that continued one in error, or of a youth who left the target group in
    ///   the school year before;
    /// - an open trigger's registration that an earlier trigger (arrived later) should have preceded, or a trigger of
    ///   the same day whose reason decides (``decides(_:over:)``), while no case worker has acted on it yet;
    /// - a trigger's registration made in a county the youth did not live in on its first day (a `person.updated`
    ///   arrived late), open or closed, while no case worker has acted on it.
    /// Registrations made by a case worker or by a move stand: a person decided them.
    ///
    /// - Returns: Whether any registration was set to `Feil`.
    private func supersedeRegistrationsInError(
        _ registrations: [RegistrationRecord], person: PersonRecord, facts: PersonFacts, context: HandlerContext
    ) throws -> Bool {
        var inError: Set<String> = []
        for registration in registrations where !registration.superseded && registration.closeStatus != .feil {
            switch registration.origin {
            case .trigger:
                if !facts.isOutOfSchool(on: registration.registeredAt) {
                    inError.insert(registration.id)
                } else if let county = person.residences.county(on: registration.registeredAt),
                    county != registration.county,
                    try isUntouched(registration, db: context.database)
                {
                    // Registered where the youth did not live that day: an earlier person.updated arrived late.
                    inError.insert(registration.id)
                } else if registration.closedAt == nil, person.known,
                    firstTrigger(facts, person: person, after: registrations, before: registration.registeredAt) != nil
                        || facts.triggers.contains(where: {
                            facts.effectiveDate(of: $0) == registration.registeredAt
                                && Self.decides($0.reason, over: registration.reason)
                        }),
                    try isUntouched(registration, db: context.database)
                {
                    inError.insert(registration.id)
                }
            case .continued:
                let dayBefore = registration.registeredAt.adding(days: -1)
                guard let previous = registrations.last(where: { $0.closedAt == dayBefore && $0.id != registration.id })
                else { continue }
                if inError.contains(previous.id) || previous.superseded {
                    inError.insert(registration.id)
                } else if let exit = facts.firstExit(onOrAfter: previous.registeredAt),
                    exit.date < registration.registeredAt
                {
                    inError.insert(registration.id)
                }
            case .command, .moved:
                continue
            }
        }
        for registration in registrations where inError.contains(registration.id) {
            try supersede(registration, person: person, context: context)
        }
        return !inError.isEmpty
    }

    /// Whether no case worker has acted on a registration: still `OTUK` from its first day, no contact, no
    /// activity, no transfer.
    private func isUntouched(_ registration: RegistrationRecord, db: Database) throws -> Bool {
        guard registration.status == .otuk, registration.statusDate == registration.registeredAt,
            registration.unitId == units.defaultUnit(of: registration.county)?.unitId
        else { return false }
        return try
            !(Bool.fetchOne(
                try db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM contacts WHERE registration_id = ?1)
                            OR EXISTS (SELECT 1 FROM activities WHERE registration_id = ?1)
                        """), arguments: [registration.id]) ?? false)
    }

    /// Applies the time-driven rules to an open registration up to `date`: at the end of the calendar year the
    /// youth reaches the upper age, it closes (aged out, effective 31 December); at 1 August, a registration of
    /// the ended school year closes (effective 31 July) and continues as a new registration for the new school
    /// year with the same unit, reason and status, so that "registered two school years in a row" can be counted.
    ///
    /// Effective dates come from the rules, never from the clock, so that the same events follow whether the
    /// boundary passes live or while the service is down and it catches up (one school year at a time).
    ///
    /// - Returns: The registration still open on `date`, if any.
    @discardableResult
    func advance(
        _ open: RegistrationRecord, person: PersonRecord, to date: LocalDate, context: HandlerContext
    ) throws -> RegistrationRecord? {
        var registration = open
        while let step = registration.timeStep(before: date) {
            switch step {
            case .agedOut(let day):
                try close(registration, person: person, on: day, cause: .agedOut, status: nil, context: context)
                return nil
            case .schoolYearEnded(let day, var continued):
                try close(
                    registration, person: person, on: day, cause: .schoolYearEnded, status: nil, context: context)
                continued.id = context.newID()
                try continued.insert(context.database)
                try emitRegistered(continued, person: person, context: context)
                registration = continued
            }
        }
        return registration
    }

    /// Closes a registration because the youth left the target group on `date`.
    private func close(
        _ registration: RegistrationRecord, person: PersonRecord, on date: LocalDate, exit: PersonFacts.Exit,
        context: HandlerContext
    ) throws {
        try close(
            registration, person: person, on: date, cause: exit.closing.cause, status: exit.closing.status,
            context: context)
    }

    /// The last day an event may act on: the day it happened (its `time`), never after today. A partition catching
    /// up after downtime then makes the same decisions for an event as it would have live.
    func limit(in context: HandlerContext) -> LocalDate {
        let today = LocalDate(context.now)
        guard let time = context.event?.cloudEvent.time else { return today }
        return min(today, LocalDate(time))
    }
}
