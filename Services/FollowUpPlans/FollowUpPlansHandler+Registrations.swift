import Foundation
import GRDB
import OTContract
import OTRuntime

extension FollowUpPlansHandler {
    /// A registration event: the person's due work up to the event's time first (as live, where it ran before the
    /// event arrived), then what the event changes.
    func handle(_ event: RegistrationEvent, time: Date, context: HandlerContext) throws {
        let person = event.personId.digits
        try bringUpToDate(person, until: time, context: context)
        if case .erased = event {
            try erase(person, context: context)
            return
        }
        let db = context.database
        switch event {
        case .registered(let registered):
            try register(registered, time: time, context: context)
        case .closed(let closed):
            guard var registration = try PlanRegistration.find(db, closed.registrationId) else { return }
            registration.unitId = closed.unitId
            registration.county = closed.countyNumber
            registration.closedAt = closed.effectiveDate
            registration.closeCause = closed.cause
            registration.closeStatus = closed.statusCode
            if closed.statusCode == .feil { registration.missingDue = nil }
            try registration.save(db)
            guard let plan = try PlanRecord.active(db, person: person), plan.registrationId == registration.id else {
                return
            }
            if registration.closesForContinuation {
                // The next registration (a new school year, another county, a correction) is published with this
                // closing: the plan goes over to it (``register(_:time:context:)``), or closes after the wait,
                // counted from the day the closing arrived (it may be dated long before).
                var awaiting = plan
                awaiting.awaitingSince = LocalDate(time)
                try awaiting.save(db)
            } else {
                try close(
                    plan, on: closed.effectiveDate, cause: .registrationClosed, registration: registration,
                    context: context)
            }
        case .statusChanged(let changed):
            guard var registration = try PlanRegistration.find(db, changed.registrationId) else { return }
            // Registered in error: nobody should have had to make a plan.
            if changed.statusCode == .feil { registration.missingDue = nil }
            registration.unitId = changed.unitId
            registration.county = changed.countyNumber
            try registration.save(db)
        case .transferred, .contactRecorded, .activityRecorded:
            // A move within the county keeps the plan; its events name the registration's unit from now on.
            guard let state = event.state, var registration = try PlanRegistration.find(db, state.registrationId)
            else { return }
            registration.unitId = state.unitId
            registration.county = state.countyNumber
            try registration.save(db)
        case .erased:
            break
        }
    }

    /// A new registration: a continuation of the person's last one takes over its stretch and its waiting plan;
    /// any other closes a plan still waiting. Then the commands that waited for it are decided.
    private func register(_ registered: YouthRegistered, time: Date, context: HandlerContext) throws {
        let db = context.database
        let person = registered.personId.digits
        guard try PlanRegistration.find(db, registered.registrationId) == nil else { return }
        let predecessor = try PlanRegistration.closed(db, person: person).first { $0.isContinued(by: registered) }
        var registration: PlanRegistration
        if var predecessor, predecessor.closeStatus != .feil {
            registration = PlanRegistration(registered, since: predecessor.since, missingDue: predecessor.missingDue)
            predecessor.missingDue = nil
            try predecessor.save(db)
        } else {
            registration = PlanRegistration(
                registered, since: registered.registeredAt,
                missingDue: registered.registeredAt.adding(days: rules.missingAfterDays))
        }
        if let plan = try PlanRecord.active(db, person: person) {
            if let predecessor, plan.registrationId == predecessor.id, plan.awaitingSince != nil {
                var carried = plan
                carried.registrationId = registered.registrationId
                carried.awaitingSince = nil
                try carried.save(db)
                registration.missingDue = nil
                try emit(
                    PlanCarriedOver(
                        planId: plan.id, personId: registered.personId, fromRegistrationId: predecessor.id,
                        toRegistrationId: registered.registrationId, unitId: registered.unitId,
                        countyNumber: registered.countyNumber, date: registered.registeredAt),
                    context: context)
            } else if plan.awaitingSince != nil {
                try closeAwaiting(plan, context: context)
            }
        }
        try registration.save(db)
        try decideWaitingCommands(of: person, at: time, context: context)
    }

    /// Closes a plan whose registration closed for a continuation that did not come: with that registration's
    /// date and cause.
    func closeAwaiting(_ plan: PlanRecord, context: HandlerContext) throws {
        let registration = try PlanRegistration.find(context.database, plan.registrationId)
        try close(
            plan, on: registration?.closedAt ?? plan.awaitingSince ?? plan.createdOn, cause: .registrationClosed,
            registration: registration, context: context)
    }

    /// `no.ot.youth.erased`: the commands still waiting are answered (there is no registration for them now), then
    /// every row about the person goes, and the store's files are scrubbed once this is published.
    private func erase(_ person: String, context: HandlerContext) throws {
        try decideWaitingCommands(of: person, at: .distantFuture, context: context)
        let db = context.database
        for table in ["goals", "measures", "reviews"] {
            try db.cachedStatement(
                sql: "DELETE FROM \(table) WHERE plan_id IN (SELECT plan_id FROM plans WHERE person_id = ?)"
            ).execute(arguments: [person])
        }
        for table in ["plans", "registrations", "waiting_commands"] {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE person_id = ?").execute(arguments: [person])
        }
        try context.scrubAfterPublishing()
    }
}
