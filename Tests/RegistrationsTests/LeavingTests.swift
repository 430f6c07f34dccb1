import Foundation
import OTContract
import TestTraits
import Testing

@testable import Registrations

/// How youths leave OT, through the real broker.
@Suite("Registrations: leaving", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct LeavingTests {
    /// A registered youth: person.updated and a dropout on 2026-02-10.
    private func registered(_ fixture: RegistrationsFixture, born: String, county: County = .trondelag) async throws
        -> NationalID
    {
        let person = youth(born: born)
        try await fixture.publish(personUpdated(person, county: county))
        try await fixture.publish(
            EnrollmentDroppedOut(
                personId: person, schoolYear: SchoolYear(startYear: 2025), date: day("2026-02-10"),
                reasonCode: .highAbsence))
        try await fixture.waitForEvents(of: person, "a registration") { $0.contains { $0.registered != nil } }
        return person
    }

    @Test(
        "starting as a pupil closes with OTEV_IM, as an apprentice or trainee with OTLL_IM",
        arguments: [(EnrollmentKind.pupil, OTStatusCode.otevIM), (.apprentice, .otllIM), (.trainee, .otllIM)])
    func enrollmentStarted(kind: EnrollmentKind, status: OTStatusCode) async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = try await registered(fixture, born: "2008-04-04")
            try await fixture.publish(
                EnrollmentStarted(
                    personId: person, schoolYear: SchoolYear(startYear: 2025), schoolOrgNumber: "974544202",
                    programmeAreaCode: "SSSSF1----", startDate: day("2026-03-01"), kind: kind))
            let events = try await fixture.waitForEvents(of: person, "the closing") { $0.contains { $0.closed != nil } }
            let changed = try #require(events.compactMap(\.statusChanged).last)
            #expect(changed.from == .otuk && changed.to == status && changed.statusGroup == .ikkeIMalgruppen)
            let closed = try #require(events.compactMap(\.closed).last)
            #expect(closed.cause == .statusCode && closed.statusCode == status)
            #expect(closed.effectiveDate == day("2026-03-01"))
            #expect(try await fixture.openRegistrations(of: person) == 0)
        }
    }

    @Test("completing upper-secondary closes the registration, and later triggers register no one")
    func educationCompleted() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = try await registered(fixture, born: "2006-04-04")
            try await fixture.publish(
                EducationCompleted(personId: person, date: day("2026-02-20"), qualification: .fagbrev))
            try await fixture.publishAndWait(
                ApplicationMissing(
                    personId: person, schoolYear: SchoolYear(startYear: 2026), deadline: day("2026-03-01")))
            #expect(try await fixture.openRegistrations(of: person) == 0)
            let events = try await fixture.waitForEvents(of: person, "the closing") { $0.contains { $0.closed != nil } }
            #expect(events.compactMap(\.closed).map(\.cause) == [.educationCompleted])
            #expect(events.compactMap(\.registered).count == 1)
        }
    }

    @Test("moving county closes with OTFA_IM and registers the youth in the new county with the same reason")
    func movedCounty() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = try await registered(fixture, born: "2007-07-07", county: .trondelag)
            try await fixture.publish(personUpdated(person, county: .nordland))
            let events = try await fixture.waitForEvents(of: person, "the new registration") {
                $0.compactMap(\.registered).count == 2
            }
            let closed = try #require(events.compactMap(\.closed).first)
            #expect(closed.statusCode == .otfaIM && closed.countyNumber == .trondelag)
            let moved = try #require(events.compactMap(\.registered).last)
            #expect(moved.countyNumber == .nordland && moved.unitId == "1801" && moved.reason == .sluttet)
            #expect(moved.statusCode == .otuk)
        }
    }
}
