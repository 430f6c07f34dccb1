import Foundation
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import FollowUpPlans

/// How a plan follows its registration: closed with it, kept through a move or a new school year, waited for when
/// a command comes before its registration, erased with the person.
@Suite("Follow-up plans: registrations", .serialized, .timeLimit(.minutes(5)), .tags(.broker), .needsBroker)
struct PlanLifecycleTests {
    @Test("the registration closes: the plan closes with the same date and cause")
    func closesWithRegistration() async throws {
        try await withPlansService { service in
            let person = newYouth()
            let registration = TestRegistration(person: person, registeredAt: day("2026-02-10"))
            try await service.registrationEvent(registration.registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-02-12"))).status
                    == .accepted)
            try await service.registrationEvent(
                registration.closed(on: day("2026-02-27"), cause: .statusCode, status: .otevIM))
            let events = try await service.waitForPlanEvents(of: person, "the closing") {
                $0.contains { $0.closed != nil }
            }
            let closed = try #require(events.compactMap(\.closed).first)
            #expect(closed.date == day("2026-02-27") && closed.cause == .registrationClosed)
            #expect(closed.registrationClosureCause == .statusCode && closed.registrationStatusCode == .otevIM)
            let after = try await service.command(
                RecordReview(personId: person, planId: "p1", date: day("2026-03-01"), nextReviewDate: day("2026-04-01"))
            )
            #expect(after.reason == "plan p1 is closed (2026-02-27)")
        }
    }

    @Test("a move within the county keeps the plan; a new school year and a move to another county carry it over")
    func keptAndCarriedOver() async throws {
        try await withPlansService(today: "2026-08-01") { service in
            let person = newYouth()
            let first = TestRegistration(person: person, unit: "5001", registeredAt: day("2026-03-01"))
            try await service.registrationEvent(first.registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-03-05"))).status
                    == .accepted)
            try await service.registrationEvent(first.transferred(to: "5006", on: day("2026-04-01")))
            // 1 August: the school year's registration closes on 31 July, the next one starts the day after.
            var moved = first
            moved.unit = "5006"
            try await service.registrationEvent(moved.closed(on: day("2026-07-31"), cause: .schoolYearEnded))
            let second = TestRegistration(person: person, unit: "5006", registeredAt: day("2026-08-01"))
            try await service.registrationEvent(second.registered)
            // A move to Oslo: closed OTFA_IM and registered there the same day.
            try await service.registrationEvent(
                second.closed(on: day("2026-08-01"), cause: .statusCode, status: .otfaIM))
            let third = TestRegistration(person: person, unit: "0301", county: .oslo, registeredAt: day("2026-08-01"))
            try await service.registrationEvent(third.registered)

            // The plan is with Oslo now: Oslo's adviser acts on it.
            let oslo = CommandActor(userId: "test-adviser-03", countyNumber: .oslo)
            let events = try await service.eventsUpToMarker(person, plan: "p1", actor: oslo)
            #expect(events.compactMap(\.closed).isEmpty)
            let carried = events.compactMap(\.carriedOver)
            #expect(carried.map(\.fromRegistrationId) == [first.id, second.id])
            #expect(carried.map(\.toRegistrationId) == [second.id, third.id])
            #expect(carried.map(\.unitId) == ["5006", "0301"] && carried.last?.countyNumber == .oslo)
            #expect(carried.map(\.date) == [day("2026-08-01"), day("2026-08-01")])

            // The plan now closes with the Oslo registration.
            try await service.registrationEvent(third.closed(on: day("2026-09-01"), cause: .educationCompleted))
            let closing = try await service.waitForPlanEvents(of: person, "the closing") {
                $0.contains { $0.closed != nil }
            }
            let closed = try #require(closing.compactMap(\.closed).first)
            #expect(closed.date == day("2026-09-01") && closed.registrationClosureCause == .educationCompleted)
        }
    }

