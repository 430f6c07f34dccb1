import Foundation
import Kafka
import OTContract
import OTRuntimeTesting
import Testing

@testable import Registrations

@Suite("Registrations: time, bad input, restart", .serialized)
struct TimeAndInputTests {
    @Test("at 1 August a registration closes for the old school year and continues in the new one")
    func schoolYearChange() async throws {
        let fixture = try await RegistrationsFixture(today: "2026-07-30")
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
        fixture.startWorker()
        let events = try await fixture.waitForEvents(of: person, "the new school year's registration") {
            $0.compactMap(\.registered).count == 2
        }
        let closed = try #require(events.compactMap(\.closed).first)
        #expect(closed.cause == .schoolYearEnded && closed.effectiveDate == day("2026-07-31"))
        #expect(closed.schoolYear == SchoolYear(startYear: 2025))
        let continued = try #require(events.compactMap(\.registered).last)
        #expect(continued.schoolYear == SchoolYear(startYear: 2026) && continued.registeredAt == day("2026-08-01"))
        #expect(continued.reason == .sluttet && continued.unitId == "5001")
        try await fixture.finish()
    }

    @Test("at the end of the calendar year a youth turns 24, the registration closes (aged out)")
    func agingOut() async throws {
        let fixture = try await RegistrationsFixture(today: "2026-12-30")
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
        try await fixture.finish()
    }

    @Test("invalid national IDs, unknown types and codes, missing fields are dead-lettered; the rest goes on")
    func badInput() async throws {
        let fixture = try await RegistrationsFixture()
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
                    #"{"personId":"\#(person.digits)","schoolYear":"2025-2026","date":"2026-02-01","reasonCode":"ZZ"}"#)
            ),
            (
                "missing field",
                event(
                    "no.vigo.person.updated",
                    #"{"personId":"\#(person.digits)","gender":"K","countyNumber":"50","municipalityNumber":"5001"}"#)
            ),
        ]
        for (_, value) in bad {
            try await fixture.publishRaw(topic: Topic.enrollment, key: person.digits, value: value)
        }
        try await fixture.publish(personUpdated(person))
        try await fixture.publish(
            ApplicationMissing(personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01")))
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
        try await fixture.finish()
    }

    @Test("a restart mid-stream neither loses nor repeats a registration")
    func restart() async throws {
        let fixture = try await RegistrationsFixture()
        let people = (1...40).map { youth(born: "2009-04-04", $0) }
        for person in people.prefix(20) {
            try await fixture.publish(personUpdated(person))
            try await fixture.publish(
                ApplicationMissing(
                    personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01")))
        }
        try await fixture.stopWorker()
        fixture.startWorker()
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
        try await fixture.finish()
    }
}
