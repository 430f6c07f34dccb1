import GRDB
import OTContract
import OTRuntime
import OTStore

extension RegistrationsHandler {
    /// A registration as the facts make it: as it opened, and how it closed by the day derived to, if it did.
    struct DerivedRegistration {
        /// As it opened (no id: the store's registration it matches keeps its own, a new one gets one).
        var opened: RegistrationRecord
        var closing: (date: LocalDate, cause: RegistrationClosureCause, status: OTStatusCode?)?

        /// As it stands after its closing, as ``RegistrationRecord/close(_:on:cause:status:superseded:)`` leaves
        /// it in the store.
        var current: RegistrationRecord {
            var registration = opened
            if let closing {
                registration.closedAt = closing.date
                registration.closeCause = closing.cause
                registration.closeStatus = closing.status
                if let status = closing.status {
                    registration.status = status
                    registration.statusDate = closing.date
                }
            }
            return registration
        }
    }

    /// The registrations the facts give a youth after `decided`, the last registration a case worker decided (closed),
    /// or all of them if none, as of `limit`: every rule (registering, leaving, moves, school years, aging out)
    /// played in date order from no registration after `decided`: only a trigger dated after it closed registers.
    /// Whatever order the facts arrived in, the result is the same: it is what the events would have made had each
    /// arrived on its day.
    ///
    /// - Returns: The registrations, in the order they were made, and the first day after `limit` a fact will
    ///   change them (`nil` if none).
    func derive(
        _ person: PersonRecord, facts: PersonFacts, after decided: RegistrationRecord?, through limit: LocalDate
    ) -> (registrations: [DerivedRegistration], nextDue: LocalDate?) {
        var derived: [DerivedRegistration] = []
        var nextDue: LocalDate?
        func due(_ date: LocalDate) { if date > limit { nextDue = min(nextDue ?? date, date) } }

        func register(reason: RegistrationReason, on date: LocalDate, unit: Unit, origin: RegistrationRecord.Origin) {
            derived.append(
                DerivedRegistration(
                    opened: RegistrationRecord(
                        id: "", personId: person.personId, unitId: unit.unitId, county: unit.countyNumber,
                        schoolYear: date.schoolYear, reason: reason, registeredAt: date, status: .otuk,
                        statusDate: date, agesOutOn: person.agesOut(from: date), origin: origin)))
        }
        // The school-year changes and aging out up to `date` (``advance(_:person:to:context:)``); the index of the
        // registration still open on `date`, if any.
        func advance(_ index: Int, to date: LocalDate) -> Int? {
            var index = index
            while let step = derived[index].opened.timeStep(before: date) {
                switch step {
                case .agedOut(let day):
                    derived[index].closing = (day, .agedOut, nil)
                    return nil
                case .schoolYearEnded(let day, let continued):
                    derived[index].closing = (day, .schoolYearEnded, nil)
                    derived.append(DerivedRegistration(opened: continued))
                    index = derived.count - 1
                }
            }
            return index
        }

        for _ in 0..<64 {
            if let open = derived.lastIndex(where: { $0.closing == nil }) {
                switch ending(of: derived[open].opened, person: person, facts: facts, upTo: limit, due: due) {
                case .moved(let date, let county):
                    if let current = advance(open, to: date) {
                        derived[current].closing = (date, .statusCode, .otfaIM)
                        if let unit = units.defaultUnit(of: county), person.isInAgeGroup(on: date) {
                            register(reason: derived[current].opened.reason, on: date, unit: unit, origin: .moved)
                        }
                    }
                    continue
                case .left(let date, let exit):
                    if let current = advance(open, to: date) {
                        derived[current].closing = (date, exit.closing.cause, exit.closing.status)
                    }
                    continue
                case nil:
                    break
                }
                _ = advance(open, to: limit)
                break
            }
            guard person.known,
                let first = firstTrigger(
                    facts, person: person, after: (decided.map { [$0] } ?? []) + derived.map(\.current), due: due),
                first.date <= limit,
                let unit = units.defaultUnit(of: person.residences.county(on: first.date) ?? person.county)
            else { break }
            register(reason: first.trigger.reason, on: first.date, unit: unit, origin: .trigger)
        }
        return (derived, nextDue)
    }

