import Foundation
import Hummingbird
import Kafka
import Logging
import OTContract
import OTStore
import ServiceLifecycle
import Synchronization

/// The worker runtime: consumes a service's input topics in batches and gives its ``WorkerHandler`` effectively-once
/// processing on SQLite.
///
/// For each batch, per partition number, ONE transaction of that partition's store holds the de-duplication
/// records, the handler's changes, the outgoing events (the outbox) and the consumed offsets. On every assignment
/// the consumer starts at the offsets stored there (Kafka's committed offsets only mirror them, for lag tools). An
/// outbox relay publishes with the idempotent producer and deletes rows only after their delivery reports. Poison
/// input goes to the dead-letter topic and the partition goes on. See docs/runtime.md.
///
/// Run it in a `ServiceGroup`: on SIGTERM it stops fetching, finishes and commits the batch in hand, publishes
/// the outbox, flushes the producer, leaves the group and returns.
public final class Worker: Service, Sendable {
    private let configuration: WorkerConfiguration
    private let handler: any WorkerHandler
    private let logger: Logger
    private let metrics: WorkerMetrics
    private let readiness = Readiness()
    private let boundPort = Mutex<Int?>(nil)
    private let listening: AsyncStream<Int>
    private let listeningContinuation: AsyncStream<Int>.Continuation

