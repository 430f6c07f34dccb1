import Foundation
import GRDB
import OTContract
import OTRuntime

extension FollowUpPlansHandler {
    /// A case worker's command: the person's due work up to the command's time first; then, behind any command of
    /// the person still waiting (their order is kept), decided and answered, or kept to wait for its registration.
    func handle(_ command: FollowUpPlanCommand, cloudEvent: CloudEvent, time: Date, context: HandlerContext) throws {
        let person = command.personId.digits
        try bringUpToDate(person, until: time, context: context)
        let db = context.database
        let waiting =
            try Int.fetchOne(
                try db.cachedStatement(sql: "SELECT count(*) FROM waiting_commands WHERE person_id = ?"),
                arguments: [person]) ?? 0
        let outcome =
            waiting > 0
            ? .waiting
            : try decide(command, cloudEvent: cloudEvent, mayWait: rules.commandWaitSeconds > 0, context: context)
        if outcome == .waiting {
            try db.cachedStatement(
                sql: "INSERT INTO waiting_commands (person_id, expires_at, command) VALUES (?, ?, ?)"
            ).execute(arguments: [
                person, time.timeIntervalSince1970 + Double(rules.commandWaitSeconds),
                String(decoding: cloudEvent.structuredJSON(), as: UTF8.self),
            ])
        } else {
            try reply(to: cloudEvent, outcome, context: context)
        }
    }

