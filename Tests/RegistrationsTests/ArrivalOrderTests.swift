import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import OTSimulation
import TestTraits
import Testing

@testable import Registrations

/// Outcomes follow the dates events carry, never the order they arrive in (docs/registrations.md, "Event time"),
/// checked on random histories rather than chosen ones: each youth's upstream events over two school years (moves
/// between counties, triggers of every kind, dropouts, enrollments, completion, aging out, the 1 August roll-over),
/// played for three youths with the same history: one receives the events in date order, one in a random order,
/// one in reverse date order. The three must end with the same registrations. ``EventTimeTests`` checks chosen
/// scenarios in every order against registrations written out from the rules; this one searches for orders no one
/// thought of. The same kind of histories played live, day by day, must also end as catching up after downtime does.
@Suite(
    "Registrations: random histories in any order of arrival", .serialized, .timeLimit(.minutes(5)), .tags(.broker),
    .needsBroker)
struct ArrivalOrderTests {
    /// The service's clock: the last day of the second school year, so that every event has happened.
    static let today = "2026-07-31"
    static let first = day("2024-08-01")
    static let last = day("2026-07-30")

    /// A youth's history: their birth date and their upstream events, each at a time of its own (some on one day).
    struct History {
        var born: LocalDate
        var events: [HistoryEvent]
    }

    /// An upstream event of a history: its day, and its minute past noon that day (its order within the day; two
    /// updates of one minute have one time, which nothing orders).
    struct HistoryEvent {
        var date: LocalDate
        var minute: Int
        var payload: (NationalID) -> any PersonKeyedPayload

        /// The event as the harness publishes one, at its time in Norway.
        func message(for person: NationalID) throws -> KafkaProducerMessage {
            let payload = payload(person)
            let event = try CloudEvent(
                payload, source: "urn:test", time: noon(date.description).addingTimeInterval(Double(minute) * 60))
            return KafkaProducerMessage(
                topic: Topic.enrollment.name, key: Array(payload.partitionKey.utf8), value: event.structuredJSON(),
                headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
        }
    }

    /// A registration as the store keeps it, without its id (which derives from the order of processing).
    struct Outcome: Comparable, CustomStringConvertible {
        var registeredAt: LocalDate
        var schoolYear: SchoolYear
        var reason: RegistrationReason
        var county: County
        var unitId: String
        var origin: String
        var status: OTStatusCode
        var statusDate: LocalDate
        var closedAt: LocalDate?

        init(_ record: RegistrationRecord) {
            registeredAt = record.registeredAt
            schoolYear = record.schoolYear
            reason = record.reason
            county = record.county
            unitId = record.unitId
            origin = record.origin.rawValue
            status = record.status
            statusDate = record.statusDate
            closedAt = record.closedAt
        }

        static func < (lhs: Outcome, rhs: Outcome) -> Bool { lhs.description < rhs.description }

        var description: String {
            "\(registeredAt) \(schoolYear) \(reason.rawValue) \(county.rawValue)/\(unitId) \(origin) \(status.rawValue)@"
                + "\(statusDate) " + (closedAt.map { "closed \($0)" } ?? "open")
        }
    }

    @Test(
        "three youths with one random history, each receiving it in another order, end with the same registrations",
        arguments: [UInt64(20_261_206), 7])
    func sameOutcomeInAnyOrder(seed: UInt64) async throws {
        try await Self.playInThreeOrders(seed: seed, caseWorkerFirst: false)
    }

    /// The same after a spell a case worker decided: each youth in the target group then was registered by a case
    /// worker on 1 March 2024 and closed by them on 3 June (`OTAR_IM`), before the history begins. The registrations after it
    /// follow the history's dates as those of a youth no case worker acted on do (docs/registrations.md,
    /// "Corrections").
    @Test(
        "after a registration a case worker made and closed, one random history in three orders ends alike",
        arguments: [UInt64(20_261_207)])
    func sameOutcomeAfterACaseWorker(seed: UInt64) async throws {
        try await Self.playInThreeOrders(seed: seed, caseWorkerFirst: true)
    }

