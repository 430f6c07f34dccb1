import Foundation
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import FollowUpPlans

/// Case workers' plan commands through the broker: what is accepted, what is rejected and why.
@Suite("Follow-up plans: commands", .serialized, .timeLimit(.minutes(5)), .tags(.broker), .needsBroker)
struct PlanCommandTests {
    @Test("a plan with a goal, a measure through its statuses, a review, closed; then nothing more on it")
    func planLifecycle() async throws {
        try await withPlansService { service in
            let person = newYouth()
            let registration = TestRegistration(person: person, unit: "5001", registeredAt: day("2026-02-10"))
            try await service.registrationEvent(registration.registered)

            let created = try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-02-20")))
            #expect(created.status == .accepted, "\(created.reason ?? "")")
            #expect(
                try await service.command(
                    AddGoal(personId: person, planId: "p1", goalId: "g1", description: "Start vg2")
                ).status == .accepted)
            #expect(
                try await service.command(
                    AddMeasure(
                        personId: person, planId: "p1", measureId: "m1", goalId: "g1", measureType: .education,
                        responsibleAgency: .school, dueDate: day("2026-05-01"), description: "Visit the school")
                ).status == .accepted)
            for (status, date) in [(MeasureStatus.inProgress, "2026-02-25"), (.completed, "2026-03-01")] {
                let reply = try await service.command(
                    SetMeasureStatus(personId: person, planId: "p1", measureId: "m1", status: status, date: day(date)))
                #expect(reply.status == .accepted, "\(reply.reason ?? "")")
            }
            let backwards = try await service.command(
                SetMeasureStatus(
                    personId: person, planId: "p1", measureId: "m1", status: .cancelled, date: day("2026-03-01")))
            #expect(backwards.status == .rejected)
            #expect(backwards.reason == "a measure cannot go from COMPLETED to CANCELLED")
            #expect(
                try await service.command(
                    RecordReview(
                        personId: person, planId: "p1", date: day("2026-03-01"), nextReviewDate: day("2026-04-01"),
                        summary: "Going well")
                ).status == .accepted)
            #expect(
                try await service.command(ClosePlan(personId: person, planId: "p1", date: day("2026-03-02"))).status
                    == .accepted)
            let afterClose = try await service.command(
                AddGoal(personId: person, planId: "p1", goalId: "g2", description: "More"))
            #expect(afterClose.status == .rejected && afterClose.reason == "plan p1 is closed (2026-03-02)")

            let events = try await service.waitForPlanEvents(of: person, "the closing") {
                $0.contains { $0.closed != nil }
            }
            let plan = try #require(events.first?.created)
            // Registered in unit 5001 (Trøndelag); the first review six weeks (42 days) after 20 February.
            #expect(plan.registrationId == registration.id && plan.unitId == "5001" && plan.countyNumber == .trondelag)
            #expect(plan.nextReviewDate == day("2026-04-03"))
            #expect(
                events.compactMap(\.statusChanged).map { "\($0.from.rawValue)>\($0.to.rawValue)" } == [
                    "PLANNED>IN_PROGRESS", "IN_PROGRESS>COMPLETED",
                ])
            let closed = try #require(events.last?.closed)
            #expect(
                closed.cause == .caseWorker && closed.date == day("2026-03-02")
                    && closed.registrationClosureCause == nil)
            #expect(
                events.map(\.payload).map { type(of: $0).eventType } == [
                    PlanCreated.eventType, GoalAdded.eventType, MeasureAdded.eventType, MeasureStatusChanged.eventType,
                    MeasureStatusChanged.eventType, ReviewRecorded.eventType, PlanClosed.eventType,
                ])
        }
    }

    @Test("rejections say exactly why, and change nothing")
    func rejections() async throws {
        try await withPlansService { service in
            let person = newYouth()
            let registration = TestRegistration(person: person, registeredAt: day("2026-02-10"))
            try await service.registrationEvent(registration.registered)

            func rejected<P: PersonKeyedPayload>(_ payload: P) async throws -> String? {
                let reply = try await service.command(payload)
                #expect(reply.status == .rejected, "\(P.eventType) was accepted")
                return reply.reason
            }
            #expect(
                try await rejected(CreatePlan(personId: person, planId: "early", date: day("2026-02-01")))
                    == "2026-02-01 is before the registration (2026-02-10)")
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-02-12"))).status
                    == .accepted)
            #expect(
                try await rejected(CreatePlan(personId: person, planId: "p2", date: day("2026-02-13")))
                    == "the youth already has an active plan (p1)")
            #expect(
                try await rejected(CreatePlan(personId: person, planId: "p1", date: day("2026-02-13")))
                    == "plan p1 already exists")
            #expect(
                try await rejected(AddGoal(personId: person, planId: "nope", goalId: "g", description: "x"))
                    == "plan nope does not exist for this youth")
            #expect(
                try await rejected(
                    AddMeasure(
                        personId: person, planId: "p1", measureId: "m1", goalId: "missing", measureType: .work,
                        responsibleAgency: .employer, description: "Work practice"))
                    == "goal missing does not exist in plan p1")
            #expect(
                try await rejected(
                    SetMeasureStatus(
                        personId: person, planId: "p1", measureId: "m9", status: .inProgress, date: day("2026-02-14")))
                    == "measure m9 does not exist in plan p1")
            #expect(
                try await rejected(
                    RecordReview(
                        personId: person, planId: "p1", date: day("2026-02-11"), nextReviewDate: day("2026-03-11")))
                    == "2026-02-11 is before the plan (2026-02-12)")
            #expect(
                try await rejected(ClosePlan(personId: person, planId: "p1", date: day("2026-02-01")))
                    == "2026-02-01 is before the plan (2026-02-12)")
            // Another youth's plan is unknown to this youth.
            let other = newYouth()
            #expect(
                try await rejected(AddGoal(personId: other, planId: "p1", goalId: "g", description: "x"))
                    == "plan p1 does not exist for this youth")

            let events = try await service.eventsUpToMarker(person, plan: "p1")
            #expect(events.map(\.payload).map { type(of: $0).eventType } == [PlanCreated.eventType])
        }
    }

    @Test("an actor outside the plan's county or unit is refused and audited; the unit's own adviser is not")
    func actors() async throws {
        try await withPlansService { service in
            let person = newYouth()
            try await service.registrationEvent(
                TestRegistration(person: person, unit: "5001", registeredAt: day("2026-02-10")).registered)
            let oslo = CommandActor(userId: "adviser-03", countyNumber: .oslo)
            let create = CreatePlan(personId: person, planId: "p1", date: day("2026-02-12"))
            let refused = try await service.command(create, actor: oslo)
            #expect(
                refused.status == .rejected && refused.reason == "the youth is in county 50: outside your county (03)")
            let unit5001 = CommandActor(userId: "adviser-5001", countyNumber: .trondelag, unitId: "5001")
            #expect(try await service.command(create, actor: unit5001).status == .accepted)
            let otherUnit = CommandActor(userId: "adviser-5006", countyNumber: .trondelag, unitId: "5006")
            let goal = try await service.command(
                AddGoal(personId: person, planId: "p1", goalId: "g1", description: "Work"), actor: otherUnit)
            #expect(goal.reason == "the youth is in unit 5001: outside your unit (5006)")
            let audit = try await service.waitForEvents(on: .audit, key: person.digits, "two refusals") {
                $0.count >= 2
            }
            .map { try $0.decodePayload(as: CommandRefused.self) }
            #expect(audit.map(\.actorId) == ["adviser-03", "adviser-5006"])
            #expect(audit.map(\.commandType) == [CreatePlan.eventType, AddGoal.eventType])
        }
    }

    @Test(
        "an invalid command is answered REJECTED (a national ID it quotes masked) and dead-lettered; the partition goes on"
    )
    func invalidCommand() async throws {
        try await withPlansService { service in
            let person = newYouth()
            // No plan id, and a date that does not exist.
            let bad = CloudEvent(
                source: "urn:test", type: CreatePlan.eventType, time: service.clock.now, correlationID: "corr-bad",
                extensions: trondelagAdviser.extensions,
                data: Array(#"{"personId":"\#(person.digits)","date":"2026-02-30"}"#.utf8))
            try await service.publish(bad, to: .followUpPlanCommands, key: person.digits)
            let reply = try await service.reply(to: bad)
            #expect(reply.status == .rejected && reply.reason?.hasPrefix("invalid command:") == true)
            // A national ID typed into the date: the reason quotes it masked.
            let quoting = CloudEvent(
                source: "urn:test", type: CreatePlan.eventType, time: service.clock.now, correlationID: "corr-quoting",
                extensions: trondelagAdviser.extensions,
                data: Array(#"{"personId":"\#(person.digits)","planId":"p9","date":"\#(person.digits)"}"#.utf8))
            try await service.publish(quoting, to: .followUpPlanCommands, key: person.digits)
            let quoted = try await service.reply(to: quoting)
            #expect(quoted.status == .rejected && quoted.reason?.hasPrefix("invalid command:") == true)
            #expect(quoted.reason?.contains(person.digits) == false, "\(quoted.reason ?? "")")
            try await service.output.wait("the dead letters") { messages in
                messages.count { $0.topic == Topic.deadLetters(of: .followUpPlans).name } == 2
            }
            try await service.registrationEvent(
                TestRegistration(person: person, registeredAt: day("2026-02-10")).registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-02-12"))).status
                    == .accepted)
        }
    }
}