    @Test(
        "a registration replaced as Feil by one from an earlier day keeps the plan; a closing dated before the plan closes it on its first day"
    )
    func replacedInError() async throws {
        try await withPlansService { service in
            let person = newYouth()
            let wrong = TestRegistration(person: person, registeredAt: day("2026-02-10"))
            try await service.registrationEvent(wrong.registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-02-12"))).status
                    == .accepted)
            // ot-registrations learns of an earlier trigger: the registration was made in error (Feil, on its first
            // day) and one from 2 February replaces it.
            try await service.registrationEvent(wrong.closed(on: day("2026-02-10"), cause: .statusCode, status: .feil))
            let right = TestRegistration(person: person, registeredAt: day("2026-02-02"))
            try await service.registrationEvent(right.registered)
            let events = try await service.eventsUpToMarker(person, plan: "p1")
            #expect(events.compactMap(\.closed).isEmpty)
            #expect(events.compactMap(\.carriedOver).map(\.toRegistrationId) == [right.id])

            // An exit dated 5 February arrives late: the plan, made on 12 February, closes on 12 February.
            try await service.registrationEvent(
                right.closed(on: day("2026-02-05"), cause: .statusCode, status: .otevIM))
            let closing = try await service.waitForPlanEvents(of: person, "the closing") {
                $0.contains { $0.closed != nil }
            }
            #expect(closing.compactMap(\.closed).first?.date == day("2026-02-12"))
        }
    }

    @Test(
        "a school year that ends without a continuing registration closes the plan on 31 July, after a week\u{2019}s wait"
    )
    func continuationThatNeverComes() async throws {
        try await withPlansService(today: "2026-08-01") { service in
            let person = newYouth()
            let registration = TestRegistration(person: person, registeredAt: day("2026-03-01"))
            try await service.registrationEvent(registration.registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-03-05"))).status
                    == .accepted)
            try await service.registrationEvent(registration.closed(on: day("2026-07-31"), cause: .schoolYearEnded))
            // The closing arrived on 1 August: for seven days (to 8 August) the plan waits and stays open.
            service.setClock("2026-08-08")
            let waiting = try await service.eventsUpToMarker(person, plan: "p1")
            #expect(waiting.compactMap(\.closed).isEmpty)
            service.setClock("2026-08-09")
            let events = try await service.waitForPlanEvents(of: person, "the closing") {
                $0.contains { $0.closed != nil }
            }
            let closed = try #require(events.compactMap(\.closed).first)
            #expect(closed.date == day("2026-07-31") && closed.registrationClosureCause == .schoolYearEnded)
        }
    }

    @Test(
        "a command that arrives before its registration waits for it, in order; without one it is rejected after the wait"
    )
    func commandsWaitForTheirRegistration() async throws {
        try await withPlansService { service in
            let person = newYouth()
            let create = try await service.publish(
                CreatePlan(personId: person, planId: "p1", date: day("2026-03-02")), correlationID: "c-create")
            let goal = try await service.publish(
                AddGoal(personId: person, planId: "p1", goalId: "g1", description: "Work"), correlationID: "c-goal")
            try await service.waitUntilProcessed(goal)
            #expect(try await service.events(on: .replies, key: "c-create").isEmpty)
            try await service.registrationEvent(
                TestRegistration(person: person, registeredAt: day("2026-03-01")).registered)
            #expect(try await service.reply(to: create).status == .accepted)
            #expect(try await service.reply(to: goal).status == .accepted)
            // Decided while the registration event was handled, the plan's events still carry the command's
            // correlation id.
            let created = try await service.waitForEvents(on: .followUpPlans, key: person.digits, "the plan") {
                $0.contains { $0.type == PlanCreated.eventType }
            }
            #expect(created.first { $0.type == PlanCreated.eventType }?.correlationID == "c-create")

            // Nobody registers this youth: once the wait (60 s) is over on the service's clock, the answer is no.
            let stranger = newYouth()
            let lonely = try await service.publish(
                CreatePlan(personId: stranger, planId: "p2", date: day("2026-03-02")), correlationID: "c-lonely")
            try await service.waitUntilProcessed(lonely)
            #expect(try await service.events(on: .replies, key: "c-lonely").isEmpty)
            service.clock.set(service.clock.now.addingTimeInterval(61))
            let reply = try await service.reply(to: lonely)
            #expect(reply.status == .rejected && reply.reason == "the youth has no open registration")
        }
    }

