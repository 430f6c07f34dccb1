import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import OTSimulation
import TestTraits
import Testing

@testable import Registrations

/// A simulated school year's upstream events, each youth's in date order and then shuffled, through
/// `ot-registrations` on the embedded broker: the registers and the figures they make must be the same (issue 10).
/// The case workers' commands are left out of both runs: they answer what a case worker saw, so their order is
/// the case worker's.
@Suite("A simulated year in shuffled order", .serialized, .timeLimit(.minutes(10)), .tags(.broker), .needsBroker)
struct ShuffledOrderTests {
    static let clock = "2026-07-31"

    @Test(
        "each youth's events shuffled give the registers and the reporting-date figures of date order",
        arguments: [1, 2] as [UInt64])
    func shuffledPerYouth(seed: UInt64) async throws {
        let stream = try CohortSimulation(youths: 400, seed: 21, schoolYear: SchoolYear(startYear: 2025)).generate()
        let upstream = stream.events.filter { $0.topic == .enrollment }
        let inOrder = try await Self.run(upstream)

        var generator = SeededGenerator(seed: seed)
        var byYouth: [Int: [SimulatedEvent]] = [:]
        for event in upstream { byYouth[event.youth, default: []].append(event) }
        let shuffled = byYouth.keys.sorted().flatMap { byYouth[$0]!.shuffled(using: &generator) }
        #expect(shuffled != upstream)
        let outOfOrder = try await Self.run(shuffled)

        var differing: [String] = []
        for youth in stream.youths {
            let first = RegistrationOutline.of(inOrder.filter { $0.personId == youth.personId })
            let second = RegistrationOutline.of(outOfOrder.filter { $0.personId == youth.personId })
            if first != second { differing.append("youth \(youth.index): \(first) vs \(second)") }
        }
        #expect(differing.isEmpty, "\(differing.count) differ: \(differing.prefix(5))")
        #expect(inOrder.contains { if case .registered = $0 { true } else { false } })

        for (period, day) in [
            (StatisticsPeriod.reportingDate(date("2026-02-01")), date("2026-02-01")),
            (.reportingDate(date("2026-06-15")), date("2026-06-15")), (.current, date(Self.clock)),
        ] {
            #expect(
                ExpectedFigures.compute(inOrder, asOf: day, period: period)
                    == ExpectedFigures.compute(outOfOrder, asOf: day, period: period), "\(period)")
        }
    }

    /// How many persons' facts due by `today` wait for a tick in the partition stores under `directory`.
    static func factsWaiting(in directory: URL, partitions: Int32, today: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        var waiting = 0
        for partition in 0..<partitions {
            let path = directory.appendingPathComponent(String(format: "partition-%03d.sqlite", partition)).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            waiting += try DatabaseQueue(path: path, configuration: configuration).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM persons_due WHERE date <= ?", arguments: [today]) ?? 0
            }
        }
        return waiting
    }

    /// Runs `ot-registrations` in-process on its own broker over `events`, published before it starts (so that it
    /// catches up, as after downtime), on a clock at the end of the school year; returns what it published.
    static func run(_ events: [SimulatedEvent]) async throws -> [RegistrationEvent] {
        let kafka = try EmbeddedKafka(
            brokers: 1,
            topics: [
                Topic.enrollment, .registrationCommands, .registrations, .replies, .deadLetters(of: .registrations),
                .changelog(of: .registrations),
            ].map(\.name))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-shuffled-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let producer = try kafka.makeProducer()
        try await producer.sendAll(events.map(\.message))
        await producer.shutdown()
        let consumed = AwaitableLog<Int>()
        let ticks = Occurrences()
        let clock = TestClock(noon(Self.clock))
        let worker = InProcessWorker(
            kafka: kafka, service: ServiceName.registrations.rawValue,
            inputTopics: [Topic.enrollment.name, Topic.registrationCommands.name],
            handler: RegistrationsHandler(units: try Units.bundled()), directory: directory
        ) { configuration in
            configuration.clock = { clock.now }
            configuration.tickInterval = .milliseconds(100)
            configuration.onBatchCommitted = { summary in Task { await consumed.append(summary.messages) } }
            configuration.onTicked = { _ in ticks.record() }
        }
        do {
            try await consumed.wait("ot-registrations consumed \(events.count) events", timeout: .seconds(180)) {
                $0.reduce(0, +) >= events.count
            }
            // Facts dated after the day of the event that brought them wait for a tick once the partition has
            // caught up (the last batch's, or an idle one when the broker's end of a partition was not known yet).
            try await ticks.wait(until: "the ticks to take up every fact due") {
                try Self.factsWaiting(in: directory, partitions: kafka.partitions, today: Self.clock) == 0
            }
        } catch {
            try? await worker.stop()
            throw error
        }
        // A graceful stop publishes the whole outbox.
        try await worker.stop()
        return try await kafka.readToEnd(Topic.registrations.name).map {
            try RegistrationEvent(CloudEvent.decode(value: $0.value, headers: $0.headers.map { ($0.name, $0.value) }))
        }
    }
}
