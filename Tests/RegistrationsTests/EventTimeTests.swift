import Foundation
import GRDB
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import Registrations

/// Every ordering of `items`.
func permutations<Element>(_ items: [Element]) -> [[Element]] {
    guard items.count > 1 else { return [items] }
    return items.indices.flatMap { index in
        var rest = items
        let first = rest.remove(at: index)
        return permutations(rest).map { [first] + $0 }
    }
}

/// Outcomes follow the dates events carry, never the order they arrive in (issue 10, items 1, 2 and 4). Every
/// expected registration is written out from the scenario and the rules in docs/registrations.md.
@Suite("Registrations: event time", .serialized, .timeLimit(.minutes(5)), .tags(.broker), .needsBroker)
struct EventTimeTests {
    static let year2024 = SchoolYear(startYear: 2024)
    static let year2025 = SchoolYear(startYear: 2025)
    static let year2026 = SchoolYear(startYear: 2026)

    static func started(
        _ person: NationalID, _ date: String, _ year: SchoolYear, kind: EnrollmentKind = .pupil
    ) -> EnrollmentStarted {
        EnrollmentStarted(
            personId: person, schoolYear: year, schoolOrgNumber: "974544202", programmeAreaCode: "SSSSF1----",
            startDate: day(date), kind: kind)
    }

    static func droppedOut(_ person: NationalID, _ date: String, _ year: SchoolYear) -> EnrollmentDroppedOut {
        EnrollmentDroppedOut(personId: person, schoolYear: year, date: day(date), reasonCode: .highAbsence)
    }