    /// Brings the registrations after `decided` (the last one a case worker decided, closed; all of them if none),
    /// `stored`, in line with ``derive(_:facts:after:through:)``: a stored registration the derivation has too
    /// stays (and closes when the derivation closes it); one it does not have, or has closed otherwise, is set to
    /// `Feil` (registered in error, on its first day), and the derivation's own are made. Derived as of `limit`, or
    /// as of the latest day the stored registrations already reach when an event arrives after later ones: what was
    /// decided for later days is not undone for an event of an earlier day.
    ///
    /// - Returns: The first day after the day derived to that a fact will change the registrations.
    func reconcileFromFacts(
        _ person: PersonRecord, facts: PersonFacts, after decided: RegistrationRecord?, stored: [RegistrationRecord],
        upTo limit: LocalDate, context: HandlerContext
    ) throws -> LocalDate? {
        let reached = stored.map { $0.closedAt ?? $0.registeredAt }.max()
        let (derived, nextDue) = derive(
            person, facts: facts, after: decided, through: max(limit, reached ?? limit))

        var unmatched = stored
        var kept: [Int: RegistrationRecord] = [:]  // by index in `derived`: the stored registration it is
        for (index, registration) in derived.enumerated() {
            guard let match = unmatched.firstIndex(where: { Self.opensAlike($0, registration.opened) }) else {
                continue
            }
            let candidate = unmatched[match]
            let current = registration.current
            let same =
                candidate.closedAt == current.closedAt && candidate.closeStatus == current.closeStatus
                && candidate.closeCause == current.closeCause && candidate.status == current.status
                && candidate.statusDate == current.statusDate
            // Still open, and the derivation closes it now: it closes.
            let closes =
                candidate.closedAt == nil && registration.closing != nil
                && candidate.status == registration.opened.status
                && candidate.statusDate == registration.opened.statusDate
            guard same || closes else { continue }
            kept[index] = candidate
            unmatched.remove(at: match)
        }
        for registration in unmatched {
            try supersede(registration, person: person, context: context)
        }
        for (index, registration) in derived.enumerated() {
            var opened = registration.opened
            if let stored = kept[index] {
                guard stored.closedAt == nil, let closing = registration.closing else { continue }
                opened = stored
                try close(
                    opened, person: person, on: closing.date, cause: closing.cause, status: closing.status,
                    context: context)
                continue
            }
            opened.id = context.newID()
            try opened.insert(context.database)
            try emitRegistered(opened, person: person, context: context)
            if let closing = registration.closing {
                try close(
                    opened, person: person, on: closing.date, cause: closing.cause, status: closing.status,
                    context: context)
            }
        }
        return nextDue
    }

    /// Whether two registrations began alike: the same day, school year, reason, county, unit and origin.
    static func opensAlike(_ stored: RegistrationRecord, _ derived: RegistrationRecord) -> Bool {
        stored.registeredAt == derived.registeredAt && stored.schoolYear == derived.schoolYear
            && stored.reason == derived.reason && stored.county == derived.county && stored.unitId == derived.unitId
            && stored.origin == derived.origin && stored.agesOutOn == derived.agesOutOn
    }

    /// Sets a registration to `Feil` (registered in error, effective on its first day), closing it if open.
    func supersede(_ registration: RegistrationRecord, person: PersonRecord, context: HandlerContext) throws {
        if registration.closedAt == nil {
            try close(
                registration, person: person, on: registration.registeredAt, cause: .statusCode, status: .feil,
                superseded: true, context: context)
        } else {
            var corrected = registration
            corrected.status = .feil
            corrected.statusDate = registration.registeredAt
            try corrected.markSuperseded(context.database)
            try emitStatusChanged(corrected, from: registration.status, person: person, context: context)
        }
    }
}