    /// Decides the person's waiting commands in their order as of `time`: one whose wait is over by then is
    /// decided without waiting longer; the first that still waits stops the rest.
    func decideWaitingCommands(of person: String, at time: Date, context: HandlerContext) throws {
        let db = context.database
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: "SELECT seq, expires_at, command FROM waiting_commands WHERE person_id = ? ORDER BY seq"),
            arguments: [person])
        for row in rows {
            let cloudEvent = try CloudEvent(structuredJSON: Array((row["command"] as String).utf8))
            let command = try FollowUpPlanCommand(cloudEvent)
            let expired = (row["expires_at"] as Double) <= time.timeIntervalSince1970
            let outcome = try decide(command, cloudEvent: cloudEvent, mayWait: !expired, context: context)
            if outcome == .waiting { return }
            try db.cachedStatement(sql: "DELETE FROM waiting_commands WHERE seq = ?").execute(arguments: [
                row["seq"] as Int64
            ])
            try reply(to: cloudEvent, outcome, context: context)
        }
    }

    /// Answers a command on `ot.replies.v1`, keyed and correlated as the command asked.
    func reply(to command: CloudEvent, _ outcome: CommandOutcome, context: HandlerContext) throws {
        let reply: CommandReply
        switch outcome {
        case .waiting:
            return  // answered once decided
        case .accepted:
            reply = CommandReply(commandId: command.id, commandType: command.type, status: .accepted)
        case .rejected(let reason):
            context.countRejection()
            reply = CommandReply(commandId: command.id, commandType: command.type, status: .rejected, reason: reason)
        case .refused(let actor, let reason):
            context.countRejection()
            reply = CommandReply(commandId: command.id, commandType: command.type, status: .rejected, reason: reason)
            if let personId = (try? FollowUpPlanCommand(command))?.personId {
                try context.emit(
                    CommandRefused(
                        commandId: command.id, commandType: command.type, actor: actor, personId: personId,
                        reason: reason, occurredAt: Timestamp(context.now)),
                    key: personId.digits)
            }
        }
        let event = try CloudEvent(
            reply, id: context.newID(), source: ServiceName.followUpPlans.eventSource, time: context.now,
            causedBy: command)
        try context.emit(event, to: .replies, key: command.correlationID ?? command.id)
    }

    /// Applies a command if it may be applied; changes nothing otherwise.
    func decide(
        _ command: FollowUpPlanCommand, cloudEvent: CloudEvent, mayWait: Bool, context: HandlerContext
    ) throws -> CommandOutcome {
        let actor: CommandActor
        do {
            actor = try CommandActor(of: cloudEvent)
        } catch {
            return .refused(nil, "the command names no valid actor: \(error)")
        }
        do {
            try apply(command, actor: actor, cloudEvent: cloudEvent, mayWait: mayWait, context: context)
            return .accepted
        } catch let rejection as Rejection {
            if rejection.refused { return .refused(actor, rejection.reason) }
            return rejection.waits ? .waiting : .rejected(rejection.reason)
        }
    }

    private struct Rejection: Error {
        var reason: String
        var waits = false
        /// For who sent it (``CommandOutcome/refused(_:_:)``).
        var refused = false
        init(_ reason: String, waits: Bool = false, refused: Bool = false) {
            self.reason = reason
            self.waits = waits
            self.refused = refused
        }
    }

    private func apply(
        _ command: FollowUpPlanCommand, actor: CommandActor, cloudEvent: CloudEvent, mayWait: Bool,
        context: HandlerContext
    ) throws {
        let db = context.database
        switch command {
        case .createPlan(let create):
            let person = create.personId.digits
            if try PlanRecord.find(db, create.planId) != nil { throw Rejection("plan \(create.planId) already exists") }
            if let active = try PlanRecord.active(db, person: person) {
                throw Rejection("the youth already has an active plan (\(active.id))")
            }
            guard var registration = try PlanRegistration.open(db, person: person) else {
                throw Rejection("the youth has no open registration", waits: mayWait)
            }
            if let refusal = actor.refusal(unit: registration.unitId, county: registration.county) {
                throw Rejection(refusal, refused: true)
            }
            guard create.date >= registration.registeredAt else {
                throw Rejection("\(create.date) is before the registration (\(registration.registeredAt))")
            }
            let plan = PlanRecord(
                id: create.planId, personId: person, registrationId: registration.id, createdOn: create.date,
                nextReview: create.date.adding(days: rules.firstReviewDays))
            try plan.save(db)
            registration.missingDue = nil
            try registration.save(db)
            try emit(
                PlanCreated(
                    planId: plan.id, personId: create.personId, registrationId: registration.id,
                    unitId: registration.unitId, countyNumber: registration.county, date: create.date,
                    nextReviewDate: plan.nextReview),
                command: cloudEvent, context: context)

        case .addGoal(let add):
            let plan = try activePlan(add.planId, of: add.personId, actor: actor, db)
            if try goalExists(add.goalId, in: plan.id, db) {
                throw Rejection("goal \(add.goalId) already exists in plan \(plan.id)")
            }
            try db.cachedStatement(sql: "INSERT INTO goals (plan_id, goal_id, description) VALUES (?, ?, ?)")
                .execute(arguments: [plan.id, add.goalId, add.description])
            try emit(
                GoalAdded(planId: plan.id, personId: add.personId, goalId: add.goalId, description: add.description),
                command: cloudEvent, context: context)

        case .addMeasure(let add):
            let plan = try activePlan(add.planId, of: add.personId, actor: actor, db)
            if try measure(add.measureId, in: plan.id, db) != nil {
                throw Rejection("measure \(add.measureId) already exists in plan \(plan.id)")
            }
            if let goal = add.goalId, try !goalExists(goal, in: plan.id, db) {
                throw Rejection("goal \(goal) does not exist in plan \(plan.id)")
            }
            if let due = add.dueDate, due < plan.createdOn {
                throw Rejection("the due date \(due) is before the plan (\(plan.createdOn))")
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO measures
                        (plan_id, measure_id, goal_id, measure_type, agency, due_date, description, status, status_date)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                plan.id, add.measureId, add.goalId, add.measureType.rawValue, add.responsibleAgency.rawValue,
                add.dueDate?.description, add.description, MeasureStatus.planned.rawValue, plan.createdOn.description,
            ])
            try emit(
                MeasureAdded(
                    planId: plan.id, personId: add.personId, measureId: add.measureId, goalId: add.goalId,
                    measureType: add.measureType, responsibleAgency: add.responsibleAgency, dueDate: add.dueDate,
                    description: add.description, status: .planned),
                command: cloudEvent, context: context)

        case .setMeasureStatus(let set):
            let plan = try activePlan(set.planId, of: set.personId, actor: actor, db)
            guard let current = try measure(set.measureId, in: plan.id, db) else {
                throw Rejection("measure \(set.measureId) does not exist in plan \(plan.id)")
            }
            guard current.canChange(to: set.status) else {
                throw Rejection("a measure cannot go from \(current.rawValue) to \(set.status.rawValue)")
            }
            try notBefore(set.date, plan)
            try db.cachedStatement(
                sql: "UPDATE measures SET status = ?, status_date = ? WHERE plan_id = ? AND measure_id = ?"
            ).execute(arguments: [set.status.rawValue, set.date.description, plan.id, set.measureId])
            try emit(
                MeasureStatusChanged(
                    planId: plan.id, personId: set.personId, measureId: set.measureId, from: current, to: set.status,
                    date: set.date),
                command: cloudEvent, context: context)

        case .recordReview(let review):
            var plan = try activePlan(review.planId, of: review.personId, actor: actor, db)
            try notBefore(review.date, plan)
            try db.cachedStatement(sql: "INSERT INTO reviews (plan_id, date, next_review, summary) VALUES (?, ?, ?, ?)")
                .execute(arguments: [
                    plan.id, review.date.description, review.nextReviewDate.description, review.summary,
                ])
            plan.nextReview = review.nextReviewDate
            try plan.save(db)
            try emit(
                ReviewRecorded(
                    planId: plan.id, personId: review.personId, date: review.date,
                    nextReviewDate: review.nextReviewDate, summary: review.summary),
                command: cloudEvent, context: context)

        case .closePlan(let closing):
            let plan = try activePlan(closing.planId, of: closing.personId, actor: actor, db)
            try notBefore(closing.date, plan)
            try close(
                plan, on: closing.date, cause: .caseWorker, registration: nil, command: cloudEvent, context: context)
        }
    }

    /// The person's plan `id`, which must be active and within the actor's scope (its registration's unit).
    private func activePlan(
        _ id: String, of person: NationalID, actor: CommandActor, _ db: Database
    ) throws -> PlanRecord {
        guard let plan = try PlanRecord.find(db, id), plan.personId == person.digits else {
            throw Rejection("plan \(id) does not exist for this youth")
        }
        if let registration = try PlanRegistration.find(db, plan.registrationId),
            let refusal = actor.refusal(unit: registration.unitId, county: registration.county)
        {
            throw Rejection(refusal, refused: true)
        }
        if let closedOn = plan.closedOn { throw Rejection("plan \(id) is closed (\(closedOn))") }
        return plan
    }

    private func notBefore(_ date: LocalDate, _ plan: PlanRecord) throws {
        guard date >= plan.createdOn else { throw Rejection("\(date) is before the plan (\(plan.createdOn))") }
    }

    private func goalExists(_ goal: String, in plan: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT 1 FROM goals WHERE plan_id = ? AND goal_id = ?"),
            arguments: [plan, goal]) ?? false
    }

    /// A measure's current status, if the measure exists.
    private func measure(_ measure: String, in plan: String, _ db: Database) throws -> MeasureStatus? {
        try
            (String.fetchOne(
                try db.cachedStatement(sql: "SELECT status FROM measures WHERE plan_id = ? AND measure_id = ?"),
                arguments: [plan, measure])).map { try MeasureStatus(code: $0) }
    }
}

extension FollowUpPlanCommand {
    /// The person the command is about.
    var personId: NationalID { (payload as! any PersonKeyedPayload).personId }
}