    @Test("an instance with an empty disk restores the plans from the changelog and goes on with them")
    func restoredOnAnotherInstance() async throws {
        try await withPlansService { service in
            let person = newYouth()
            try await service.registrationEvent(
                TestRegistration(person: person, registeredAt: day("2026-02-10")).registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "p1", date: day("2026-02-12"))).status
                    == .accepted)
            #expect(
                try await service.command(AddGoal(personId: person, planId: "p1", goalId: "g1", description: "Work"))
                    .status == .accepted)
            try await service.stop()
            try await service.startAndWaitUntilReady(instance: 1)
            let again = try await service.command(
                AddGoal(personId: person, planId: "p1", goalId: "g1", description: "Work"))
            #expect(again.status == .rejected && again.reason == "goal g1 already exists in plan p1")
            let second = try await service.command(CreatePlan(personId: person, planId: "p2", date: day("2026-02-13")))
            #expect(second.reason == "the youth already has an active plan (p1)")
            #expect(
                try await service.command(
                    AddMeasure(
                        personId: person, planId: "p1", measureId: "m1", goalId: "g1", measureType: .work,
                        responsibleAgency: .employer, description: "Work practice")
                ).status == .accepted)
        }
    }

    @Test("erasure removes the person's plans from every store file, also after a restore and a replay")
    func erasure() async throws {
        try await withPlansService { service in
            // The control: a youth not erased, whose plan the restore below brings back.
            let other = newYouth()
            try await service.registrationEvent(
                TestRegistration(person: other, registeredAt: day("2026-02-10")).registered)
            #expect(
                try await service.command(CreatePlan(personId: other, planId: "plan-kept", date: day("2026-02-12")))
                    .status == .accepted)
            let person = newYouth()
            let registration = TestRegistration(person: person, registeredAt: day("2026-02-10"))
            try await service.registrationEvent(registration.registered)
            #expect(
                try await service.command(CreatePlan(personId: person, planId: "plan-erase", date: day("2026-02-12")))
                    .status == .accepted)
            let secret = "Secret-goal-\(UUID().uuidString)"
            #expect(
                try await service.command(
                    AddGoal(personId: person, planId: "plan-erase", goalId: "g1", description: secret)
                )
                .status == .accepted)
            try await service.registrationEvent(
                registration.closed(on: day("2026-02-20"), cause: .statusCode, status: .otarIM))
            // The controls: the person's digits and the goal's text are in the store's files now.
            #expect(try !StoreFiles.containing(person.digits, under: service.directory).isEmpty)
            #expect(try !StoreFiles.containing(secret, under: service.directory).isEmpty)

            try await service.registrationEvent(
                YouthErased(
                    personId: person, registrationIds: [registration.id], erasedAt: Timestamp(service.clock.now)))
            try await StoreFiles.waitUntilNoneContain(secret, under: service.directory, after: service.scrubs)
            try await StoreFiles.waitUntilNoneContain(person.digits, under: service.directory, after: service.scrubs)
            #expect(try StoreFiles.containing("plan-erase", under: service.directory).isEmpty)

            // An instance with an empty disk restores the partitions from the changelog, which still holds the
            // person's earlier rows before their tombstones (the development broker never compacts): none comes back.
            try await service.stop()
            try await service.startAndWaitUntilReady(instance: 1)
            #expect(try !StoreFiles.containing("plan-kept", under: service.storeDirectory(of: 1)).isEmpty)
            for text in [secret, person.digits, "plan-erase"] {
                #expect(try StoreFiles.containing(text, under: service.directory).isEmpty, "\(text)")
            }

            // Nor does a replay of the person's input but the erasure (the same registration events and commands
            // again): the store knows them by their ids, which it keeps without personal data.
            let replayed = try await service.replay(key: person.digits, on: [.registrations, .followUpPlanCommands]) {
                (try? CloudEvent(message: $0))?.type != YouthErased.eventType
            }
            #expect(replayed == 4)
            for text in [secret, person.digits, "plan-erase"] {
                #expect(try StoreFiles.containing(text, under: service.directory).isEmpty, "\(text)")
            }
        }
    }
}
