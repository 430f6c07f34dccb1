import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import OTSimulation
import TestTraits
import Testing

@testable import Registrations
@testable import Statistics

/// The whole pipeline: a simulated school year of upstream events and case-worker commands (what `otctl simulate`
/// publishes) through `ot-registrations` and `ot-statistics`, in-process on the embedded broker.
@Suite(
    "Statistics of a simulated school year, end to end", .serialized, .tags(.broker), .needsBroker,
    .timeLimit(.minutes(5)))
struct PipelineTests {
    @Test("the figures published from a simulated year match a replay of the registrations service's own events")
    func simulatedYear() async throws {
        let topics = [
            Topic.enrollment, .registrationCommands, .registrations, .replies, .statisticsRepartition, .statistics,
            .deadLetters(of: .registrations), .deadLetters(of: .statistics), .changelog(of: .registrations),
            .changelog(of: .statistics),
        ]
        let kafka = try EmbeddedKafka(brokers: 1, topics: topics.map(\.name))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-pipeline-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Both services' clock at the end of the simulated school year, as `otctl dev` sets it.
        let clock = TestClock(noon("2026-07-31"))
        let consumed = AwaitableLog<Int>()
        let registrations = InProcessWorker(
            kafka: kafka, service: ServiceName.registrations.rawValue,
            inputTopics: [Topic.enrollment.name, Topic.registrationCommands.name],
            handler: RegistrationsHandler(units: try Units.bundled()),
            directory: directory.appendingPathComponent("registrations")
        ) { configuration in
            configuration.clock = { clock.now }
            configuration.onBatchCommitted = { summary in Task { await consumed.append(summary.messages) } }
        }
        let statistics = InProcessWorker(
            kafka: kafka, service: ServiceName.statistics.rawValue,
            inputTopics: [Topic.registrations.name, Topic.statisticsRepartition.name], handler: StatisticsHandler(),
            directory: directory.appendingPathComponent("statistics")
        ) { configuration in
            configuration.clock = { clock.now }
        }
        let output = try await TopicWatcher(kafka: kafka, topics: [Topic.statistics.name])
        let producer = try kafka.makeProducer()

        // Wave by wave, each consumed before the next (the service does not order its two inputs; SimulatedStream).
        let stream = try CohortSimulation(youths: 800, seed: 5, schoolYear: SchoolYear(startYear: 2025)).generate()
        var published = 0
        for wave in stream.waves {
            try await producer.sendAll(wave.map(\.message))
            published += wave.count
            let target = published
            try await consumed.wait("ot-registrations consumed \(target) events", timeout: .seconds(180)) {
                $0.reduce(0, +) >= target
            }
        }
        // A graceful stop publishes the whole outbox: the registrations topic is then final.
        try await registrations.stop()
        let events = try await kafka.readToEnd(Topic.registrations.name).map {
            try RegistrationEvent(
                CloudEvent.decode(value: $0.value, headers: $0.headers.map { ($0.name, $0.value) }))
        }
        #expect(events.count > 2 * stream.summary.registered)
        var expected: [StatisticsKey: [String: Int]] = [:]
        for (period, day) in [
            (StatisticsPeriod.reportingDate(date("2026-02-01")), date("2026-02-01")),
            (.reportingDate(date("2026-06-15")), date("2026-06-15")), (.current, date("2026-07-31")),
        ] {
            expected.merge(ExpectedFigures.compute(events, asOf: day, period: period)) { first, _ in first }
        }
        let periods: Set<StatisticsPeriod> = [
            .current, .reportingDate(date("2026-02-01")), .reportingDate(date("2026-06-15")),
        ]
        try await output.waitForFigures(expected, periods: periods, timeout: .seconds(90))
        let national = latest(await output.messages)[.national(.current)]
        #expect(national?.openRegistrations == expected[.national(.current)]?["openRegistrations"])
        // A registration a case worker closed as Feil (registered in error) never counts.
        #expect(
            national?.schoolYearFlow.registered == stream.summary.registered - stream.summary.registeredInError)

        try await statistics.stop()
        await output.stop()
        await producer.shutdown()
    }
}
