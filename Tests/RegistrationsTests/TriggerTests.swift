import Foundation
import OTContract
import TestTraits
import Testing

@testable import Registrations

/// Who enters OT's target group, through the real broker.
@Suite("Registrations: triggers", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct TriggerTests {
    @Test("a missing application registers the youth: county's default unit, school year, OTUK, IKKE_SOKT")
    func applicationMissing() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2009-05-17")
            try await fixture.publish(personUpdated(person, county: .trondelag, gender: .kvinne))
            try await fixture.publish(
                ApplicationMissing(
                    personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01")))
            let events = try await fixture.waitForEvents(of: person, "a registration") {
                $0.contains { $0.registered != nil }
            }
            let registered = try #require(events.first?.registered)
            #expect(registered.unitId == "5001")
            #expect(registered.countyNumber == .trondelag)
            #expect(registered.schoolYear == SchoolYear(startYear: 2025))
            #expect(registered.registeredAt == day("2026-03-01"))
            #expect(registered.reason == .ikkeSokt)
            #expect(registered.statusCode == .otuk && registered.statusGroup == .ukjentAktivitet)
            #expect(registered.birthDate == day("2009-05-17") && registered.gender == .kvinne)
        }
    }

    @Test(
        "declining or not answering an offer registers TAKKET_NEI; accepting registers no one",
        arguments: [(OfferAnswer.declined, true), (.noAnswer, true), (.accepted, false)])
    func offerAnswered(answer: OfferAnswer, registers: Bool) async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2010-01-02")
            try await fixture.publish(personUpdated(person))
            try await fixture.publishAndWait(
                OfferAnswered(
                    personId: person, schoolYear: SchoolYear(startYear: 2026), programmeAreaCode: "SSSSF1----",
                    schoolOrgNumber: "974544202", answer: answer))
            #expect(try await fixture.openRegistrations(of: person) == (registers ? 1 : 0))
            if registers {
                let events = try await fixture.waitForEvents(of: person, "a registration") { !$0.isEmpty }
                #expect(events.first?.registered?.reason == .takketNei)
            }
        }
    }

    @Test(
        "a dropout registers SLUTTET unless the youth continues elsewhere (AP, AS, LA, UV, PM)",
        arguments: [
            (DropoutReason.highAbsence, true), (.didNotShowUp, true), (.wrongChoice, true),
            (.changedProgramme, false), (.otherSchool, false), (.apprenticeship, false), (.exchangePupil, false),
            (.leave, false),
        ])
    func droppedOut(reason: DropoutReason, registers: Bool) async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2008-09-09")
            try await fixture.publish(personUpdated(person))
            try await fixture.publishAndWait(
                EnrollmentDroppedOut(
                    personId: person, schoolYear: SchoolYear(startYear: 2025), date: day("2026-02-10"),
                    reasonCode: reason))
            #expect(try await fixture.openRegistrations(of: person) == (registers ? 1 : 0))
            if registers { try await fixture.waitForEvents(of: person, "a registration") { !$0.isEmpty } }
            let events = try await fixture.events(of: person)
            if registers {
                #expect(events.first?.registered?.reason == .sluttet)
                #expect(events.first?.registered?.registeredAt == day("2026-02-10"))
            } else {
                #expect(events.isEmpty)
            }
        }
    }

    @Test("a trigger before person.updated waits for it; a repeated trigger registers no one again")
    func outOfOrderAndRepeated() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2009-11-11")
            let missing = ApplicationMissing(
                personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01"))
            try await fixture.publish(missing)
            try await fixture.publish(
                EnrollmentDroppedOut(
                    personId: person, schoolYear: SchoolYear(startYear: 2025), date: day("2026-03-05"),
                    reasonCode: .highAbsence))
            try await fixture.publish(personUpdated(person, county: .vestland))
            // The same event delivered twice (same id) and a new trigger: still one registration.
            let again = try await fixture.publish(missing)
            try await fixture.publishRaw(topic: Topic.enrollment, key: person.digits, value: again.structuredJSON())
            try await fixture.waitUntilProcessed(again, of: person)
            #expect(try await fixture.openRegistrations(of: person) == 1)
            try await fixture.waitForEvents(of: person, "the registration") { !$0.isEmpty }
            let events = try await fixture.events(of: person).filter { $0.registered != nil }
            #expect(events.count == 1, "\(events)")
            #expect(events.first?.registered?.reason == .ikkeSokt)
            #expect(events.first?.registered?.countyNumber == .vestland)
            #expect(events.first?.registered?.unitId == "4601")
        }
    }

    @Test("only youths from the year they turn 15 to the end of the year they turn 24 are registered")
    func ageGroup() async throws {
        try await RegistrationsFixture.with() { fixture in
            let tooOld = youth(born: "2001-06-01")  // turns 25 in 2026
            let oldest = youth(born: "2002-06-01")  // turns 24 in 2026
            let tooYoung = youth(born: "2012-06-01")  // turns 14 in 2026
            for person in [tooOld, oldest, tooYoung] {
                try await fixture.publish(personUpdated(person))
                try await fixture.publishAndWait(
                    EnrollmentDroppedOut(
                        personId: person, schoolYear: SchoolYear(startYear: 2025), date: day("2026-02-01"),
                        reasonCode: .highAbsence))
            }
            #expect(try await fixture.openRegistrations(of: oldest) == 1)
            #expect(try await fixture.openRegistrations(of: tooOld) == 0)
            #expect(try await fixture.openRegistrations(of: tooYoung) == 0)
        }
    }
}
