import Foundation
import OTContract
import OTRuntimeTesting
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

    @Test(
        "after a transfer to another county, an older person.updated arriving late moves no one back; a newer one moves the youth on"
    )
    func transferThenUpdates() async throws {
        try await RegistrationsFixture.with(today: "2026-03-10") { fixture in
            let person = youth(born: "2008-08-08")
            try await fixture.publish(personUpdated(person, county: .trondelag), on: "2026-01-05")
            try await fixture.publish(
                EnrollmentDroppedOut(
                    personId: person, schoolYear: SchoolYear(startYear: 2025), date: day("2026-02-10"),
                    reasonCode: .highAbsence), on: "2026-02-10")
            try await fixture.waitForEvents(of: person, "a registration") { $0.contains { $0.registered != nil } }
            let transfer = try await fixture.command(
                TransferRegistration(
                    personId: person, toUnitId: "1801", toCountyNumber: .nordland, date: day("2026-03-02")),
                time: noon("2026-03-02"))
            #expect(transfer.status == .accepted)
            // Older than the transfer: where the youth lived on 20 February, nothing more.
            let older = try await fixture.publish(personUpdated(person, county: .trondelag), on: "2026-02-20")
            try await fixture.waitUntilProcessed(older, of: person)
            #expect(try await fixture.events(of: person).compactMap(\.registered).count == 2)
            // Newer: the youth moved to Oslo on 5 March.
            try await fixture.publish(personUpdated(person, county: .oslo), on: "2026-03-05")
            let expected = [
                RegistrationOutline(
                    registeredAt: day("2026-02-10"), schoolYear: SchoolYear(startYear: 2025), reason: .sluttet,
                    closedOn: day("2026-03-02"), cause: .statusCode, closingStatus: .otfaIM),
                RegistrationOutline(
                    registeredAt: day("2026-03-02"), schoolYear: SchoolYear(startYear: 2025), reason: .sluttet,
                    closedOn: day("2026-03-05"), cause: .statusCode, closingStatus: .otfaIM),
                RegistrationOutline(
                    registeredAt: day("2026-03-05"), schoolYear: SchoolYear(startYear: 2025), reason: .sluttet),
            ]
            let events = try await fixture.waitForEvents(of: person, "registered in Trøndelag, Nordland, Oslo") {
                RegistrationOutline.of($0) == expected
            }
            #expect(events.compactMap(\.registered).map(\.countyNumber) == [.trondelag, .nordland, .oslo])
        }
    }

    @Test("moving county closes with OTFA_IM and registers the youth in the new county with the same reason")
    func movedCounty() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = try await registered(fixture, born: "2007-07-07", county: .trondelag)
            // A minute after the first update: of two with one time, the greater county number would count as the
            // later (docs/registrations.md, "Moves"), and Trøndelag's is.
            try await fixture.publish(
                personUpdated(person, county: .nordland), time: fixture.clock.now.addingTimeInterval(60))
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