    /// Publishes, for one new youth born on `born` per order, that youth's `events` (each dated noon of its day, or
    /// the clock's time without one) in every order of arrival, all at once, and waits until the service has
    /// processed each youth's last.
    ///
    /// - Returns: The youths.
    static func publishInEveryOrder(
        born: String, _ fixture: RegistrationsFixture,
        _ events: (NationalID) -> [(payload: any PersonKeyedPayload, day: String?)]
    ) async throws -> [NationalID] {
        var people: [(NationalID, CloudEvent)] = []
        let count = events(try NationalID.synthetic(birthDate: day(born), index: 100)).count
        for (index, order) in permutations(Array(0..<count)).enumerated() {
            let person = try NationalID.synthetic(birthDate: day(born), index: 100 + index)
            let script = events(person)
            var last: CloudEvent?
            for index in order {
                let (payload, day) = script[index]
                if let day {
                    last = try await fixture.publish(payload, on: day)
                } else {
                    last = try await fixture.publish(payload)
                }
            }
            people.append((person, try #require(last)))
        }
        for (person, last) in people { try await fixture.waitUntilProcessed(last, of: person) }
        return people.map(\.0)
    }

    /// Waits until each of `people` has exactly the registrations `expected` outlines (`what`, for a timeout's
    /// message), checks that `open` of them are open, and returns each one's events, in the order of `people`.
    @discardableResult
    static func expect(
        _ expected: [RegistrationOutline], open: Int, of people: [NationalID], _ what: String,
        _ fixture: RegistrationsFixture
    ) async throws -> [[RegistrationEvent]] {
        var all: [[RegistrationEvent]] = []
        for person in people {
            all.append(try await fixture.waitForEvents(of: person, what) { RegistrationOutline.of($0) == expected })
            #expect(try await fixture.openRegistrations(of: person) == open, "\(person)")
        }
        return all
    }

    @Test(
        "an enrollment lasts its school year: a youth who does not apply for the next one is registered when it begins")
    func enrollmentPerSchoolYear() async throws {
        try await RegistrationsFixture.with(today: "2026-03-02") { fixture in
            // A pupil of 2025-2026 who did not apply for 2026-2027 by 1 March 2026: in school until 31 July, in the
            // target group from 1 August.
            let pupil = youth(born: "2009-04-04")
            // A pupil of 2024-2025 only (that enrollment ended 31 July 2025) who did not apply either: out of school
            // on the deadline, so registered on it.
            let former = youth(born: "2009-05-05")
            for (person, enrolled) in [
                (pupil, Self.started(pupil, "2025-08-18", Self.year2025)),
                (former, Self.started(former, "2024-08-19", Self.year2024)),
            ] {
                try await fixture.publish(personUpdated(person))
                try await fixture.publish(enrolled)
                try await fixture.publishAndWait(
                    ApplicationMissing(personId: person, schoolYear: Self.year2026, deadline: day("2026-03-01")))
            }
            try await fixture.waitForEvents(of: former, "the former pupil's registration") {
                RegistrationOutline.of($0)
                    == [
                        RegistrationOutline(
                            registeredAt: day("2026-03-01"), schoolYear: Self.year2025, reason: .ikkeSokt)
                    ]
            }
            #expect(try await fixture.openRegistrations(of: pupil) == 0)

            fixture.clock.set(noon("2026-08-02"))
            try await fixture.waitForEvents(of: pupil, "the pupil's registration on 1 August") {
                RegistrationOutline.of($0)
                    == [
                        RegistrationOutline(
                            registeredAt: day("2026-08-01"), schoolYear: Self.year2026, reason: .ikkeSokt)
                    ]
            }
        }
    }

    @Test(
        "a dropout and two enrollments in every order of arrival give one registration, from the dropout to the re-enrollment"
    )
    func dropoutAndReEnrollmentInEveryOrder() async throws {
        try await RegistrationsFixture.with(today: "2026-03-02") { fixture in
            // Enrolled 18 August, dropped out (high absence) 10 October, back in school 12 January: in OT from
            // 10 October to 12 January, then a pupil again (OTEV_IM).
            let expected = [
                RegistrationOutline(
                    registeredAt: day("2025-10-10"), schoolYear: Self.year2025, reason: .sluttet,
                    closedOn: day("2026-01-12"),
                    cause: .statusCode, closingStatus: .otevIM)
            ]
            let people = try await Self.publishInEveryOrder(born: "2009-06-06", fixture) { person in
                [
                    (personUpdated(person), nil),
                    (Self.started(person, "2025-08-18", Self.year2025), nil),
                    (Self.droppedOut(person, "2025-10-10", Self.year2025), nil),
                    (Self.started(person, "2026-01-12", Self.year2025), nil),
                ]
            }
            #expect(people.count == 24)
            try await Self.expect(
                expected, open: 0, of: people, "one registration from 10 October to 12 January", fixture)
        }
    }

    @Test(
        "a missing application of a pupil in every order of arrival registers the youth on 1 August, never on the deadline"
    )
    func missingApplicationInEveryOrder() async throws {
        try await RegistrationsFixture.with(today: "2026-08-10") { fixture in
            let expected = [
                RegistrationOutline(registeredAt: day("2026-08-01"), schoolYear: Self.year2026, reason: .ikkeSokt)
            ]
            let people = try await Self.publishInEveryOrder(born: "2009-07-07", fixture) { person in
                [
                    (personUpdated(person), nil), (Self.started(person, "2025-08-18", Self.year2025), nil),
                    (ApplicationMissing(personId: person, schoolYear: Self.year2026, deadline: day("2026-03-01")), nil),
                ]
            }
            #expect(people.count == 6)
            try await Self.expect(expected, open: 1, of: people, "one registration from 1 August", fixture)
        }
    }

    @Test(
        "a move in every order of arrival: registered where the youth lived on the trigger's day, moved on the day of the move"
    )
    func moveInEveryOrder() async throws {
        try await RegistrationsFixture.with(today: "2026-03-10") { fixture in
            // Lives in Trøndelag from 5 January, no application by 1 March, moves to Nordland on 5 March: registered
            // in Trøndelag on 1 March, closed there as moved (OTFA_IM) on 5 March and registered in Nordland from
            // that day with the same reason. An update dated before another is older, whenever it arrives.
            let expected = [
                RegistrationOutline(
                    registeredAt: day("2026-03-01"), schoolYear: Self.year2025, reason: .ikkeSokt,
                    closedOn: day("2026-03-05"), cause: .statusCode, closingStatus: .otfaIM),
                RegistrationOutline(registeredAt: day("2026-03-05"), schoolYear: Self.year2025, reason: .ikkeSokt),
            ]
            let people = try await Self.publishInEveryOrder(born: "2009-08-08", fixture) { person in
                [
                    (personUpdated(person, county: .trondelag), "2026-01-05"),
                    (
                        ApplicationMissing(personId: person, schoolYear: Self.year2026, deadline: day("2026-03-01")),
                        "2026-03-01"
                    ),
                    (personUpdated(person, county: .nordland), "2026-03-05"),
                ]
            }
            #expect(people.count == 6)
            let eventsOfEach = try await Self.expect(
                expected, open: 1, of: people, "registered in Trøndelag, then Nordland", fixture)
            for (person, events) in zip(people, eventsOfEach) {
                // The counties of the registrations that count (not set to Feil), in the order they were made.
                let inError = Set(events.compactMap(\.statusChanged).filter { $0.to == .feil }.map(\.registrationId))
                let counties = events.compactMap(\.registered).filter { !inError.contains($0.registrationId) }
                    .map(\.countyNumber)
                #expect(counties == [.trondelag, .nordland], "\(person)")
            }
        }
    }

    @Test(
        "two person.updated of one time in every order of arrival: the one with the greater county number, then gender, counts as the later"
    )
    func sameTimeUpdatesInEveryOrder() async throws {
        try await RegistrationsFixture.with(today: "2026-03-10") { fixture in
            // Two updates with the same time (noon of 5 January) and no application by 1 March. Time cannot order
            // them, so the greater values decide (docs/registrations.md, "Moves"): Trøndelag (50) over Nordland
            // (18), with that update's gender; and of two in one county and municipality, M over K. (An event
            // carries the person as they were when it was made: a registration made before the update that counts
            // arrived keeps the other gender, so the second case reads the store.)
            let expected = [
                RegistrationOutline(registeredAt: day("2026-03-01"), schoolYear: Self.year2025, reason: .ikkeSokt)
            ]
            let missing = { (person: NationalID) in
                ApplicationMissing(personId: person, schoolYear: Self.year2026, deadline: day("2026-03-01"))
            }
            let counties = try await Self.publishInEveryOrder(born: "2009-10-10", fixture) { person in
                [
                    (personUpdated(person, county: .nordland, gender: .mann), "2026-01-05"),
                    (personUpdated(person, county: .trondelag, gender: .kvinne), "2026-01-05"),
                    (missing(person), "2026-03-01"),
                ]
            }
            let genders = try await Self.publishInEveryOrder(born: "2009-11-11", fixture) { person in
                [
                    (personUpdated(person, county: .trondelag, gender: .kvinne), "2026-01-05"),
                    (personUpdated(person, county: .trondelag, gender: .mann), "2026-01-05"),
                    (missing(person), "2026-03-01"),
                ]
            }
            #expect(counties.count == 6 && genders.count == 6)
            for (people, gender) in [(counties, Gender.kvinne), (genders, .mann)] {
                let eventsOfEach = try await Self.expect(expected, open: 1, of: people, "one registration", fixture)
                for (person, events) in zip(people, eventsOfEach) {
                    // The person as stored: the values of the update that counts as the later.
                    let stored = try fixture.store(of: person).read { db in
                        try Row.fetchOne(
                            db, sql: "SELECT county, gender FROM persons WHERE person_id = ?",
                            arguments: [person.digits])
                    }
                    #expect(stored?["county"] == County.trondelag.rawValue, "\(person)")
                    #expect(stored?["gender"] == gender.rawValue, "\(person)")
                    guard people == counties else { continue }
                    // Registered in Nordland while only that update was known, the registration is set to Feil when
                    // the other arrives: the one that counts is Trøndelag's, with that update's gender.
                    let inError = Set(
                        events.compactMap(\.statusChanged).filter { $0.to == .feil }.map(\.registrationId))
                    let counting = events.compactMap(\.registered).filter { !inError.contains($0.registrationId) }
                    #expect(counting.map(\.countyNumber) == [.trondelag], "\(person)")
                    #expect(counting.map(\.gender) == [.kvinne], "\(person)")
                }
            }
        }
    }

    @Test("two triggers of one day in every order of arrival: the reason first in the code list decides")
    func sameDayTriggersInEveryOrder() async throws {
        try await RegistrationsFixture.with(today: "2026-03-10") { fixture in
            // Out of school; on 1 March both a dropout (SLUTTET) and a declined offer (TAKKET_NEI) put the youth in
            // the target group. TAKKET_NEI comes before SLUTTET in the code list, so it gives the reason.
            let expected = [
                RegistrationOutline(registeredAt: day("2026-03-01"), schoolYear: Self.year2025, reason: .takketNei)
            ]
            let people = try await Self.publishInEveryOrder(born: "2009-09-09", fixture) { person in
                [
                    (personUpdated(person), "2026-01-05"),
                    (Self.droppedOut(person, "2026-03-01", Self.year2025), "2026-03-01"),
                    (
                        OfferAnswered(
                            personId: person, schoolYear: Self.year2026, programmeAreaCode: "SSSSF1----",
                            schoolOrgNumber: "974544202", answer: .declined), "2026-03-01"
                    ),
                ]
            }
            #expect(people.count == 6)
            try await Self.expect(expected, open: 1, of: people, "one registration, TAKKET_NEI", fixture)
        }
    }

    /// Events that arrive after the registration they concern has closed: an enrollment of a day before the school
    /// year's end closed it, a trigger of a day before it began, a move of a day before it closed for another
    /// reason. A youth no case worker has acted on ends as if each had arrived on its day; what was made otherwise
    /// is set to `Feil`.
    @Test("an enrollment, a trigger and a move arriving after the registration closed still decide by their dates")
    func lateAfterTheRegistrationClosed() async throws {
        try await RegistrationsFixture.with(today: "2025-09-10") { fixture in
            let dropout = { (person: NationalID, date: String) in Self.droppedOut(person, date, Self.year2024) }
            // 1. Out of school from a dropout on 1 October 2024; the school year's end closed the registration
            // (31 July) and a new one continued it on 1 August, before an apprenticeship that began on 17 February
            // arrives: in OT from 1 October to 17 February (OTLL_IM), and nothing after.
            let apprentice = youth(born: "2007-05-05")
            try await fixture.publish(personUpdated(apprentice), on: "2024-08-10")
            try await fixture.publishAndWait(dropout(apprentice, "2024-10-01"))
            try await fixture.waitForEvents(of: apprentice, "the registration continued into 2025-2026") {
                RegistrationOutline.of($0).map(\.schoolYear) == [Self.year2024, Self.year2025]
            }
            try await fixture.publish(
                Self.started(apprentice, "2025-02-17", Self.year2024, kind: .apprentice), on: "2025-02-17")
            try await Self.expect(
                [
                    RegistrationOutline(
                        registeredAt: day("2024-10-01"), schoolYear: Self.year2024, reason: .sluttet,
                        closedOn: day("2025-02-17"), cause: .statusCode, closingStatus: .otllIM)
                ], open: 0, of: [apprentice], "one registration, closed when the apprenticeship began", fixture)

            // 2. Registered by a declined offer on 6 January, back in school on 19 February; then a dropout of
            // 9 November arrives: in OT from 9 November (SLUTTET) to 19 February. The declined offer finds the youth
            // registered already.
            let dropped = youth(born: "2007-06-06")
            try await fixture.publish(personUpdated(dropped), on: "2024-08-10")
            try await fixture.publish(
                OfferAnswered(
                    personId: dropped, schoolYear: Self.year2025, programmeAreaCode: "SSSSF1----",
                    schoolOrgNumber: "974544202", answer: .declined), on: "2025-01-06")
            try await fixture.publishAndWait(Self.started(dropped, "2025-02-19", Self.year2024))
            try await fixture.waitForEvents(of: dropped, "the registration from 6 January closed") {
                RegistrationOutline.of($0).map(\.closedOn) == [day("2025-02-19")]
            }
            try await fixture.publish(dropout(dropped, "2024-11-09"), on: "2024-11-09")
            try await Self.expect(
                [
                    RegistrationOutline(
                        registeredAt: day("2024-11-09"), schoolYear: Self.year2024, reason: .sluttet,
                        closedOn: day("2025-02-19"), cause: .statusCode, closingStatus: .otevIM)
                ], open: 0, of: [dropped], "one registration from the dropout of 9 November", fixture)

            // 3. Registered in Trøndelag on 1 October, in school from 1 March; then an update of 1 December arrives:
            // the youth lived in Oslo from that day. Moved then (OTFA_IM), registered in Oslo until 1 March.
            let mover = youth(born: "2007-07-07")
            try await fixture.publish(personUpdated(mover, county: .trondelag), on: "2024-08-10")
            try await fixture.publish(dropout(mover, "2024-10-01"), on: "2024-10-01")
            try await fixture.waitUntilProcessed(
                try await fixture.publish(Self.started(mover, "2025-03-01", Self.year2024), on: "2025-03-01"))
            try await fixture.waitForEvents(of: mover, "the registration in Trøndelag closed") {
                RegistrationOutline.of($0).map(\.closedOn) == [day("2025-03-01")]
            }
            try await fixture.publish(personUpdated(mover, county: .oslo), on: "2024-12-01")
            let events = try await Self.expect(
                [
                    RegistrationOutline(
                        registeredAt: day("2024-10-01"), schoolYear: Self.year2024, reason: .sluttet,
                        closedOn: day("2024-12-01"), cause: .statusCode, closingStatus: .otfaIM),
                    RegistrationOutline(
                        registeredAt: day("2024-12-01"), schoolYear: Self.year2024, reason: .sluttet,
                        closedOn: day("2025-03-01"), cause: .statusCode, closingStatus: .otevIM),
                ], open: 0, of: [mover], "registered in Trøndelag, then in Oslo", fixture)
            let inError = Set(events[0].compactMap(\.statusChanged).filter { $0.to == .feil }.map(\.registrationId))
            #expect(
                events[0].compactMap(\.registered).filter { !inError.contains($0.registrationId) }.map(\.countyNumber)
                    == [.trondelag, .oslo])
            // The registration closed on 1 March in Trøndelag never counted.
            let closedInTrondelag = events[0].compactMap(\.closed).filter {
                $0.countyNumber == .trondelag && $0.statusCode == .otevIM
            }
            #expect(closedInTrondelag.count == 1)
            #expect(closedInTrondelag.allSatisfy { inError.contains($0.registrationId) })
        }
    }

    /// A youth a case worker reached in one spell of OT, and out of school again a year later: the later spell's
    /// registrations follow the events' dates whatever order they arrived in, as the registrations of a youth no
    /// case worker has acted on do, and the case worker's registration stays as it was. (Until the mark was kept
    /// per registration, every registration after any command changed only forward, and the late apprenticeship
    /// below left the school year's end to close the registration and a new one open.)
    @Test("after the registration a case worker acted on closed, later registrations still follow the events' dates")
    func laterSpellAfterACaseWorker() async throws {
        try await RegistrationsFixture.with(today: "2023-10-02") { fixture in
            let year2023 = SchoolYear(startYear: 2023)
            let apprenticeship = { (person: NationalID) in
                Self.started(person, "2025-02-17", Self.year2024, kind: .apprentice)
            }
            let inOrder = youth(born: "2007-05-05", 1)
            let late = youth(born: "2007-05-05", 2)

            // The first spell, live: out of school from 2 October 2023, reached by phone on 20 October (OTOV), in
            // school again from 8 January 2024.
            for person in [inOrder, late] {
                try await fixture.publish(personUpdated(person), on: "2023-08-10")
                try await fixture.publishAndWait(Self.droppedOut(person, "2023-10-02", year2023))
            }
            fixture.clock.set(noon("2023-10-20"))
            for person in [inOrder, late] {
                let reply = try await fixture.command(
                    RecordContact(personId: person, date: day("2023-10-20"), channel: .phone, reached: true))
                #expect(reply.status == .accepted)
            }
            fixture.clock.set(noon("2024-01-08"))
            for person in [inOrder, late] {
                try await fixture.publishAndWait(Self.started(person, "2024-01-08", year2023))
            }

            // The second spell: a dropout of 1 October 2024 and an apprenticeship from 17 February 2025. In order,
            // each on its day; late, the apprenticeship arrives in September, after the school year's end closed
            // the registration (31 July) and a new one continued it.
            fixture.clock.set(noon("2025-02-17"))
            try await fixture.publish(Self.droppedOut(inOrder, "2024-10-01", Self.year2024), on: "2024-10-01")
            try await fixture.waitUntilProcessed(
                try await fixture.publish(apprenticeship(inOrder), on: "2025-02-17"), of: inOrder)
            fixture.clock.set(noon("2025-09-10"))
            try await fixture.waitUntilProcessed(
                try await fixture.publish(Self.droppedOut(late, "2024-10-01", Self.year2024), on: "2024-10-01"),
                of: late)
            try await fixture.waitForEvents(of: late, "the second registration continued into 2025-2026") {
                RegistrationOutline.of($0).map(\.schoolYear) == [year2023, Self.year2024, Self.year2025]
            }
            try await fixture.publish(apprenticeship(late), on: "2025-02-17")

            let events = try await Self.expect(
                [
                    RegistrationOutline(
                        registeredAt: day("2023-10-02"), schoolYear: year2023, reason: .sluttet,
                        closedOn: day("2024-01-08"), cause: .statusCode, closingStatus: .otevIM),
                    RegistrationOutline(
                        registeredAt: day("2024-10-01"), schoolYear: Self.year2024, reason: .sluttet,
                        closedOn: day("2025-02-17"), cause: .statusCode, closingStatus: .otllIM),
                ], open: 0, of: [inOrder, late], "the case worker's registration, then one until the apprenticeship",
                fixture)
            for personEvents in events {
                // The case worker's contact stands: the first registration was OTOV from 20 October until it closed.
                let first = try #require(personEvents.compactMap(\.registered).first)
                let changes = personEvents.compactMap(\.statusChanged).filter {
                    $0.registrationId == first.registrationId
                }
                #expect(changes.map(\.to) == [.otov, .otevIM])
            }
        }
    }

    /// An enrollment that arrives late closes the registration a case worker acted on, on its own day; a dropout
    /// after it that arrived while that registration was still open registers the youth in the same step, as it
    /// would have had the two arrived in date order.
    @Test("a late enrollment closing a case worker's registration lets a dropout known already register at once")
    func lateExitOfACaseWorkersRegistration() async throws {
        try await RegistrationsFixture.with(today: "2024-10-01") { fixture in
            let person = youth(born: "2007-03-03")
            try await fixture.publish(personUpdated(person), on: "2024-08-10")
            try await fixture.publishAndWait(Self.droppedOut(person, "2024-10-01", Self.year2024))
            fixture.clock.set(noon("2024-10-15"))
            let reply = try await fixture.command(
                RecordContact(personId: person, date: day("2024-10-15"), channel: .phone, reached: true))
            #expect(reply.status == .accepted)
            // On 5 March: a dropout of 1 March, while the registration is open; then an enrollment of 10 January.
            fixture.clock.set(noon("2025-03-05"))
            try await fixture.publishAndWait(Self.droppedOut(person, "2025-03-01", Self.year2024))
            try await fixture.publishAndWait(Self.started(person, "2025-01-10", Self.year2024))
            try await Self.expect(
                [
                    RegistrationOutline(
                        registeredAt: day("2024-10-01"), schoolYear: Self.year2024, reason: .sluttet,
                        closedOn: day("2025-01-10"), cause: .statusCode, closingStatus: .otevIM),
                    RegistrationOutline(registeredAt: day("2025-03-01"), schoolYear: Self.year2024, reason: .sluttet),
                ], open: 1, of: [person], "the case worker's registration closed on 10 January, then one from 1 March",
                fixture)
        }
    }

    /// The roll-over at 1 August must not run ahead of events that happened before it. Live, an enrollment on
    /// 20 July closes the registration that day, and no new school year's registration follows; after downtime
    /// over the boundary, the backlog must give the same.
    @Test("catching up after downtime over 1 August gives the events running live gave")
    func catchingUpEqualsLive() async throws {
        let expected = [
            RegistrationOutline(
                registeredAt: day("2026-03-10"), schoolYear: Self.year2025, reason: .sluttet,
                closedOn: day("2026-07-20"),
                cause: .statusCode, closingStatus: .otevIM)
        ]
        let dropout = { (person: NationalID) in Self.droppedOut(person, "2026-03-10", Self.year2025) }

        // Live: each event as it happens.
        var liveKinds: [String] = []
        try await RegistrationsFixture.with(today: "2026-03-10") { live in
            let person = youth(born: "2008-08-08")
            try await live.publish(personUpdated(person))
            try await live.publishAndWait(dropout(person))
            live.clock.set(noon("2026-07-20"))
            try await live.publishAndWait(Self.started(person, "2026-07-20", Self.year2025))
            live.clock.set(noon("2026-08-05"))
            liveKinds = try await live.waitForEvents(of: person, "the registration closed on 20 July") {
                RegistrationOutline.of($0) == expected
            }.map(\.kind)
        }

        // With downtime: registered in March as live; the service is down from July over 1 August while the
        // enrollment of 20 July waits in the topic; it starts again on 5 August.
        try await RegistrationsFixture.with(today: "2026-03-10") { later in
            let again = youth(born: "2008-08-08")
            try await later.publish(personUpdated(again))
            try await later.publishAndWait(dropout(again))
            try await later.waitForEvents(of: again, "the registration") { $0.contains { $0.registered != nil } }
            try await later.stopWorker()
            let last = try await later.publish(Self.started(again, "2026-07-20", Self.year2025), on: "2026-07-20")
            later.clock.set(noon("2026-08-05"))
            try await later.startWorker()
            try await later.waitUntilProcessed(last, of: again)
            let caughtUp = try await later.waitForEvents(of: again, "the registration closed on 20 July") {
                RegistrationOutline.of($0) == expected
            }
            #expect(caughtUp.map(\.kind) == liveKinds)
            #expect(try await later.openRegistrations(of: again) == 0)
        }
    }
}

extension RegistrationEvent {
    /// The event's type, for comparing two runs' event sequences.
    var kind: String {
        switch self {
        case .registered: "registered"
        case .contactRecorded: "contact-recorded"
        case .statusChanged(let changed): "status-changed \(changed.from.rawValue)→\(changed.to.rawValue)"
        case .activityRecorded: "activity-recorded"
        case .transferred: "transferred"
        case .closed(let closed): "closed \(closed.cause.rawValue)"
        case .erased: "erased"
        }
    }
}
