import Foundation
import GRDB
import OTContract
import OTRuntime

extension FollowUpPlansHandler {
    /// Time-driven rules for the partition, on the service's clock: reviews overdue, plans missing, plans whose
    /// registration's continuation did not come, commands whose wait is over; and closed registrations no rule
    /// needs any more are forgotten.
    ///
    /// Not while the partition is catching up: the events still waiting happened before now, and live they would
    /// have been processed before the day passed. Each event brings its own person up to its time first
    /// (``bringUpToDate(_:until:context:)``), so catching up publishes what running live published.
    func tick(context: HandlerContext) throws {
        guard context.inputCaughtUp else { return }
        try dueWork(person: nil, until: context.now, context: context)
        try forgetClosedRegistrations(before: LocalDate(context.now).adding(days: -rules.carryOverDays), context)
    }

    /// One person's due work up to `time`: what the tick would have done for them before the event at `time`
    /// arrived.
    func bringUpToDate(_ person: String, until time: Date, context: HandlerContext) throws {
        try dueWork(person: person, until: time, context: context)
    }

    /// The time-driven rules up to `time` (the alerts' dates come from the rules, not from `time`), for one person
    /// or, with `person` `nil`, for the whole partition; in a fixed order, since the ids of what they publish derive
    /// from it.
    private func dueWork(person: String?, until time: Date, context: HandlerContext) throws {
        let today = LocalDate(time)
        try reportMissingPlans(person: person, today: today, context: context)
        try reportOverdueReviews(person: person, today: today, context: context)
        try closeUncontinuedPlans(person: person, today: today, context: context)
        try decideExpiredCommands(person: person, at: time, context: context)
    }

    /// `no.ot.plan.missing` once for a stretch in OT that reached its due date without a plan: open past the due
    /// date, or closed after it.
    private func reportMissingPlans(person: String?, today: LocalDate, context: HandlerContext) throws {
        let db = context.database
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT * FROM registrations
                    WHERE missing_due < ? AND (closed_at IS NULL OR closed_at > missing_due)
                    \(person == nil ? "" : "AND person_id = ?")
                    ORDER BY person_id, registration_id
                    """),
            arguments: StatementArguments([today.description] + (person.map { [$0] } ?? [])))
        for row in rows {
            var registration = try PlanRegistration(row: row)
            guard let due = registration.missingDue else { continue }
            registration.missingDue = nil
            try registration.save(db)
            try emit(
                PlanMissing(
                    personId: try NationalID(registration.personId), registrationId: registration.id,
                    unitId: registration.unitId, countyNumber: registration.county, registeredSince: registration.since,
                    dueDate: due, detectedOn: due.adding(days: 1)),
                context: context)
        }
    }

    /// `no.ot.plan.review-overdue` once per next-review date that passed without a review.
    private func reportOverdueReviews(person: String?, today: LocalDate, context: HandlerContext) throws {
        let db = context.database
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT * FROM plans
                    WHERE closed_on IS NULL AND awaiting_since IS NULL AND next_review < ?
                        AND (overdue_reported_for IS NULL OR overdue_reported_for <> next_review)
                    \(person == nil ? "" : "AND person_id = ?")
                    ORDER BY person_id, plan_id
                    """),
            arguments: StatementArguments([today.description] + (person.map { [$0] } ?? [])))
        for row in rows {
            var plan = try PlanRecord(row: row)
            guard let registration = try PlanRegistration.find(db, plan.registrationId) else { continue }
            plan.overdueReportedFor = plan.nextReview
            try plan.save(db)
            try emit(
                ReviewOverdue(
                    planId: plan.id, personId: try NationalID(plan.personId), unitId: registration.unitId,
                    countyNumber: registration.county, nextReviewDate: plan.nextReview,
                    detectedOn: plan.nextReview.adding(days: 1)),
                context: context)
        }
    }

    /// Plans whose registration closed for a new school year or a move and whose continuation did not come within
    /// ``PlanRules/carryOverDays`` close with that registration.
    private func closeUncontinuedPlans(person: String?, today: LocalDate, context: HandlerContext) throws {
        let rows = try Row.fetchAll(
            try context.database.cachedStatement(
                sql: """
                    SELECT * FROM plans WHERE awaiting_since < ?
                    \(person == nil ? "" : "AND person_id = ?")
                    ORDER BY person_id, plan_id
                    """),
            arguments: StatementArguments(
                [today.adding(days: -rules.carryOverDays).description] + (person.map { [$0] } ?? [])))
        for row in rows { try closeAwaiting(try PlanRecord(row: row), context: context) }
    }

    /// Commands whose wait for their registration is over by `time` are decided without it.
    private func decideExpiredCommands(person: String?, at time: Date, context: HandlerContext) throws {
        let persons: [String]
        if let person {
            persons = [person]
        } else {
            persons = try String.fetchAll(
                try context.database.cachedStatement(
                    sql: "SELECT DISTINCT person_id FROM waiting_commands WHERE expires_at <= ? ORDER BY person_id"),
                arguments: [time.timeIntervalSince1970])
        }
        for person in persons { try decideWaitingCommands(of: person, at: time, context: context) }
    }

    /// Closed registrations that no rule needs any more: closed before `day`, with no plan still on them and no
    /// missing-plan alert still to send.
    private func forgetClosedRegistrations(before day: LocalDate, _ context: HandlerContext) throws {
        try context.database.cachedStatement(
            sql: """
                DELETE FROM registrations
                WHERE closed_at < ? AND (missing_due IS NULL OR missing_due >= closed_at)
                    AND NOT EXISTS (
                        SELECT 1 FROM plans
                        WHERE plans.registration_id = registrations.registration_id AND plans.closed_on IS NULL)
                """
        ).execute(arguments: [day.description])
    }
}
