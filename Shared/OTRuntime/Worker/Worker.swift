import Foundation
import Hummingbird
import Kafka
import Logging
import OTContract
import OTStore
import ServiceLifecycle
import Synchronization

/// The worker runtime: consumes a service's input topics in batches and gives its ``WorkerHandler`` effectively-once
/// processing on SQLite, with state that moves between instances through a changelog topic.
///
/// For each batch, per partition number, ONE transaction of that partition's store holds the de-duplication
/// records, the handler's changes, the outgoing events (the outbox) and the consumed offsets. The outbox relay
/// publishes every committed change to the service's changelog partition first and only then the outgoing events.
/// On every assignment the store is made current (kept when it provably is, else restored from the changelog) and
/// the consumer starts at the offsets it holds. Poison input goes to the dead-letter topic and the partition goes on.
/// See docs/runtime.md.
///
/// Run it in a `ServiceGroup`: on SIGTERM it stops fetching, finishes and commits the batch in hand, publishes
/// the outbox, flushes the producer, leaves the group and returns.
public final class Worker: Service, Sendable {
    let configuration: WorkerConfiguration
    let handler: any WorkerHandler
    let logger: Logger
    let metrics: WorkerMetrics
    let lifecycle = WorkerLifecycle()
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
        self.metrics = WorkerMetrics(service: configuration.service, build: configuration.build)
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

    /// Whether the worker is ready (what `/health/ready` answers).
    public var isReady: Bool { lifecycle.current.isReady }

    /// Returns once the worker is ready: in its group with partitions, their stores current, processing.
    /// - Throws: ``WorkerError/stopped(_:)`` if it stops or fails first; `CancellationError` if the task is
    ///   cancelled.
    public func waitUntilReady() async throws { try await lifecycle.waitUntilReady() }

    /// The parts of a running worker, made in ``run()``.
    struct Parts: Sendable {
        let stores: PartitionStores
        let consumer: KafkaConsumer
        let producer: KafkaProducer
        let relay: OutboxRelay
        let mirror: OffsetMirror
        let processor: BatchProcessor
        let restore: ChangelogRestore
        let recovery: OutboxRecovery
        let alignment: InputAlignment
    }

    /// Runs until graceful shutdown or a fatal error.
    public func run() async throws {
        let kafka = configuration.kafka
        let partitionCounts = try await checkTopics()
        let stores = PartitionStores(
            directory: configuration.storeDirectory, migrations: handler.migrations, logger: logger)
        var producerConfiguration = KafkaProducerConfiguration(kafka: kafka)
        producerConfiguration.clientID = configuration.service
        // The relay hands a round's records to the producer all at once and waits for their acknowledgement before
        // it goes on (the changelog before the outputs): lingering only made each of the two waits 5 ms longer, and
        // a round's records batch anyway while the first request is in flight.
        producerConfiguration.linger = .zero
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let storeFailure = Mutex<WorkerError?>(nil)
        let alignment = InputAlignment(inputTopics: configuration.inputTopics)
        let consumer = try KafkaConsumer(
            configuration: consumerConfiguration(), logger: logger,
            startOffsets: { [logger] partitions in
                // Called once the assignment is handled: the stores are current, restored where they were not.
                var offsets: [KafkaTopicPartition: Int64] = [:]
                for partition in partitions {
                    guard let store = stores.store(partition.partition) else { continue }
                    do {
                        // A store that has never consumed this topic starts at its beginning.
                        offsets[partition] = try store.consumedOffsets()[partition.topic] ?? -2
                    } catch {
                        logger.critical(
                            "cannot read a partition store's offsets",
                            metadata: ["partition": "\(partition.partition)", "error": "\(error)"])
                        storeFailure.withLock { $0 = .store(partition: partition.partition, "\(error)") }
                    }
                }
                alignment.started(offsets)
                return offsets
            })
        let mirror = OffsetMirror(consumer: consumer, logger: logger)
        let relay = OutboxRelay(
            stores: stores, producer: producer, changelogTopic: configuration.changelogTopic, metrics: metrics,
            logger: logger, onPublished: { partition, offsets in mirror.record(partition, offsets) },
            onScrubbed: configuration.onScrubbed)
        let parts = Parts(
            stores: stores, consumer: consumer, producer: producer, relay: relay, mirror: mirror,
            processor: BatchProcessor(
                handler: handler,
                outbox: OutboxWriter(
                    source: configuration.source,
                    partitionCounts: { partitionCounts[$0] ?? Topic.defaultPartitionCount }),
                deadLetterTopic: configuration.deadLetterTopic, retry: configuration.retry, logger: logger,
                inputTopics: configuration.inputTopics,
                inputEnd: { [consumer] in consumer.cachedHighWatermark(of: $0) }),
            restore: ChangelogRestore(
                configuration: kafka, topic: configuration.changelogTopic, metrics: metrics, logger: logger),
            recovery: OutboxRecovery(configuration: kafka, logger: logger), alignment: alignment)

        try await withThrowingTaskGroup(of: Void.self) { group in
            if let port = configuration.httpPort {
                let server = HealthServer(
                    host: configuration.httpHost, port: port, metrics: metrics, lifecycle: lifecycle, logger: logger,
                    onListening: { [self] port in
                        boundPort.withLock { $0 = port }
                        listeningContinuation.yield(port)
                    })
                group.addTask { try await server.makeApplication().run() }
            }
            let relayTask = Task { await relay.run() }
            let ticks = Task { await runTicks(parts) }
            let mirroring = Task {
                while (try? await Task.sleep(for: Self.offsetMirrorInterval)) != nil { mirror.commitAll() }
            }
            let watchdog = Task { [logger] in
                // A producer that failed for good publishes nothing more: stop, and say why, rather than let the
                // outbox grow behind a ready worker.
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(500))
                    if let fatal = relay.fatalError {
                        logger.critical("the producer failed for good", metadata: ["error": "\(fatal)"])
                        consumer.fail(KafkaError(.fatal, "the producer failed for good: \(fatal)"))
                        return
                    }
                }
            }
            defer {
                ticks.cancel()
                mirroring.cancel()
                watchdog.cancel()
                group.cancelAll()
            }

