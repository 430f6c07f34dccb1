import ArgumentParser
import Foundation
import Kafka
import OTContract
import OTSimulation

/// `otctl simulate`: publishes a simulated school year for synthetic youths.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Publish a seeded, simulated school year of upstream events and case-worker commands.",
        discussion: """
            For each synthetic youth: no.vigo.person.updated, a trigger (not applied, dropped out, declined a \
            place, a manual registration, or none), and for the registered the case workers' commands over the \
            year, on vigo.enrollment.v1 and ot.registrations.commands.v1 in date order. The same seed gives the \
            same events (ids included): publishing them again changes nothing.

            ot-registrations does not order its two input topics with each other, so a command published with the \
            trigger it follows may be processed first and rejected. With --wait-for-service PORT (the service's \
            HTTP port) the stream goes out in three waves, each processed before the next; `otctl dev --cohort` \
            does this. The services' clock must be in the simulated school year (OT_CLOCK; `otctl dev` sets it), \
            or the 1 August roll-over runs between the year's events.
            """)

    @Option(help: "How many synthetic youths.")
    var count: Int = 1_000

    @Option(help: "The seed: the same seed gives the same stream.")
    var seed: UInt64 = 2026

    @Option(help: "Events per second; 0 publishes as fast as possible.")
    var rate: Double = 0

    @Option(help: "The school year, such as 2025-2026 (default: the most recently ended one).")
    var schoolYear: String?

    @Option(
        name: .customLong("wait-for-service"),
        help: "The HTTP port of a service to wait for between waves (repeatable), such as 8081.")
    var servicePorts: [Int] = []

    @Flag(help: "Generate and summarise only; publish nothing.")
    var dryRun = false

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        guard (0...CohortSimulation.maximumYouths).contains(count) else {
            throw ValidationError("--count must be 0 to \(CohortSimulation.maximumYouths.grouped)")
        }
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 or more events per second") }
        _ = try Self.schoolYear(schoolYear)
    }

    func run() async throws {
        let simulation = CohortSimulation(youths: count, seed: seed, schoolYear: try Self.schoolYear(schoolYear))
        let started = ContinuousClock.now
        let stream = try simulation.generate()
        output(stream.summary.description)
        output("generated in \(started.duration(to: .now).seconds)")
        Self.warnAboutBrokerLimit(stream)
        guard !dryRun else { return }

        let kafka = try await broker.configuration()
        let cluster = try ClusterReader(kafka: kafka)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: kafka), logger: otctlLogger)
        var publisher = StreamPublisher(producer: producer, rate: rate)
        if !servicePorts.isEmpty {
            let watcher = ServiceWatcher(ports: servicePorts, cluster: cluster)
            let topics: Set<String> = [Topic.enrollment.name, Topic.registrationCommands.name]
            publisher.barrier = { try await watcher.waitUntilConsumed(topics) }
        } else if stream.summary.eventsByTopic[Topic.registrationCommands.name, default: 0] > 0 {
            printNote(
                "note: without --wait-for-service, a command may overtake the upstream event it follows and be "
                    + "rejected (see otctl simulate --help)")
        }
        let report: StreamPublisher.Report
        do {
            report = try await publisher.publish(stream)
        } catch {
            await producer.shutdown(timeout: .seconds(5))
            await cluster.close()
            throw error
        }
        await producer.shutdown()
        await cluster.close()
        output(Self.describe(report))
    }

    /// The school year of the option, or the most recently ended one.
    static func schoolYear(_ text: String?) throws -> SchoolYear {
        guard let text else { return .mostRecentlyEnded() }
        do {
            return try SchoolYear(text)
        } catch {
            throw ValidationError("--school-year: \(error)")
        }
    }

    /// One line about a publication.
    static func describe(_ report: StreamPublisher.Report) -> String {
        let topics = report.byTopic.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }
        return "published \(report.delivered.grouped) events (\(topics.joined(separator: ", "))) in "
            + "\(report.duration.seconds)\(report.waves > 1 ? ", \(report.waves) waves" : "")"
    }

    /// Warns when the stream fills a partition beyond what the embedded broker keeps.
    static func warnAboutBrokerLimit(_ stream: SimulatedStream) {
        guard let largest = stream.largestPartition(), largest.bytes > 4 * 1024 * 1024 else { return }
        printNote(
            "warning: partition \(largest.partition) of \(largest.topic) gets \(largest.bytes / 1024) KiB; the "
                + "embedded broker keeps at most 5 MiB per partition and drops older messages silently "
                + "(docs/broker.md): use fewer youths with ot-dev-broker")
    }
}
