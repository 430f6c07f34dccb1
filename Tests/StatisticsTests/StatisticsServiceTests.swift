import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import Statistics

@Suite("ot-statistics through the embedded broker", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct StatisticsServiceTests {
    static let today = "2026-11-29"
    static let periods: [(StatisticsPeriod, LocalDate)] = [
        (.reportingDate(date("2025-06-15")), date("2025-06-15")),
        (.reportingDate(date("2026-02-01")), date("2026-02-01")),
        (.reportingDate(date("2026-06-15")), date("2026-06-15")),
        (.current, date(today)),
    ]

    static func expected(_ events: [RegistrationEvent]) -> [StatisticsKey: [String: Int]] {
        var expected: [StatisticsKey: [String: Int]] = [:]
        for (period, day) in periods {
            expected.merge(ExpectedFigures.compute(events, asOf: day, period: period)) { first, _ in first }
        }
        return expected
    }

    @Test("the published figures match an independent replay, now and at every reporting date; no personal data")
    func figuresMatchReplay() async throws {
        let stream = RegistrationStream(youths: 1_500, seed: 7)
        try await StatisticsFixture.with(today: Self.today) { fixture in
            // Everything waits in the topic before the service starts, as after downtime: large batches.
            try await fixture.publish(stream.events)
            try fixture.startInstance()
            let expected = Self.expected(stream.events)
            let records = try await fixture.waitForFigures(expected, periods: Set(Self.periods.map(\.0)))

            let national = try #require(records[.national(.current)])
            #expect(national.openRegistrations == expected[.national(.current)]?["openRegistrations"])
            #expect((national.openRegistrations ?? 0) > 500)
            #expect(records.keys.filter { $0.scope == .county && $0.period == .current }.count == County.allCases.count)
            #expect(
                records.keys.filter { $0.scope == .unit && $0.period == .current }.count == 2 * County.allCases.count)
            #expect(records.values.contains { !$0.suppressed.isEmpty }, "small unit cells are suppressed")

            // Coalesced: far fewer records than input events.
            let messages = await fixture.output.messages
            #expect(
                messages.count < stream.events.count / 4, "\(messages.count) records for \(stream.events.count) events")

            // No national ID or birth date of anyone in the stream appears on the statistics topic.
            let text = messages.map { String(decoding: $0.value ?? [], as: UTF8.self) }.joined(separator: "\n")
            let people = Set(stream.events.map(\.personDigits))
            #expect(!people.contains { text.contains($0) })
            let data = try messages.map { message in
                String(decoding: try decodedEvent(message).data ?? [], as: UTF8.self)
            }.joined(separator: "\n")
            #expect(data.range(of: #"(?<![\d.])\d{11}(?!\d)"#, options: .regularExpression) == nil)
            #expect(!text.contains("birthDate") && !text.contains("personId"))
        }
    }

    @Test("two instances in one group publish the same figures as one, with the same cells suppressed")
    func twoInstances() async throws {
        let stream = RegistrationStream(youths: 900, seed: 11)
        try await StatisticsFixture.with(today: Self.today) { fixture in
            try fixture.startInstance()
            try fixture.startInstance()
            // Both members own partitions before the input arrives: what is compared is two instances' figures,
            // not a rebalance in the middle of the stream (the scaling tests move partitions under load).
            try await fixture.waitUntilReady(instance: 0)
            try await fixture.waitUntilReady(instance: 1)
            try await fixture.publish(stream.events)
            let expected = Self.expected(stream.events)
            // Suppression depends only on the figures: what one instance computes from them is what two publish. A
            // period's records are computed together but reach a reader one by one, so the test waits for the last
            // of them rather than comparing at the first moment the counts agree (issue 10, item 10).
            var suppressed: [StatisticsKey: Set<String>] = [:]
            for (period, _) in Self.periods {
                let entries = ExpectedFigures.suppressionEntries(expected, period: period)
                let hidden = Set(["schoolYearFlow.notReachedActivity", "schoolYearFlow.notRegisteredPreviousYear"])
                for (key, cells) in Suppression(entries).run() { suppressed[key] = cells.subtracting(hidden) }
            }
            let periods = Set(Self.periods.map(\.0))
            let expectedSuppressed = suppressed
            @Sendable func differences(_ records: [StatisticsKey: StatisticsUpdated]) -> [String] {
                mismatches(records, expected: expected, periods: periods)
                    + expectedSuppressed.compactMap { key, cells in
                        let published = Set(records[key]?.suppressed ?? [])
                        return published == cells
                            ? nil : "\(key) suppresses \(published.sorted()), expected \(cells.sorted())"
                    }
            }
            do {
                try await fixture.output.wait("the figures and their suppression", timeout: .seconds(180)) { messages in
                    differences(latest(messages)).isEmpty
                }
            } catch {
                Issue.record("\(differences(latest(await fixture.output.messages)).prefix(10))")
                throw error
            }
            // And what was published hides what it must from any linear combination of the sums (checked by the
            // tests' own solver, not the service's).
            let records = latest(await fixture.output.messages)
            for (period, _) in Self.periods {
                let entries = ExpectedFigures.suppressionEntries(expected, period: period)
                let published = Dictionary(
                    uniqueKeysWithValues: entries.map { ($0.key, Set(records[$0.key]?.suppressed ?? [])) })
                #expect(SuppressionTests.recoverable(entries, suppressed: published).isEmpty, "\(period)")
            }
        }
    }

    @Test("a reporting date that passes gets its figures, and a late back-dated change corrects them")
    func reportingDatePasses() async throws {
        try await StatisticsFixture.with(today: "2026-01-20") { fixture in
            try fixture.startInstance()
            let stream = RegistrationStream(youths: 300, seed: 3)
            let early = stream.events.filter { $0.fields.date <= date("2026-01-20") }
            try await fixture.publish(early)
            try await fixture.waitForFigures(
                ExpectedFigures.compute(early, asOf: date("2026-01-20"), period: .current), periods: [.current])

            fixture.clock.set(noon("2026-02-03"))
            let reporting = StatisticsPeriod.reportingDate(date("2026-02-01"))
            try await fixture.waitForFigures(
                ExpectedFigures.compute(early, asOf: date("2026-02-01"), period: reporting), periods: [reporting])
            // `current` is published again as of the new day, even where no count changed.
            try await fixture.output.wait("current as of 2026-02-03") { messages in
                latest(messages).filter { $0.key.period == .current }.allSatisfy { $0.value.asOf == date("2026-02-03") }
            }

            // A status change effective 25 January, arriving now, moves a youth to group 4 as of 1 February.
            // The first registration whose latest event so far leaves it open and not already in OTSY.
            let latestByRegistration = Dictionary(early.map { ($0.fields.registration, $0) }) { _, last in last }
            let open = try #require(
                early.compactMap { event -> (YouthRegistered, RegistrationEvent)? in
                    guard case .registered(let registered) = event,
                        let last = latestByRegistration[registered.registrationId],
                        last.fields.open, last.fields.code != .otsy
                    else { return nil }
                    return (registered, last)
                }.first)
            let (first, lastCode) = (open.0, open.1.fields)
            let correction = RegistrationEvent.statusChanged(
                StatusChanged(
                    registrationId: first.registrationId, personId: first.personId, unitId: lastCode.unit,
                    countyNumber: lastCode.county, schoolYear: first.schoolYear, from: lastCode.code!, to: .otsy,
                    reason: first.reason, statusGroup: .avklart, effectiveDate: date("2026-01-25"),
                    birthDate: first.birthDate,
                    gender: first.gender))
            try await fixture.publish([correction])
            try await fixture.waitForFigures(
                ExpectedFigures.compute(early + [correction], asOf: date("2026-02-01"), period: reporting),
                periods: [reporting])
        }
    }

    @Test(
        "an erased youth is no longer counted now and leaves no byte in the store files, also after a restore; past reporting dates stay"
    )
    func erasure() async throws {
        // The body is a method of its own: as a closure, it crashes Swift 6.3's SendNonSendable pass.
        try await StatisticsFixture.with(today: Self.today) { try await erasure(in: $0) }
    }

    @Test(
        "an erased youth counts in no reporting date after the erasure, also one the clock passed before the erasure was processed (a replay)"
    )
    func erasureBeforeAReportingDate() async throws {
        // Replayed on 20 June: 1 February and 15 June have passed on the clock when the events are processed.
        try await StatisticsFixture.with(today: "2026-06-20") { try await erasureBeforeAReportingDate(in: $0) }
    }

    private func erasureBeforeAReportingDate(in fixture: StatisticsFixture) async throws {
        try fixture.startInstance()
        let year = SchoolYear(startYear: 2025)
        let birth = date("2008-05-17")
        // Ten youths registered on 1 September 2025; five of them left OT on 1 December and were erased on 1 March,
        // after 1 February and before 15 June. Live, 15 June came after the erasure and never counted them.
        var events: [RegistrationEvent] = []
        var erasures: [RegistrationEvent] = []
        var erased: Set<String> = []
        for index in 0..<10 {
            let person = try NationalID.synthetic(birthDate: birth, index: 300 + index)
            let id = "erased-before-june-\(index)"
            events.append(
                .registered(
                    YouthRegistered(
                        registrationId: id, personId: person, unitId: "5001", countyNumber: .trondelag,
                        schoolYear: year, registeredAt: date("2025-09-01"), reason: .sluttet, statusCode: .otuk,
                        statusGroup: .ukjentAktivitet, birthDate: birth, gender: .kvinne)))
            guard index < 5 else { continue }
            events.append(
                .closed(
                    RegistrationClosed(
                        registrationId: id, personId: person, unitId: "5001", countyNumber: .trondelag,
                        schoolYear: year, cause: .statusCode, reason: .sluttet, statusCode: .otevIM,
                        statusGroup: .ikkeIMalgruppen, effectiveDate: date("2025-12-01"), birthDate: birth,
                        gender: .kvinne)))
            erasures.append(
                .erased(YouthErased(personId: person, registrationIds: [id], erasedAt: Timestamp(noon("2026-03-01")))))
            erased.insert(person.digits)
        }
        let february = StatisticsPeriod.reportingDate(date("2026-02-01"))
        let june = StatisticsPeriod.reportingDate(date("2026-06-15"))
        try await fixture.publish(events)
        try await fixture.waitForFigures(
            ExpectedFigures.compute(events, asOf: date("2026-02-01"), period: february).merging(
                ExpectedFigures.compute(events, asOf: date("2026-06-15"), period: june), uniquingKeysWith: { $1 }),
            periods: [february, june])

        try await fixture.publish(erasures)
        let remaining = events.filter { !erased.contains($0.personDigits) }
        try await fixture.waitForFigures(
            ExpectedFigures.compute(remaining, asOf: date("2026-06-15"), period: june), periods: [june],
            timeout: .seconds(60))
        // 1 February had passed when they were erased: it keeps them, as published.
        #expect(
            mismatches(
                latest(await fixture.output.messages),
                expected: ExpectedFigures.compute(events, asOf: date("2026-02-01"), period: february),
                periods: [february]
            ).isEmpty)
    }

    private func erasure(in fixture: StatisticsFixture) async throws {
        try fixture.startInstance()
        let stream = RegistrationStream(youths: 200, seed: 5)
        try await fixture.publish(stream.events)
        try await fixture.waitForFigures(Self.expected(stream.events), periods: Set(Self.periods.map(\.0)))

        let openNow = ExpectedFigures.compute(stream.events, asOf: date(Self.today), period: .current)
        let person = try #require(
            stream.events.first { event in
                event.fields.schoolYear.startYear == 2026 && event.fields.open
            }
        ).fields
        let erasedID = try NationalID(person.person)
        // The control: the person is in the store's files now, so the search below can find them.
        #expect(try !StoreFiles.containing(person.person, under: fixture.directory).isEmpty)
        try await fixture.publish([
            .erased(YouthErased(personId: erasedID, registrationIds: ["x"], erasedAt: Timestamp.now()))
        ])
        let remaining = stream.events.filter { $0.personDigits != person.person }
        var expected = ExpectedFigures.compute(remaining, asOf: date(Self.today), period: .current)
        expected[.national(.current)] = expected[.national(.current)] ?? [:]
        try await fixture.waitForFigures(expected, periods: [.current])
        // Not a byte of the person is left in any store file.
        try await StoreFiles.waitUntilNoneContain(person.person, under: fixture.directory, after: fixture.scrubs)
        #expect(
            openNow[.national(.current)]?["openRegistrations"] != expected[.national(.current)]?["openRegistrations"])
        // 15 June 2026 is unchanged.
        let june = StatisticsPeriod.reportingDate(date("2026-06-15"))
        #expect(
            mismatches(
                latest(await fixture.output.messages),
                expected: ExpectedFigures.compute(stream.events, asOf: date("2026-06-15"), period: june),
                periods: [june]
            ).isEmpty)
        // Nor does a restore on an empty disk bring any of it back: another instance takes the partitions from the
        // changelog, where the person's rows end with their tombstones.
        try await fixture.stop(instance: 0)
        try await fixture.startAndWaitUntilReady(instance: 1)
        #expect(try StoreFiles.containing(person.person, under: fixture.directory) == [])
        // The control: the youths not erased were restored there.
        let kept = try #require(remaining.first).personDigits
        #expect(try !StoreFiles.containing(kept, under: fixture.storeDirectory(of: 1)).isEmpty)
    }

    @Test("bad input goes to ot-statistics.dlq.v1 with the reason; the events after it are counted")
    func badInput() async throws {
        try await StatisticsFixture.with(today: Self.today) { fixture in
            try fixture.startInstance()
            let stream = RegistrationStream(youths: 60, seed: 9)
            try await fixture.publishRaw(key: "01820850056", value: Array("{not json".utf8))
            let unknownType = try CloudEvent(
                YouthErased(personId: try NationalID("01820850056"), registrationIds: [], erasedAt: .now()),
                source: "urn:test")
            var bytes = String(decoding: unknownType.structuredJSON(), as: UTF8.self)
            bytes = bytes.replacingOccurrences(of: "no.ot.youth.erased", with: "no.ot.youth.teleported")
            try await fixture.publishRaw(key: "01820850056", value: Array(bytes.utf8))
            try await fixture.publish(stream.events)
            try await fixture.waitForFigures(Self.expected(stream.events), periods: Set(Self.periods.map(\.0)))
            let dead = try await fixture.kafka.readToEnd(Topic.deadLetters(of: .statistics).name)
            #expect(dead.count == 2)
            let reasons = dead.compactMap {
                $0.header("ot-dlq-error").flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(reasons.contains { $0.contains("teleported") }, "\(reasons)")
        }
    }
}
