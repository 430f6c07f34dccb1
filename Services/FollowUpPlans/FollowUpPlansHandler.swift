import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// The follow-up plans service's business: every youth in OT gets a plan (oppfølgingsplan) with goals, measures and
/// reviews. Consumes `ot.registrations.v1` (who has an open registration, where, until when) and
/// `ot.followup-plans.commands.v1` (both keyed by national ID, so a person's registration events and plan commands
/// meet on one partition); publishes `ot.followup-plans.v1` and a reply on `ot.replies.v1` for every command. The
/// rules, with their reasons, are in docs/followup-plans.md.
struct FollowUpPlansHandler: WorkerHandler {
    let rules: PlanRules

    var migrations: StoreMigrations { FollowUpPlansSchema.migrations }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        switch event.topic {
        case Topic.registrations.name:
            try handle(
                try RegistrationEvent(event.cloudEvent), time: time(of: event, context: context), context: context)
        case Topic.followUpPlanCommands.name:
            let command: FollowUpPlanCommand
            do {
                command = try FollowUpPlanCommand(event.cloudEvent)
            } catch {
                // The case worker's front end waits for an answer: give it one, and dead-letter the input.
                // The reason goes to ot.replies.v1: a national ID it quotes from the input is masked there too.
                try reply(
                    to: event.cloudEvent, .rejected(NationalID.maskingAll(in: "invalid command: \(error)")),
                    context: context)
                context.deadLetter(reason: "\(error)")
                return
            }
            try handle(command, cloudEvent: event.cloudEvent, time: time(of: event, context: context), context: context)
        default:
            throw HandlerError.permanent("the follow-up plans service does not consume \(event.topic)")
        }
    }

    // MARK: Shared steps

    /// Closes a plan on `date` and publishes `no.ot.plan.closed`.
    /// A plan never closes before the day it was made: a closing dated earlier (a registration's closing that
    /// arrived late) closes it on that day.
    func close(
        _ plan: PlanRecord, on closingDate: LocalDate, cause: PlanClosureCause, registration: PlanRegistration?,
        command: CloudEvent? = nil, context: HandlerContext
    ) throws {
        let date = max(closingDate, plan.createdOn)
        var closed = plan
        closed.closedOn = date
        closed.closeCause = cause
        closed.awaitingSince = nil
        try closed.save(context.database)
        let byRegistration = cause == .registrationClosed
        try emit(
            PlanClosed(
                planId: plan.id, personId: try NationalID(plan.personId), date: date, cause: cause,
                registrationClosureCause: byRegistration ? registration?.closeCause ?? .statusCode : nil,
                registrationStatusCode: byRegistration ? registration?.closeStatus : nil),
            command: command, context: context)
    }

    /// Publishes a plan event keyed by its person; caused by `command` when a command made it (a waiting command
    /// is decided while another event is handled: its events carry its correlation id, not that event's).
    func emit<P: PersonKeyedPayload>(_ payload: P, command: CloudEvent? = nil, context: HandlerContext) throws {
        guard let command else {
            try context.emit(payload, key: payload.partitionKey)
            return
        }
        let event = try CloudEvent(
            payload, id: context.newID(), source: ServiceName.followUpPlans.eventSource, time: context.now,
            causedBy: command)
        try context.emit(event, to: P.topic, key: payload.partitionKey)
    }

    /// When an event happened, as far as the rules are concerned: its `time`, but never after the clock (a
    /// producer's clock ahead of ours must not make alerts early).
    func time(of event: InboundEvent, context: HandlerContext) -> Date {
        min(event.cloudEvent.time, context.now)
    }
}
