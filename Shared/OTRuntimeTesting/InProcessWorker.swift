import Foundation
import Kafka
import KafkaTesting
import Logging
import OTRuntime
import ServiceLifecycle

/// A ``Worker`` running in this process inside a `ServiceGroup`, so that ``stop()`` shuts it down exactly as
/// SIGTERM would. Configured for the embedded broker: short group timeouts, fast retries, any free HTTP port.
///
/// ```swift
/// let kafka = try EmbeddedKafka(topics: Topic.all.map(\.name))
/// let worker = InProcessWorker(kafka: kafka, service: "ot-registrations", inputTopics: [...], handler: handler,
///                              directory: temporaryDirectory)
/// try await kafka.waitForMessages(in: "ot.registrations.v1", count: 1)
/// try await worker.stop()
/// ```
public final class InProcessWorker: Sendable {
    /// The worker.
    public let worker: Worker
    /// When the worker was started, for a failed test's account of how long it has had (``ServiceHarness``).
    public let started = ContinuousClock.now
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts a worker for `handler` on the embedded broker `kafka`.
    public convenience init(
        kafka: EmbeddedKafka, service: String, inputTopics: [String], handler: some WorkerHandler, directory: URL,
        configure: (inout WorkerConfiguration) -> Void = { _ in }
    ) {
        self.init(
            broker: kafka.configuration, service: service, inputTopics: inputTopics, handler: handler,
            directory: directory, configure: configure)
    }

    /// Starts a worker for `handler` on the broker that `broker` reaches (a development broker in a process of its
    /// own, ``DevBrokerProcess``).
    public init(
        broker: KafkaConfiguration, service: String, inputTopics: [String], handler: some WorkerHandler,
        directory: URL, configure: (inout WorkerConfiguration) -> Void = { _ in }
    ) {
        var configuration = WorkerConfiguration(
            service: service, inputTopics: inputTopics, kafka: broker, storeDirectory: directory, httpPort: 0)
        configuration.sessionTimeout = .seconds(6)
        // A batch is processed between two polls. A debug build under the full suite's load took longer than 8 s
        // (the interval these workers had before) for a first batch of 6,000 events: the member left the group and
        // did not come back in time; a pipeline test once waited in vain the same way with batches of 2,000
        // (docs/operations.md, "Tests"). In-process workers are only ever stopped gracefully, so a long interval
        // costs nothing, and smaller batches poll more often.
        configuration.maxPollInterval = .seconds(30)
        configuration.maxBatchSize = 1_000
        configuration.retry = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(10))
        configure(&configuration)
        var logger = Logger(label: service)
        logger.logLevel =
            ProcessInfo.processInfo.environment["OT_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        worker = Worker(configuration: configuration, handler: handler, logger: logger)
        group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
        let group = self.group
        task = Task { try await group.run() }
    }

    /// Shuts the worker down gracefully (as SIGTERM does) and waits until it has returned.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Waits until the worker returns on its own (a fatal error, which this rethrows), without asking it to stop.
    public func waitForExit() async throws {
        try await task.value
    }

    /// GETs a path of the worker's health and metrics server: the status code and the body.
    public func get(_ path: String) async throws -> (status: Int, body: String) {
        guard let port = await worker.waitUntilListening() else { throw HTTPProbe.Failure.notListening }
        return try await HTTPProbe.get(port: port, path: path)
    }
}