    /// Creates a worker; nothing runs until ``run()``.
    public init(configuration: WorkerConfiguration, handler: some WorkerHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        var logger = logger
        logger[metadataKey: "service"] = "\(configuration.service)"
        self.logger = logger
        self.metrics = WorkerMetrics(service: configuration.service)
        (listening, listeningContinuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The HTTP port the health server listens on, once it does.
    public var httpPort: Int? { boundPort.withLock { $0 } }

    /// Waits until the health server listens and returns its port.
    public func waitUntilListening() async -> Int? {
        if let port = httpPort { return port }
        for await port in listening { return port }
        return httpPort
    }

    /// Runs until graceful shutdown or a fatal error.
    public func run() async throws {
        let kafka = configuration.kafka
        let partitionCounts = try await checkTopics()
        let stores = PartitionStores(
            directory: configuration.storeDirectory, migrations: handler.migrations, logger: logger)
        var producerConfiguration = KafkaProducerConfiguration(kafka: kafka)
        producerConfiguration.clientID = configuration.service
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let storeFailure = Mutex<WorkerError?>(nil)
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration(), logger: logger,
            startOffsets: { [logger] partitions in
                var offsets: [KafkaTopicPartition: Int64] = [:]
                for partition in partitions {
                    do {
                        let consumed = try stores.open(partition.partition).consumedOffsets()
                        // A store that has never consumed this topic starts at the beginning, so that its state
                        // is built from the whole log (the changelog restore will shorten that).
                        offsets[partition] = consumed[partition.topic] ?? -2
                    } catch {
                        logger.critical(
                            "cannot open a partition store",
                            metadata: ["partition": "\(partition.partition)", "error": "\(error)"])
                        storeFailure.withLock { $0 = .store(partition: partition.partition, "\(error)") }
                    }
                }
                return offsets
            })
        let relay = OutboxRelay(stores: stores, producer: producer, metrics: metrics, logger: logger)
        let recovery = OutboxRecovery(configuration: kafka, logger: logger)
        let processor = BatchProcessor(
            handler: handler,
            outbox: OutboxWriter(
                source: configuration.source,
                partitionCounts: { partitionCounts[$0] ?? Topic.defaultPartitionCount }),
            deadLetterTopic: configuration.deadLetterTopic, retry: configuration.retry, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            if let port = configuration.httpPort {
                let server = HealthServer(
                    port: port, metrics: metrics, readiness: readiness, logger: logger,
                    onListening: { [self] port in
                        boundPort.withLock { $0 = port }
                        listeningContinuation.yield(port)
                    })
                group.addTask { try await server.makeApplication().run() }
            }
            let relayTask = Task { await relay.run() }
            let configuration = self.configuration
            let logger = self.logger
            let ticks = Task {
                // Idle partitions still age out and change school year.
                while !Task.isCancelled {
                    try await Task.sleep(for: configuration.tickInterval)
                    for store in stores.ready {
                        do {
                            try await store.store.write { db in
                                try processor.idleTick(partition: store.partition, now: configuration.clock(), db: db)
                            }
                        } catch {
                            logger.warning(
                                "a tick could not commit",
                                metadata: ["partition": "\(store.partition)", "error": "\(error)"])
                        }
                    }
                    relay.notify()
                }
            }
            defer {
                ticks.cancel()
                group.cancelAll()
            }

            try consumer.subscribe(topics: configuration.inputTopics)
            readiness.set(ready: false, "waiting for partitions")
            logger.info("worker started", metadata: ["topics": "\(configuration.inputTopics.joined(separator: ","))"])
            do {
                for try await event in consumer.events.cancelOnGracefulShutdown() {
                    if let failure = storeFailure.withLock({ $0 }) { throw failure }
                    switch event {
                    case .assigned(let partitions):
                        for number in Set(partitions.map(\.partition)).sorted() {
                            let store = try stores.open(number)
                            try await recovery.recover(store)
                            stores.markReady(number)
                        }
                        readiness.set(ready: true, "")
                        relay.notify()
                    case .revoked(let partitions):
                        let kept = Set(try consumer.assignment().map(\.partition))
                        for number in Set(partitions.map(\.partition)).subtracting(kept).sorted() {
                            await relay.release(number)
                            stores.close(number)
                        }
                    case .lost(let partitions):
                        for number in Set(partitions.map(\.partition)) { stores.close(number) }
                    case .messages(let batch):
                        try await process(batch, stores: stores, processor: processor, consumer: consumer)
                        relay.notify()
                    }
                }
            } catch {
                logger.critical("worker failed", metadata: ["error": "\(error)"])
                readiness.set(ready: false, "failed: \(error)")
                relay.finish()
                await relayTask.value
                await consumer.close()
                await producer.shutdown(timeout: .seconds(5))
                throw error
            }
            readiness.set(ready: false, "shutting down")
            logger.info("worker stopping: publishing the outbox and leaving the group")
            relay.finish()
            // The relay ends after its last round; wait for it before the producer and the stores go.
            await relayTask.value
            await producer.shutdown()
            await consumer.close()
            for store in stores.all { stores.close(store.partition) }
            logger.info("worker stopped")
        }
    }

    /// Processes one batch: each partition number's messages in one transaction of its store, the partitions in
    /// parallel; then mirrors the offsets to Kafka.
    private func process(
        _ batch: [KafkaConsumerMessage], stores: PartitionStores, processor: BatchProcessor, consumer: KafkaConsumer
    ) async throws {
        let started = ContinuousClock.now
        let groups = Dictionary(grouping: batch, by: \.partition)
        // Partitions commit in parallel, but no more at once than there are cores: more writers only contend
        // (SQLite's and the allocator's locks) and switch threads.
        let outcomes = try await withThrowingTaskGroup(of: BatchProcessor.Outcome.self) { group in
            var outcomes: [BatchProcessor.Outcome] = []
            var running = 0
            // Largest groups first, so that the last to finish is a small one and the cores idle least.
            for (partition, messages) in groups.sorted(by: { $0.value.count > $1.value.count }) {
                guard let store = stores.store(partition) else {
                    logger.warning(
                        "a batch held messages of a partition not assigned", metadata: ["partition": "\(partition)"])
                    continue
                }
                if running == Self.parallelCommits, let outcome = try await group.next() {
                    outcomes.append(outcome)
                    running -= 1
                }
                group.addTask { try await self.processWithRetry(messages, store: store, processor: processor) }
                running += 1
            }
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        for outcome in outcomes { metrics.batch(outcome) }
        do {
            try consumer.commitInBackground(outcomes.flatMap(\.offsets))
        } catch {
            logger.debug("mirroring offsets to Kafka failed", metadata: ["error": "\(error)"])
        }
        let duration = started.duration(to: .now)
        metrics.batchDuration(duration)
        configuration.onBatchCommitted?(
            BatchSummary(
                messages: batch.count, processed: outcomes.reduce(0) { $0 + $1.processed },
                deadLettered: outcomes.reduce(0) { $0 + $1.deadLettered }, duration: duration))
    }

    /// Commits a partition group, retrying while the store itself fails (disk full, locked): nothing is
    /// dead-lettered for that, and the partition waits until the store works again or the worker shuts down.
    private func processWithRetry(
        _ messages: [KafkaConsumerMessage], store: PartitionStore, processor: BatchProcessor
    ) async throws -> BatchProcessor.Outcome {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                let outcome = try await processor.process(messages, in: store, now: configuration.clock())
                if !readiness.state.0 { readiness.set(ready: true, "") }
                return outcome
            } catch {
                logger.error(
                    "committing a batch failed; retrying",
                    metadata: ["partition": "\(store.partition)", "error": "\(error)"])
                readiness.set(ready: false, "partition \(store.partition) store failing: \(error)")
                if Task.isShuttingDownGracefully || Task.isCancelled { throw error }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    private static let parallelCommits = max(1, ProcessInfo.processInfo.activeProcessorCount)

    private func consumerConfiguration() -> KafkaConsumerConfiguration {
        var consumer = KafkaConsumerConfiguration(kafka: configuration.kafka, groupID: configuration.groupID)
        consumer.clientID = configuration.service
        consumer.groupInstanceID = configuration.instanceID
        // Partition n of every input topic shares one store, so a member must own the same partition numbers of
        // each. cooperative-sticky does not promise that; range does, for topics of equal partition counts.
        consumer.assignmentStrategy = configuration.inputTopics.count > 1 ? "range" : "cooperative-sticky"
        consumer.maxBatchSize = configuration.maxBatchSize
        consumer.sessionTimeout = configuration.sessionTimeout
        consumer.maxPollInterval = configuration.maxPollInterval
        consumer.statisticsInterval = .seconds(5)
        consumer.onStatistics = { [metrics] statistics in
            if let lag = try? statistics.consumerLag() { metrics.consumerLag(lag) }
        }
        return consumer
    }

    /// Reads the cluster's topics: every input must exist, all with the same partition count.
    private func checkTopics() async throws -> [String: Int32] {
        let admin = try KafkaAdmin(configuration: configuration.kafka, logger: logger)
        let metadata = try await admin.metadata()
        var counts: [String: Int32] = [:]
        for (name, topic) in metadata.topics where topic.error == nil { counts[name] = Int32(topic.partitionCount) }
        let inputCounts = Set(
            try configuration.inputTopics.map { topic in
                guard let count = counts[topic] else {
                    throw WorkerError.topics("\(topic) does not exist; create it first")
                }
                return count
            })
        guard inputCounts.count <= 1 else {
            throw WorkerError.topics(
                "\(configuration.inputTopics.joined(separator: ", ")) have different partition counts; they must be co-partitioned"
            )
        }
        guard counts[configuration.deadLetterTopic] != nil else {
            throw WorkerError.topics(
                "the dead-letter topic \(configuration.deadLetterTopic) does not exist; create it first")
        }
        return counts
    }
}
