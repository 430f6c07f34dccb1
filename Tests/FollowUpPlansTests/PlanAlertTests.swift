import Foundation
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import FollowUpPlans

/// The alerts on the service's clock: a review overdue, a plan missing; live and after downtime alike.
@Suite("Follow-up plans: alerts", .serialized, .timeLimit(.minutes(5)), .tags(.broker), .needsBroker)
struct PlanAlertTests {
    @Test("a review date that passes without a review is reported once, and again only for a new date")
    func reviewOverdue() async throws {
        try await withPlansService(today: "2026-03-02") { service in
            let person = newYouth()
            try await service.registrationEvent(
                TestRegistration(person: person, registeredAt: day("2026-03-01")).registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-03-02"))).status
                    == .accepted)
            // First review due six weeks on: 2 March + 42 days = 13 April. On the day itself it is not late.
            service.setClock("2026-04-13")
            #expect(try await service.eventsUpToMarker(person, plan: "p1").compactMap(\.overdue).isEmpty)
            service.setClock("2026-04-14")
            try await service.waitForPlanEvents(of: person, "the overdue review") { !$0.compactMap(\.overdue).isEmpty }
            service.setClock("2026-04-20")
            let overdue = try await service.eventsUpToMarker(person, plan: "p1").compactMap(\.overdue)
            #expect(overdue.count == 1)
            #expect(
                overdue.first?.nextReviewDate == day("2026-04-13") && overdue.first?.detectedOn == day("2026-04-14"))
            #expect(overdue.first?.unitId == "5001" && overdue.first?.countyNumber == .trondelag)

            // A review sets a new date; when that passes too, a second alert.
            #expect(
                try await service.command(
                    RecordReview(
                        personId: person, planId: "p1", date: day("2026-04-20"), nextReviewDate: day("2026-05-04"))
                ).status == .accepted)
            service.setClock("2026-05-04")
            #expect(try await service.eventsUpToMarker(person, plan: "p1").compactMap(\.overdue).count == 1)
            service.setClock("2026-05-05")
            let again = try await service.waitForPlanEvents(of: person, "the second overdue review") {
                $0.compactMap(\.overdue).count == 2
            }
            #expect(again.compactMap(\.overdue).last?.nextReviewDate == day("2026-05-04"))
        }
    }

    @Test("a youth four weeks in OT without a plan is reported once; with a plan in time, never")
    func planMissing() async throws {
        try await withPlansService(today: "2026-03-01") { service in
            let (late, inTime) = (newYouth(), newYouth())
            let registration = TestRegistration(person: late, registeredAt: day("2026-03-01"))
            try await service.registrationEvent(registration.registered)
            try await service.registrationEvent(
                TestRegistration(person: inTime, registeredAt: day("2026-03-01")).registered)
            // Four weeks from 1 March: a plan is due by 29 March.
            service.setClock("2026-03-29")
            #expect(
                try await service.command(CreatePlan(personId: inTime, planId: "in-time", date: day("2026-03-29")))
                    .status
                    == .accepted)
            service.setClock("2026-03-30")
            let events = try await service.waitForPlanEvents(of: late, "the missing plan") {
                !$0.compactMap(\.missing).isEmpty
            }
            let missing = try #require(events.compactMap(\.missing).first)
            #expect(missing.registrationId == registration.id && missing.registeredSince == day("2026-03-01"))
            #expect(missing.dueDate == day("2026-03-29") && missing.detectedOn == day("2026-03-30"))

            service.setClock("2026-04-15")
            #expect(try await service.eventsUpToMarker(inTime, plan: "in-time").compactMap(\.missing).isEmpty)
            // The late plan comes; the alert was sent once.
            #expect(
                try await service.command(CreatePlan(personId: late, planId: "late", date: day("2026-04-15"))).status
                    == .accepted)
            #expect(try await service.eventsUpToMarker(late, plan: "late").compactMap(\.missing).count == 1)
        }
    }

    @Test("catching up after downtime publishes what running live would have: alerts follow the commands' times")
    func catchingUpAfterDowntime() async throws {
        try await withPlansService(today: "2026-03-02") { service in
            let (reviewedInTime, reviewedLate) = (newYouth(), newYouth())
            for person in [reviewedInTime, reviewedLate] {
                try await service.registrationEvent(
                    TestRegistration(person: person, registeredAt: day("2026-03-01")).registered)
                #expect(
                    try await service.command(
                        CreatePlan(personId: person, planId: "p-\(person.digits)", date: day("2026-03-02"))
                    )
                    .status == .accepted)
            }
            // Down from 3 March to 1 May. Meanwhile one review arrived before its date (13 April) and one after.
            try await service.stop()
            let early = try await service.publish(
                RecordReview(
                    personId: reviewedInTime, planId: "p-\(reviewedInTime.digits)", date: day("2026-04-10"),
                    nextReviewDate: day("2026-06-01")),
                time: noon("2026-04-10"))
            let late = try await service.publish(
                RecordReview(
                    personId: reviewedLate, planId: "p-\(reviewedLate.digits)", date: day("2026-04-20"),
                    nextReviewDate: day("2026-06-01")),
                time: noon("2026-04-20"))
            service.setClock("2026-05-01")
            try await service.startAndWaitUntilReady()
            #expect(try await service.reply(to: early).status == .accepted)
            #expect(try await service.reply(to: late).status == .accepted)

            // Live, the late one was reported on 14 April, before its review arrived; the early one never.
            let lateEvents = try await service.eventsUpToMarker(reviewedLate, plan: "p-\(reviewedLate.digits)")
            #expect(
                lateEvents.map(\.payload).map { type(of: $0).eventType } == [
                    PlanCreated.eventType, ReviewOverdue.eventType, ReviewRecorded.eventType,
                ])
            #expect(lateEvents.compactMap(\.overdue).first?.detectedOn == day("2026-04-14"))
            let earlyEvents = try await service.eventsUpToMarker(reviewedInTime, plan: "p-\(reviewedInTime.digits)")
            #expect(
                earlyEvents.map(\.payload).map { type(of: $0).eventType } == [
                    PlanCreated.eventType, ReviewRecorded.eventType,
                ])
        }
    }

    @Test(
        "catching up on both topics after downtime: a plan command published before a registration event is decided before it, as live"
    )
    func catchingUpOnBothTopics() async throws {
        try await withPlansService(today: "2026-03-02") { service in
            // Registered on 1 March: a plan is due by 29 March (PlanRules' 28 days), and is missing from 30 March.
            let youths = (0..<20).map { _ in TestRegistration(person: newYouth(), registeredAt: day("2026-03-01")) }
            for registration in youths { try await service.registrationEvent(registration.registered) }
            // Down from 2 March to 1 May. Meanwhile, for each youth: the plan made on 20 March, then on 3 April a
            // move to unit 5002. The two are on two topics, which the consumer fetches each on its own.
            try await service.stop()
            var creates: [CloudEvent] = []
            for registration in youths {
                let person = registration.person
                creates.append(
                    try await service.publish(
                        CreatePlan(personId: person, planId: "p-\(person.digits)", date: day("2026-03-20")),
                        time: noon("2026-03-20")))
                try await service.publish(
                    registration.transferred(to: "5002", on: day("2026-04-03")), time: noon("2026-04-03"),
                    source: ServiceName.registrations.eventSource)
            }
            service.setClock("2026-05-01")
            try await service.startAndWaitUntilReady()
            for create in creates { #expect(try await service.reply(to: create).status == .accepted) }

            // Live, every plan was made before it was due: no youth's plan was reported missing.
            var reportedMissing: [String] = []
            for registration in youths {
                let person = registration.person
                let events = try await service.eventsUpToMarker(person, plan: "p-\(person.digits)")
                if events.contains(where: { $0.missing != nil }) { reportedMissing.append(person.masked) }
            }
            #expect(reportedMissing.isEmpty, "plan.missing for \(reportedMissing.count) of \(youths.count)")
        }
    }
}