            try consumer.subscribe(topics: configuration.inputTopics)
            lifecycle.transition(to: .waitingForPartitions)
            logger.info("worker started", metadata: ["topics": "\(configuration.inputTopics.joined(separator: ","))"])
            var owned: Set<Int32> = []
            do {
                for try await event in consumer.events.cancelOnGracefulShutdown() {
                    if let failure = storeFailure.withLock({ $0 }) { throw failure }
                    switch event {
                    case .assigned(let partitions):
                        try await assign(partitions, owned: &owned, parts)
                    case .revoked(let partitions):
                        await revoke(partitions, owned: &owned, parts)
                    case .lost(let partitions):
                        await lose(partitions, owned: &owned, parts)
                    case .messages(let batch):
                        try await process(batch, parts)
                        // Messages held back are looked at again when nothing else comes.
                        consumer.wakesWhenIdle = alignment.isHolding
                        relay.notify()
                        await relay.waitForRoom()
                    }
                }
            } catch {
                logger.critical("worker failed", metadata: ["error": "\(error)"])
                lifecycle.transition(to: .failed("\(error)"))
                ticks.cancel()
                mirroring.cancel()
                relay.finish()
                await relayTask.value
                await consumer.close()
                await producer.shutdown(timeout: .seconds(5))
                for partition in stores.open { await stores.close(partition) }
                throw error
            }
            lifecycle.transition(to: .draining)
            logger.info("worker stopping: publishing the outbox and leaving the group")
            ticks.cancel()
            mirroring.cancel()
            _ = await ticks.result
            relay.finish()
            // The relay ends after its last round; wait for it before the producer and the stores go.
            await relayTask.value
            await producer.shutdown()
            await consumer.close()
            for partition in stores.open { await stores.close(partition) }
            lifecycle.transition(to: .stopped)
            logger.info("worker stopped")
        }
    }

    /// How often the de-duplication records past their window are deleted (at most; a tenth of a shorter window).
    static let pruneInterval: Duration = .seconds(3_600)

    /// How often the group's committed offsets are committed again (``OffsetMirror``).
    static let offsetMirrorInterval: Duration = .seconds(2)

    /// Idle partitions still age out and change school year: every ``WorkerConfiguration/tickInterval``, each ready
    /// store's tick, under a lease so that a store being closed is left alone.
    private func runTicks(_ parts: Parts) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.tickInterval) } catch { return }
            let now = configuration.clock()
            var ticked: [Int32] = []
            for partition in parts.stores.ready {
                do {
                    let committed: Void? = try await parts.stores.withStore(partition) { store in
                        // The de-duplication window: about hourly, and at the first tick of a store.
                        let pruneInterval = min(Self.pruneInterval, configuration.deduplicationWindow / 10)
                        let prune = store.lastPrune.withLock { last in
                            last.map { now.timeIntervalSince($0) >= pruneInterval / .seconds(1) } ?? true
                        }
                        let cutoff = now.addingTimeInterval(-(configuration.deduplicationWindow / .seconds(1)))
                        try await store.write { [processor = parts.processor] db in
                            try processor.idleTick(partition: partition, now: now, db: db, outputs: store.transaction)
                            if prune {
                                _ = try store.processedEvents.prune(
                                    before: Int64(cutoff.timeIntervalSince1970), db: db)
                            }
                        }
                        if prune { store.lastPrune.withLock { $0 = now } }
                    }
                    if committed != nil { ticked.append(partition) }
                } catch {
                    if Task.isCancelled { return }  // shutting down: the tick runs again after the restart
                    logger.warning(
                        "a tick could not commit", metadata: ["partition": "\(partition)", "error": "\(error)"])
                }
            }
            parts.relay.notify()
            configuration.onTicked?(TickSummary(now: now, partitions: ticked))
        }
    }

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
        consumer.fetchWaitMax = configuration.fetchWaitMax
        consumer.statisticsInterval = .seconds(5)
        consumer.onStatistics = { [metrics] statistics in
            if let lag = try? statistics.consumerLag() { metrics.consumerLag(lag) }
        }
        return consumer
    }

    /// Reads the cluster's topics: every input must exist, all with the same partition count, and the dead-letter
    /// and changelog topics too.
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
        guard let changelogCount = counts[configuration.changelogTopic] else {
            throw WorkerError.topics(
                "the changelog topic \(configuration.changelogTopic) does not exist; create it first (compacted)")
        }
        if let inputCount = inputCounts.first, changelogCount < inputCount {
            throw WorkerError.topics(
                "the changelog topic \(configuration.changelogTopic) has \(changelogCount) partitions, fewer than the inputs' \(inputCount)"
            )
        }
        return counts
    }
}
