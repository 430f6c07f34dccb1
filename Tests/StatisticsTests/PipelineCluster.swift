import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTSimulation
import Testing

/// `ot-registrations` and `ot-statistics` as child processes, any number of instances of each, on a broker of the
/// cluster's own: what an operator runs, started, stopped, killed and given empty disks at will.
actor PipelineCluster {
    static let topics = [
        Topic.enrollment, .registrationCommands, .registrations, .replies, .statisticsRepartition, .statistics,
        .deadLetters(of: .registrations), .deadLetters(of: .statistics), .changelog(of: .registrations),
        .changelog(of: .statistics),
    ]

    /// One running instance: the process and every line it printed (its log included).
    private struct Instance {
        var process: ChildProcess
        var log: AwaitableLog<String>
    }

    let kafka: EmbeddedKafka
    private let root: URL
    /// The services' clock (`OT_CLOCK`): the last day of the simulated school year, as `otctl dev` sets it.
    private let clock: String
    private var instances: [String: Instance] = [:]
    private let producer: KafkaProducer

    init(clock: String) throws {
        kafka = try EmbeddedKafka(brokers: 1, topics: Self.topics.map(\.name))
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ot-scaling-\(UUID())")
        self.clock = clock
        producer = try kafka.makeProducer()
    }

    /// The instance's name: `<service>-<instance>`, e.g. `ot-registrations-a`.
    static func name(_ service: ServiceName, _ instance: String) -> String { "\(service.rawValue)-\(instance)" }

    /// Starts an instance with the disk (data folder) of that name, as it is: empty the first time, and as the
    /// instance left it afterwards unless ``loseDisk(_:_:)`` removed it.
    func start(_ service: ServiceName, _ instance: String) async throws {
        let name = Self.name(service, instance)
        let process = try await ChildProcess(
            executable: service.rawValue,
            environment: [
                "KAFKA_BROKERS": kafka.configuration.bootstrapServers,
                "OT_DATA_DIR": root.appendingPathComponent(name).path, "OT_HTTP_PORT": "0",
                "OT_INSTANCE_ID": instance, "OT_CLOCK": clock,
                // A restored partition that would have to read input it had processed before stops the service:
                // the input topics' early records count as gone.
                "OT_FORBID_INPUT_REWIND": "1",
                // The mock broker's group timeouts (EmbeddedKafka.applyTestTimeouts): a dead member's partitions
                // move after 6 s, and a joining member does not wait for the group's default 5 minutes.
                "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_MAX_POLL_INTERVAL_MS": "8000",
                "OT_LOG_LEVEL": ProcessInfo.processInfo.environment["OT_LOG_LEVEL"] ?? "info",
            ],
            includingStandardError: true)
        let log = AwaitableLog<String>()
        Task {
            for await line in process.lines { await log.append(line) }
        }
        instances[name] = Instance(process: process, log: log)
    }

    /// SIGTERM, and the exit status.
    @discardableResult
    func stop(_ service: ServiceName, _ instance: String) async -> Int32? {
        guard let running = instances.removeValue(forKey: Self.name(service, instance)) else { return nil }
        return await running.process.terminate()
    }

    /// SIGKILL: no shutdown, nothing flushed.
    func kill(_ service: ServiceName, _ instance: String) async {
        await instances.removeValue(forKey: Self.name(service, instance))?.process.kill()
    }

    /// Removes the instance's data folder, as when a container is rescheduled onto another machine.
    func loseDisk(_ service: ServiceName, _ instance: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(Self.name(service, instance)))
    }

    /// How many lines the instance printed so far.
    func lineCount(_ service: ServiceName, _ instance: String) async -> Int {
        await instances[Self.name(service, instance)]?.log.entries.count ?? 0
    }

    /// Kills the instance with SIGKILL the moment it logs that it starts restoring a partition store, after line
    /// `after` of its output; returns its lines from there up to the kill.
    func killWhenRestoring(
        _ service: ServiceName, _ instance: String, after: Int, timeout: Duration = .seconds(60)
    ) async throws -> [String] {
        let name = Self.name(service, instance)
        guard let running = instances[name] else { return [] }
        try await running.log.wait("\(name) to start restoring a partition", timeout: timeout) { lines in
            lines.dropFirst(after).contains { $0.contains(Self.restoringLine) }
        }
        await kill(service, instance)
        return Array(await running.log.entries.dropFirst(after))
    }

    /// Delays every answer of the cluster's broker by `roundTripTime` (`.zero`: no delay).
    func setRoundTripTime(_ roundTripTime: Duration) throws {
        try kafka.cluster.setBrokerRoundTripTime(1, roundTripTime)
    }

    /// A round trip slow enough that a restore (at least two round trips after its first line: the fetch position
    /// and a fetch) outlasts the time the test takes to see that line and kill the instance (milliseconds, longer on
    /// a busy machine), yet short enough that the leaving instances' last rounds and the rebalances take seconds,
    /// not minutes (one second per round trip made them outlast a minute).
    static let slowRoundTrip = Duration.milliseconds(250)

    /// The runtime's log message when a partition store is restored from the changelog (ChangelogRestore).
    static let restoringLine = "restoring a partition store from the changelog"

    /// Publishes `events` and waits until both services consumed everything upstream of the statistics topic.
    func publish(_ events: [SimulatedEvent]) async throws {
        try await producer.sendAll(events.map(\.message))
        do {
            try await waitUntilConsumed()
        } catch {
            // What the instances said explains a timeout: their whole output, kept beside the test's files.
            let logs = FileManager.default.temporaryDirectory.appendingPathComponent("ot-scaling-logs-\(UUID())")
            try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            for (name, running) in instances {
                let text = (await running.log.entries).joined(separator: "\n")
                try? text.write(to: logs.appendingPathComponent("\(name).log"), atomically: false, encoding: .utf8)
            }
            print("the instances' output: \(logs.path)")
            throw error
        }
    }

    private func waitUntilConsumed() async throws {
        try await kafka.waitUntilConsumed(
            group: ServiceName.registrations.rawValue,
            topics: [Topic.enrollment.name, Topic.registrationCommands.name], timeout: .seconds(120))
        try await kafka.waitUntilConsumed(
            group: ServiceName.statistics.rawValue,
            topics: [Topic.registrations.name, Topic.statisticsRepartition.name], timeout: .seconds(120))
    }

    /// Stops every instance gracefully and returns the exit statuses by instance name.
    func stopAll() async -> [String: Int32] {
        var statuses: [String: Int32] = [:]
        for (name, running) in instances { statuses[name] = await running.process.terminate() }
        instances = [:]
        return statuses
    }

    /// Everything the services published, for comparison with another run.
    func outputs() async throws -> PipelineOutputs {
        try PipelineOutputs(
            registrations: await kafka.readToEnd(Topic.registrations.name),
            replies: await kafka.readToEnd(Topic.replies.name),
            statistics: await kafka.readToEnd(Topic.statistics.name),
            deadLetters: await kafka.messageCount(of: Topic.deadLetters(of: .registrations).name)
                + kafka.messageCount(of: Topic.deadLetters(of: .statistics).name))
    }

    /// Runs `body` on a new cluster, then stops every instance gracefully (each must exit 0) and returns what the
    /// services published; the cluster's broker and files go in every case.
    static func run(clock: String, _ body: (PipelineCluster) async throws -> Void) async throws -> PipelineOutputs {
        let cluster = try PipelineCluster(clock: clock)
        do {
            try await body(cluster)
            let statuses = await cluster.stopAll()
            #expect(statuses.values.allSatisfy { $0 == 0 }, "exit statuses: \(statuses)")
            let outputs = try await cluster.outputs()
            await cluster.finish()
            return outputs
        } catch {
            await cluster.finish()
            throw error
        }
    }

    func finish() async {
        _ = await stopAll()
        await producer.shutdown()
        try? FileManager.default.removeItem(at: root)
    }
}
