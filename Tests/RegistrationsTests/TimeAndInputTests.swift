import Foundation
import Kafka
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import Registrations

@Suite("Registrations: time, bad input, restart", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct TimeAndInputTests {
    @Test("at 1 August a registration closes for the old school year and continues in the new one")
    func schoolYearChange() async throws {
        try await RegistrationsFixture.with(today: "2026-07-30") { fixture in
            let person = youth(born: "2008-01-15")
            try await fixture.publish(personUpdated(person))
            try await fixture.publish(
                EnrollmentDroppedOut(
                    personId: person, schoolYear: SchoolYear(startYear: 2025), date: day("2026-03-10"),
                    reasonCode: .highAbsence))
            try await fixture.waitForEvents(of: person, "a registration") { !$0.isEmpty }
            // The service was down over the boundary; it catches up with the same events.
            try await fixture.stopWorker()
            fixture.clock.set(noon("2026-08-03"))
            try await fixture.startWorker()
            let events = try await fixture.waitForEvents(of: person, "the new school year's registration") {
                $0.compactMap(\.registered).count == 2
            }
            let closed = try #require(events.compactMap(\.closed).first)
            #expect(closed.cause == .schoolYearEnded && closed.effectiveDate == day("2026-07-31"))
            #expect(closed.schoolYear == SchoolYear(startYear: 2025))
            let continued = try #require(events.compactMap(\.registered).last)
            #expect(continued.schoolYear == SchoolYear(startYear: 2026) && continued.registeredAt == day("2026-08-01"))
            #expect(continued.reason == .sluttet && continued.unitId == "5001")
        }
    }

    @Test("at the end of the calendar year a youth turns 24, the registration closes (aged out)")
    func agingOut() async throws {
        try await RegistrationsFixture.with(today: "2026-12-30") { fixture in
            let person = youth(born: "2002-03-03")  // turns 24 in 2026
            try await fixture.publish(personUpdated(person))
            try await fixture.publish(
                EnrollmentDroppedOut(
                    personId: person, schoolYear: SchoolYear(startYear: 2026), date: day("2026-12-01"),
                    reasonCode: .highAbsence))
            try await fixture.waitForEvents(of: person, "a registration") { !$0.isEmpty }
            fixture.clock.set(noon("2027-01-02"))
            let events = try await fixture.waitForEvents(of: person, "aging out") { $0.contains { $0.closed != nil } }
            let closed = try #require(events.compactMap(\.closed).first)
            #expect(closed.cause == .agedOut && closed.effectiveDate == day("2026-12-31"))
            #expect(events.compactMap(\.registered).count == 1)
        }
    }

    /// The upper age was 21 until the law of 2024 came into force on 1 August 2024, and is 24 since (domain.md):
    /// each rule applies as of the date, so the expected outcomes follow from the birth years alone.
    @Test("the age limit is the law's on the date: 21 before 1 August 2024, 24 from then; an old-law youth stays")
    func ageLimitByLawInForce() async throws {
        try await RegistrationsFixture.with(today: "2023-10-03") { fixture in
            func register(_ person: NationalID, on date: String) async throws -> CommandReply {
                try await fixture.command(
                    RegisterYouth(
                        personId: person, unitId: "5001", countyNumber: .trondelag, reason: .annet, date: day(date)))
            }
            let turns21In2023 = youth(born: "2002-03-03")
            let turns22In2023 = youth(born: "2001-05-05")
            let turns21In2024 = youth(born: "2003-06-06")
            let turns24In2024 = youth(born: "2000-07-07")
            // Autumn 2023, the old law: 21 is the last age in the group, 22 is outside it.
            #expect(try await register(turns21In2023, on: "2023-10-02").status == .accepted)
            let refused = try await register(turns22In2023, on: "2023-10-02")
            #expect(refused.status == .rejected)
            #expect(refused.reason?.contains("(15 to 21)") == true, "\(refused.reason ?? "")")
            // The youth who turned 21 in 2023 ages out at its end.
            fixture.clock.set(noon("2024-01-02"))
            let aged = try await fixture.waitForEvents(of: turns21In2023, "aging out") {
                $0.contains { $0.closed != nil }
            }
            #expect(aged.compactMap(\.closed).first?.cause == .agedOut)
            #expect(aged.compactMap(\.closed).first?.effectiveDate == day("2023-12-31"))

            // Spring 2024, still the old law: a youth who turns 21 in 2024 is in the group.
            fixture.clock.set(noon("2024-03-02"))
            #expect(try await register(turns21In2024, on: "2024-03-01").status == .accepted)
            // Autumn 2024, the new law: 22- and 24-year-olds (at the end of 2024) are in the group.
            fixture.clock.set(noon("2024-09-03"))
            #expect(try await register(turns22In2023, on: "2024-09-02").status == .accepted)
            #expect(try await register(turns24In2024, on: "2024-09-02").status == .accepted)

            // The end of 2024: the 24-year-old ages out; the youth registered under the old law, 21 now, does not:
            // on 31 December 2024 the upper age is already 24.
            fixture.clock.set(noon("2025-01-02"))
            let oldest = try await fixture.waitForEvents(of: turns24In2024, "aging out") {
                $0.contains { $0.closed != nil }
            }
            #expect(oldest.compactMap(\.closed).first?.cause == .agedOut)
            #expect(oldest.compactMap(\.closed).first?.effectiveDate == day("2024-12-31"))
            let contact = try await fixture.command(
                RecordContact(personId: turns21In2024, date: day("2025-01-02"), channel: .phone, reached: true))
            #expect(contact.status == .accepted, "\(contact.reason ?? "")")
            let stayed = try await fixture.events(of: turns21In2024)
            #expect(!stayed.contains { $0.closed?.cause == .agedOut })
        }
    }

    @Test("invalid national IDs, unknown types and codes, missing fields are dead-lettered; the rest goes on")
    func badInput() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2009-09-09")
            func event(_ type: String, _ data: String) -> [UInt8] {
                CloudEvent(source: "urn:test", type: type, data: Array(data.utf8)).structuredJSON()
            }
            let bad: [(String, [UInt8])] = [
                (
                    "invalid national ID",
                    event(
                        "no.vigo.person.updated",
                        #"{"personId":"01890912340","birthDate":"2009-09-09","gender":"K","countyNumber":"50","municipalityNumber":"5001"}"#
                    )
                ),
                ("unknown type", event("no.vigo.person.moved", #"{"personId":"\#(person.digits)"}"#)),
                (
                    "unknown code",
                    event(
                        "no.vigo.enrollment.dropped-out",
                        #"{"personId":"\#(person.digits)","schoolYear":"2025-2026","date":"2026-02-01","reasonCode":"ZZ"}"#
                    )
                ),
                (
                    "missing field",
                    event(
                        "no.vigo.person.updated",
                        #"{"personId":"\#(person.digits)","gender":"K","countyNumber":"50","municipalityNumber":"5001"}"#
                    )
                ),
            ]
            for (_, value) in bad {
                try await fixture.publishRaw(topic: Topic.enrollment, key: person.digits, value: value)
            }
            try await fixture.publish(personUpdated(person))
            try await fixture.publish(
                ApplicationMissing(
                    personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01")))
            try await fixture.waitForEvents(of: person, "the registration after the bad input") { !$0.isEmpty }
            try await fixture.kafka.waitForMessages(in: "ot-registrations.dlq.v1", count: Int64(bad.count))
            let letters = try await fixture.kafka.readToEnd("ot-registrations.dlq.v1")
            let reasons = letters.compactMap { $0.headerString("ot-dlq-error") }
            #expect(reasons.count == bad.count)
            #expect(reasons.contains { $0.contains("national ID") })
            #expect(reasons.contains { $0.contains("no.vigo.person.moved") })
            #expect(reasons.contains { $0.contains("ZZ") })
            #expect(reasons.contains { $0.contains("birthDate") })
            #expect(!reasons.contains { $0.contains("01890912340") }, "a national ID in a dead-letter reason")
        }
    }

    /// docs/operations.md's procedure: fix the cause, republish the dead letter to its source topic.
    @Test("a dead-lettered event is processed again when republished, and a fixed one with its id once")
    func deadLetterReplay() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2009-10-10")
            try await fixture.publish(personUpdated(person))
            func dropout(_ reasonCode: String) -> [UInt8] {
                CloudEvent(
                    id: "dropout-\(person.digits)", source: "urn:test", type: "no.vigo.enrollment.dropped-out",
                    data: Array(
                        #"{"personId":"\#(person.digits)","schoolYear":"2025-2026","date":"2026-02-01","reasonCode":"\#(reasonCode)"}"#
                            .utf8)
                ).structuredJSON()
            }
            // An upstream bug: a dropout reason that does not exist.
            try await fixture.publishRaw(topic: Topic.enrollment, key: person.digits, value: dropout("ZZ"))
            let dlq = Topic.deadLetters(of: .registrations).name
            try await fixture.kafka.waitForMessages(in: dlq, count: 1)
            // Republished as it is: processed again (so dead-lettered again), not skipped as a duplicate.
            let letter = try #require(try await fixture.kafka.readToEnd(dlq).first)
            #expect(letter.headerString("ot-dlq-source-topic") == Topic.enrollment.name)
            try await fixture.publishRaw(topic: Topic.enrollment, key: person.digits, value: Array(letter.value ?? []))
            try await fixture.kafka.waitForMessages(in: dlq, count: 2)
            // Fixed upstream and sent again with the same id: processed, once.
            try await fixture.publishRaw(topic: Topic.enrollment, key: person.digits, value: dropout("FR"))
            try await fixture.waitForEvents(of: person, "the registration") { $0.contains { $0.registered != nil } }
            try await fixture.publishRaw(topic: Topic.enrollment, key: person.digits, value: dropout("FR"))
            try await fixture.publishAndWait(personUpdated(person))  // after the duplicate, on its partition
            let events = try await fixture.events(of: person)
            #expect(events.compactMap(\.registered).count == 1)
            #expect(events.compactMap(\.registered).first?.registeredAt == day("2026-02-01"))
            #expect(try await fixture.kafka.readToEnd(dlq).count == 2)
        }
    }

    @Test("a restart mid-stream neither loses nor repeats a registration")
    func restart() async throws {
        try await RegistrationsFixture.with() { fixture in
            let people = (1...40).map { youth(born: "2009-04-04", $0) }
            for person in people.prefix(20) {
                try await fixture.publish(personUpdated(person))
                try await fixture.publish(
                    ApplicationMissing(
                        personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01")))
            }
            try await fixture.stopWorker()
            try await fixture.startWorker()
            for person in people.suffix(20) {
                try await fixture.publish(personUpdated(person))
                try await fixture.publish(
                    ApplicationMissing(
                        personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01")))
            }
            try await fixture.output.wait("40 registrations") { messages in
                messages.filter { $0.topic == Topic.registrations.name }.count >= 40
            }
            let registered = await fixture.output.messages.filter { $0.topic == Topic.registrations.name }
            #expect(registered.count == 40)
            #expect(Set(registered.compactMap(\.keyString)) == Set(people.map(\.digits)))
        }
    }
}