    static func playInThreeOrders(seed: UInt64, caseWorkerFirst: Bool) async throws {
        var generator = SeededGenerator(seed: seed)
        let histories = (0..<250).map { _ in Self.history(using: &generator) }
        // With the case worker's spell first, the clock stands on its last day until it is done: the ticks must
        // not take the registration into the next school year before the case worker closes it.
        try await RegistrationsFixture.with(today: caseWorkerFirst ? "2024-06-03" : Self.today) { fixture in
            // Three youths per history, with the history's birth date: date order, a random order, reverse order.
            var used: [LocalDate: Int] = [:]
            var youths: [[NationalID]] = []
            var streams: [[KafkaProducerMessage]] = [[], [], []]
            for history in histories {
                var copies: [NationalID] = []
                for order in 0..<3 {
                    let index = used[history.born, default: 0]
                    used[history.born] = index + 1
                    let person = try NationalID.synthetic(birthDate: history.born, index: index)
                    copies.append(person)
                    let dated = history.events.sorted { ($0.date, $0.minute) < ($1.date, $1.minute) }
                    let arranged =
                        switch order {
                        case 0: dated
                        case 1: dated.shuffled(using: &generator)
                        default: Array(dated.reversed())
                        }
                    streams[order] += try arranged.map { try $0.message(for: person) }
                }
                youths.append(copies)
            }
            // The case worker's spell first, each command on its day: the two input topics are not ordered with
            // each other, so the history follows once every command is answered.
            var decided = 0
            if caseWorkerFirst {
                var commands: [CloudEvent] = []
                // In OT's age group on 1 March 2024: from the year they turn 15 to the year they turn 21 (the law
                // before 1 August 2024).
                for youth in youths.joined() where (15...21).contains(2024 - youth.birthDate.year) {
                    commands.append(
                        try await fixture.publish(
                            RegisterYouth(
                                personId: youth, unitId: "5001", countyNumber: .trondelag, reason: .annet,
                                date: day("2024-03-01")),
                            time: noon("2024-03-01"), correlationID: UUID().uuidString))
                    commands.append(
                        try await fixture.publish(
                            CloseRegistration(personId: youth, date: day("2024-06-03"), statusCode: .otarIM),
                            time: noon("2024-06-03"), correlationID: UUID().uuidString))
                    decided += 1
                }
                for command in commands {
                    let reply = try await fixture.reply(to: command)
                    #expect(reply.status == .accepted, "\(command.type): \(reply.reason ?? "")")
                }
                fixture.clock.set(noon(Self.today))
            }
            // All at once, the three orders interleaved: a person's own events keep their order (one key, one
            // partition), and different persons' events are independent of each other.
            try await Self.waitUntilCommitted(
                try await fixture.send(Self.interleaved(streams, using: &generator)), fixture)
            let everyone = youths.flatMap { $0 }
            try await Self.waitUntilSettled(everyone, fixture)

            let registrations = try Self.registrations(of: everyone, fixture)
            var differing: [String] = []
            var counted = (registrations: 0, moved: 0, continued: 0, closed: 0, supersededElsewhere: 0)
            for copies in youths {
                let all = copies.map { registrations[$0] ?? [] }
                let outcomes = all.map { $0.filter { $0.closeStatus != .feil }.map(Outcome.init).sorted() }
                counted.registrations += outcomes[0].count
                counted.moved += outcomes[0].filter { $0.origin == "MOVED" }.count
                counted.continued += outcomes[0].filter { $0.origin == "CONTINUED" }.count
                counted.closed += outcomes[0].filter { $0.closedAt != nil }.count
                counted.supersededElsewhere += all[1].filter(\.superseded).count + all[2].filter(\.superseded).count
                if outcomes[1] != outcomes[0] || outcomes[2] != outcomes[0] {
                    differing.append(
                        "born \(copies[0].birthDate):\n  date order:    \(outcomes[0])\n  random order:  "
                            + "\(outcomes[1])\n  reverse order: \(outcomes[2])")
                }
            }
            // What readers of ot.registrations.v1 see is what the store holds: the corrections' events tell them.
            for youth in everyone {
                let stored = Self.outlines(registrations[youth] ?? [])
                try await fixture.waitForEvents(of: youth, "the events to tell the stored registrations") {
                    Self.sorted(RegistrationOutline.of($0)) == stored
                }
            }
            #expect(
                differing.isEmpty,
                """
                \(differing.count) of \(histories.count) histories ended otherwise in another order; the first:
                \(differing.prefix(3).joined(separator: "\n"))
                """)
            // The histories reach what they are meant to: else the comparison above proves little.
            #expect(counted.registrations > histories.count / 2, "registrations: \(counted)")
            #expect(counted.moved > 0, "registrations after a move: \(counted)")
            #expect(counted.continued > 0, "registrations continued into a new school year: \(counted)")
            #expect(counted.closed > 0, "closed registrations: \(counted)")
            #expect(
                counted.supersededElsewhere > 0, "registrations set to Feil when an earlier event came late: \(counted)"
            )
            if caseWorkerFirst {
                // Each case worker's registration stands, closed as they closed it, in all three orders.
                let standing = youths.joined().map { registrations[$0] ?? [] }.filter { registrations in
                    registrations.contains {
                        $0.origin == .command && $0.decided && $0.closeStatus == .otarIM
                            && $0.closedAt == day("2024-06-03")
                    }
                }
                #expect(decided > 0 && standing.count == decided)
            }
        }
    }

    /// Live, each event arrives on its day and the ticks run between the days; after downtime, every event waits in
    /// the topic until the service starts again at the end of the second school year. Both must end alike
    /// (docs/registrations.md, "Time-driven rules").
    @Test("random histories played live, day by day, end with the registrations of catching up after downtime")
    func liveEqualsCaughtUp() async throws {
        var generator = SeededGenerator(seed: 20_261_207)
        let histories = (0..<40).map { _ in Self.history(using: &generator) }
        try await RegistrationsFixture.with(today: Self.first.description) { fixture in
            var used: [LocalDate: Int] = [:]
            var pairs: [(live: NationalID, caughtUp: NationalID)] = []
            var live: [(event: HistoryEvent, message: KafkaProducerMessage)] = []
            var caughtUp: [(event: HistoryEvent, message: KafkaProducerMessage)] = []
            for history in histories {
                let index = used[history.born, default: 0]
                used[history.born] = index + 2
                let pair = (
                    live: try NationalID.synthetic(birthDate: history.born, index: index),
                    caughtUp: try NationalID.synthetic(birthDate: history.born, index: index + 1)
                )
                pairs.append(pair)
                for event in history.events {
                    live.append((event, try event.message(for: pair.live)))
                    caughtUp.append((event, try event.message(for: pair.caughtUp)))
                }
            }
            // Live: day by day, the clock at noon of the day, each day's events processed and the ticks done before
            // the next day.
            let days = Dictionary(grouping: live, by: \.event.date).sorted { $0.key < $1.key }
            for (day, events) in days {
                // The clock after the day's last event: a day's events are published in their order.
                let inOrder = events.sorted { $0.event.minute < $1.event.minute }
                fixture.clock.set(noon(day.description).addingTimeInterval(Double(inOrder.last!.event.minute + 1) * 60))
                try await Self.waitUntilCommitted(try await fixture.send(inOrder.map(\.message)), fixture)
                try await Self.waitUntilSettled(pairs.map(\.live), today: day, fixture)
            }
            fixture.clock.set(noon(Self.today))
            try await Self.waitUntilSettled(pairs.map(\.live), today: day(Self.today), fixture)

            // After downtime: every event at once, in date order, on the last day.
            let backlog = caughtUp.sorted { ($0.event.date, $0.event.minute) < ($1.event.date, $1.event.minute) }
                .map(\.message)
            try await Self.waitUntilCommitted(try await fixture.send(backlog), fixture)
            try await Self.waitUntilSettled(pairs.map(\.caughtUp), today: day(Self.today), fixture)

            let registrations = try Self.registrations(of: pairs.flatMap { [$0.live, $0.caughtUp] }, fixture)
            func outcomes(_ youth: NationalID) -> [Outcome] {
                (registrations[youth] ?? []).filter { $0.closeStatus != .feil }.map(Outcome.init).sorted()
            }
            let differing = pairs.filter { outcomes($0.live) != outcomes($0.caughtUp) }.map {
                "born \($0.live.birthDate):\n  live:       \(outcomes($0.live))\n  caught up:  \(outcomes($0.caughtUp))"
            }
            #expect(
                differing.isEmpty,
                """
                \(differing.count) of \(histories.count) histories ended otherwise live; the first:
                \(differing.prefix(3).joined(separator: "\n"))
                """)
            let counted = pairs.map { outcomes($0.live) }.joined()
            #expect(counted.count > histories.count / 2, "registrations: \(counted.count)")
            #expect(counted.contains { $0.origin == "CONTINUED" }, "a registration continued into a new school year")
        }
    }

    // MARK: Histories

    /// A random history: one to three `person.updated` (a move when the county changes), and one to five other
    /// upstream events, between 1 August 2024 and 30 July 2026; about half of them on a day another event of the
    /// youth has too, each at a minute of its own past noon, except that half the updates of a day another update has
    /// too share that one's minute (two updates of one time).
    static func history(using generator: inout SeededGenerator) -> History {
        let born = LocalDate(
            daysSince1970: Int.random(
                in: day("2001-01-01").daysSince1970...day("2011-12-31").daysSince1970, using: &generator))
        let span = first.daysSince1970...last.daysSince1970
        var days: [Int] = []
        let count = Int.random(in: 1...3, using: &generator) + Int.random(in: 1...5, using: &generator)
        while days.count < count {
            let shared = !days.isEmpty && Bool.random(using: &generator)
            days.append(shared ? days.randomElement(using: &generator)! : Int.random(in: span, using: &generator))
        }
        var dates = days.shuffled(using: &generator).map(LocalDate.init(daysSince1970:))
        let counties: [County] = [.trondelag, .oslo, .vestland]
        let gender: Gender = Bool.random(using: &generator) ? .kvinne : .mann
        var events: [HistoryEvent] = []
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            guard let date = dates.popLast() else { break }
            let county = counties.randomElement(using: &generator)!
            // Half the updates of a day another update has too share its time: only their values order them.
            let sameTime = events.last { $0.date == date }.flatMap { Bool.random(using: &generator) ? $0 : nil }
            events.append(
                HistoryEvent(date: date, minute: sameTime?.minute ?? events.count) { person in
                    PersonUpdated(
                        personId: person, birthDate: person.birthDate, gender: gender, countyNumber: county,
                        municipalityNumber: county.rawValue + "01")
                })
        }
        for date in dates {
            let schoolYear = date.schoolYear
            // Applications and answers in the spring are for the school year that starts in August.
            let applyingFor = (3...7).contains(date.month) ? schoolYear.next : schoolYear
            let payload: (NationalID) -> any PersonKeyedPayload
            switch Int.random(in: 0..<7, using: &generator) {
            case 0:
                payload = { ApplicationMissing(personId: $0, schoolYear: applyingFor, deadline: date) }
            case 1:
                payload = {
                    OfferAnswered(
                        personId: $0, schoolYear: applyingFor, programmeAreaCode: "SSSSF1----",
                        schoolOrgNumber: "974544202", answer: .declined)
                }
            case 2, 3:
                let reason = DropoutReason.allCases.randomElement(using: &generator)!
                payload = {
                    EnrollmentDroppedOut(personId: $0, schoolYear: schoolYear, date: date, reasonCode: reason)
                }
            case 4, 5:
                let kind = EnrollmentKind.allCases.randomElement(using: &generator)!
                payload = {
                    EnrollmentStarted(
                        personId: $0, schoolYear: schoolYear, schoolOrgNumber: "974544202",
                        programmeAreaCode: "SSSSF1----", startDate: date, kind: kind)
                }
            default:
                let qualification = Qualification.allCases.randomElement(using: &generator)!
                payload = { EducationCompleted(personId: $0, date: date, qualification: qualification) }
            }
            events.append(HistoryEvent(date: date, minute: events.count, payload: payload))
        }
        return History(born: born, events: events)
    }

    /// The streams merged at random, each keeping its own order.
    static func interleaved(
        _ streams: [[KafkaProducerMessage]], using generator: inout SeededGenerator
    ) -> [KafkaProducerMessage] {
        var next = streams.map { _ in 0 }
        var merged: [KafkaProducerMessage] = []
        while merged.count < streams.reduce(0, { $0 + $1.count }) {
            let open = streams.indices.filter { next[$0] < streams[$0].count }
            let stream = open.randomElement(using: &generator)!
            merged.append(streams[stream][next[stream]])
            next[stream] += 1
        }
        return merged
    }

    // MARK: Outcomes

    /// Waits until the ticks have brought every youth up to today: no open registration of an ended school year or
    /// past its upper age, and no fact left waiting for its day.
    static func waitUntilSettled(
        _ youths: [NationalID], today: LocalDate = day(Self.today), _ fixture: RegistrationsFixture
    ) async throws {
        let partitions = Dictionary(grouping: youths) { fixture.partition(of: $0.digits) }.values.map { $0[0] }
        try await fixture.ticks.wait(until: "the ticks to bring every youth up to \(today)") {
            var waiting = 0
            for youth in partitions {
                waiting += try await fixture.store(of: youth).read { db in
                    try RegistrationRecord.duePersons(db, today: today).count
                        + (Int.fetchOne(
                            db, sql: "SELECT count(*) FROM persons_due WHERE date <= ?",
                            arguments: [today.description]) ?? 0)
                }
            }
            return waiting == 0
        }
    }

    /// Waits until the service has committed every message up to `positions` (the last of each partition).
    static func waitUntilCommitted(
        _ positions: [KafkaTopicPartitionOffset], _ fixture: RegistrationsFixture
    ) async throws {
        for position in positions { try await fixture.waitUntilCommitted(position) }
    }

    /// The outlines of the registrations that count (not set to `Feil`), as their events should tell them.
    static func outlines(_ registrations: [RegistrationRecord]) -> [RegistrationOutline] {
        sorted(
            registrations.filter { $0.closeStatus != .feil }.map {
                RegistrationOutline(
                    registeredAt: $0.registeredAt, schoolYear: $0.schoolYear, reason: $0.reason, closedOn: $0.closedAt,
                    cause: $0.closeCause, closingStatus: $0.closeStatus)
            })
    }

    /// Outlines in a fixed order: a correction makes registrations in another order than date order.
    static func sorted(_ outlines: [RegistrationOutline]) -> [RegistrationOutline] {
        outlines.sorted { $0.description < $1.description }
    }

    /// Every registration of each youth, as their partition's store holds it (one connection per partition).
    static func registrations(
        of youths: [NationalID], _ fixture: RegistrationsFixture
    ) throws -> [NationalID: [RegistrationRecord]] {
        var registrations: [NationalID: [RegistrationRecord]] = [:]
        for group in Dictionary(grouping: youths, by: { fixture.partition(of: $0.digits) }).values {
            try fixture.store(of: group[0]).read { db in
                for youth in group { registrations[youth] = try RegistrationRecord.all(db, youth) }
            }
        }
        return registrations
    }
}
