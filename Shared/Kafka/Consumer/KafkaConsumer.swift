import CRdKafka
import Dispatch
import Logging
import ServiceLifecycle
import Synchronization

/// A group member that reads batches of messages and learns of assignment changes in order with them.
///
/// ```swift
/// let consumer = try KafkaConsumer(configuration: .init(kafka: kafka, groupID: "ot-registrations"), logger: logger)
/// try consumer.subscribe(topics: ["vigo.enrollment.v1"])
/// for try await event in consumer.events {
///     switch event {
///     case .messages(let batch): process(batch)
///     case .revoked(let partitions): commitWorkInHand(for: partitions)  // they move after this returns
///     case .assigned, .lost: break
///     }
/// }
/// ```
///
/// Offsets are stored and committed only when the caller says so (``commit(_:)``, ``storeOffsets(_:)``);
/// `startOffsets` given at creation picks where each newly assigned partition starts, for callers that keep
/// their offsets elsewhere (the worker runtime keeps them in SQLite).
public final class KafkaConsumer: Sendable {
    let client: RdKafkaClient
    private let loop: KafkaConsumerPollLoop
    private let poller: RdKafkaPollThread
    private let rendezvous: KafkaConsumerRendezvous
    private let closed = Mutex(false)
    private let logger: Logger

    /// The events: message batches and assignment changes. Iterate from one task.
    public let events: KafkaConsumerEvents

    /// Creates a consumer and starts its polling thread. It reads nothing until ``subscribe(topics:)`` or
    /// ``assign(_:)``.
    ///
    /// - Parameters:
    ///   - startOffsets: Called on the polling thread when partitions are assigned, once the iterating task has
    ///     handled the ``KafkaConsumerEvent/assigned(_:)`` event (asked for the next one) and before they are fetched;
    ///     returns the offset to start at for any of them (others start at their committed offset).
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/configuration`` when a property is invalid.
    public init(
        configuration: KafkaConsumerConfiguration, logger: Logger,
        startOffsets: (@Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64])? = nil
    ) throws(KafkaError) {
        let rendezvous = KafkaConsumerRendezvous()
        let loop = KafkaConsumerPollLoop(
            rendezvous: rendezvous, logger: logger, maxBatchSize: configuration.maxBatchSize,
            pollTimeout: configuration.pollTimeout, startOffsets: startOffsets)
        let handler = RdKafkaCallbackHandler(
            logger: logger,
            onStatistics: configuration.onStatistics,
            onRebalance: { [weak loop] kind, list in loop?.rebalance(kind, list) },
            onError: { error in if error.kind == .fatal { rendezvous.finish(.failure(error)) } }
        )
        let client = try RdKafkaClient(
            kind: .consumer, properties: configuration.librdkafkaProperties, handler: handler)
        loop.client = client
        self.client = client
        self.loop = loop
        self.rendezvous = rendezvous
        self.logger = logger
        self.events = KafkaConsumerEvents(rendezvous: rendezvous)
        self.poller = RdKafkaPollThread(name: "kafka-consumer") { loop.pollOnce() }
    }

    deinit {
        loop.beginClosing()
        poller.stop()
        rendezvous.finish(.success(nil))
    }

    /// Whether a poll that finds nothing delivers an empty batch, about every `pollTimeout` while no message comes:
    /// for a caller that holds messages back and must look at them again when nothing else happens. Off by default.
    public var wakesWhenIdle: Bool {
        get { loop.wakesWhenIdle }
        set { loop.wakesWhenIdle = newValue }
    }

    /// Joins the group and subscribes to `topics`; partitions arrive as ``KafkaConsumerEvent/assigned(_:)``.
    public func subscribe(topics: [String]) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(
            topics.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        let error = rd_kafka_subscribe(client.handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.consumer, error, "cannot subscribe to \(topics.joined(separator: ", "))")
        }
    }

    /// Reads the given partitions from the given offsets, outside any group rebalancing.
    /// Use `-2` (`RD_KAFKA_OFFSET_BEGINNING`) or `-1` (`RD_KAFKA_OFFSET_END`) for the ends.
    ///
    /// The topics' metadata is fetched first, so that fetching starts at once rather than after librdkafka's
    /// leader-query retry.
    public func assign(_ positions: [KafkaTopicPartitionOffset], timeout: Duration = .seconds(10))
        async throws(KafkaError)
    {
        let client = self.client
        let topics = Set(positions.map(\.topicPartition.topic))
        let failure: KafkaError? = await runBlocking {
            for topic in topics {
                let handle: OpaquePointer
                switch client.topicHandleResult(topic) {
                case .success(let created): handle = created
                case .failure(let error): return error
                }
                do {
                    var metadata: UnsafePointer<rd_kafka_metadata>?
                    let error = rd_kafka_metadata(
                        client.handle, 0, handle, &metadata, Int32(clamping: timeout.milliseconds))
                    if let metadata { rd_kafka_metadata_destroy(metadata) }
                    if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                        return KafkaError(.consumer, error, "cannot read the metadata of \(topic)")
                    }
                }
            }
            let list = RdKafkaTopicPartitionList(positions)
            let error = rd_kafka_assign(client.handle, list.pointer)
            return error == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(.consumer, error, "cannot assign partitions")
        }
        if let failure { throw failure }
    }

    /// The partitions currently assigned to this member.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let error = rd_kafka_assignment(client.handle, &list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw KafkaError(.consumer, error, "cannot read the assignment")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RdKafkaTopicPartitionList.partitions(of: list).sorted()
    }

    /// Commits positions to the group coordinator and waits for its answer.
    ///
    /// - Parameter positions: The offset of the next message to read, per partition.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/consumer`` when the commit failed (for example
    ///   during a rebalance, or for a partition no longer assigned).
    public func commit(_ positions: [KafkaTopicPartitionOffset]) async throws(KafkaError) {
        guard !positions.isEmpty else { return }
        let client = self.client
        let result: KafkaError? = await runBlocking {
            let list = RdKafkaTopicPartitionList(positions)
            let error = rd_kafka_commit(client.handle, list.pointer, 0)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(.consumer, error, "cannot commit offsets") }
            if let (partition, error) = list.firstError {
                return KafkaError(.consumer, error, "cannot commit the offset of \(partition)")
            }
            return nil
        }
        if let result { throw result }
    }

    /// Starts a commit and returns at once; its outcome is only logged by librdkafka. For mirroring offsets kept
    /// elsewhere, where a lost commit costs nothing.
    public func commitInBackground(_ positions: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        guard !positions.isEmpty else { return }
        let list = RdKafkaTopicPartitionList(positions)
        let error = rd_kafka_commit(client.handle, list.pointer, 1)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(.consumer, error, "cannot commit offsets") }
    }

    /// Stores positions for librdkafka's background auto-commit (when enabled) to commit.
    public func storeOffsets(_ positions: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        guard !positions.isEmpty else { return }
        let list = RdKafkaTopicPartitionList(positions)
        let error = rd_kafka_offsets_store(client.handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(.consumer, error, "cannot store offsets") }
    }

    /// The group's committed positions for `partitions`; a partition without a commit is left out.
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10))
        async throws(KafkaError)
        -> [KafkaTopicPartition: Int64]
    {
        let client = self.client
        let result: Result<[KafkaTopicPartition: Int64], KafkaError> = await runBlocking {
            let list = RdKafkaTopicPartitionList(partitions)
            let error = rd_kafka_committed(client.handle, list.pointer, Int32(clamping: timeout.milliseconds))
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError(.consumer, error, "cannot read committed offsets"))
            }
            var offsets: [KafkaTopicPartition: Int64] = [:]
            for element in RdKafkaTopicPartitionList.elements(of: list.pointer) where element.offset >= 0 {
                offsets[KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)] =
                    element.offset
            }
            return .success(offsets)
        }
        return try result.get()
    }

    /// Moves assigned partitions to the given positions; the next batches read from there.
    public func seek(_ positions: [KafkaTopicPartitionOffset], timeout: Duration = .seconds(10))
        async throws(KafkaError)
    {
        let client = self.client
        let result: KafkaError? = await runBlocking {
            let list = RdKafkaTopicPartitionList(positions)
            if let error = rd_kafka_seek_partitions(client.handle, list.pointer, Self.seekTimeoutArgument(timeout)) {
                defer { rd_kafka_error_destroy(error) }
                return KafkaError(.consumer, rd_kafka_error_code(error), "cannot seek")
            }
            if let (partition, error) = list.firstError {
                return KafkaError(.consumer, error, "cannot seek \(partition)")
            }
            return nil
        }
        if let result { throw result }
    }

    /// What `rd_kafka_seek_partitions` must be given to wait `timeout`: librdkafka before 2.1.0 (Debian's 2.0.2)
    /// waits that many microseconds, not milliseconds (fixed in librdkafka's pull request 4230), so 10 s were 10 ms,
    /// and a seek timed out whenever the broker thread took longer than that to take it: under the full test
    /// suite's load it did.
    static func seekTimeoutArgument(_ timeout: Duration, version: Int32 = rd_kafka_version()) -> Int32 {
        let milliseconds = timeout.milliseconds
        return Int32(clamping: version < 0x0201_0000 ? milliseconds * 1_000 : milliseconds)
    }

    /// Stops fetching from `partitions` until ``resume(_:)``; they stay assigned.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(partitions)
        let error = rd_kafka_pause_partitions(client.handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(.consumer, error, "cannot pause") }
    }

    /// Fetches again from paused `partitions`.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(partitions)
        let error = rd_kafka_resume_partitions(client.handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(.consumer, error, "cannot resume") }
    }

    /// Ends ``events`` with `error`: the iterating task gets it from its next (or current) wait. For a caller that
    /// learns elsewhere that consuming cannot go on (its producer failed for good, say).
    public func fail(_ error: KafkaError) {
        rendezvous.finish(.failure(error))
    }

    /// Leaves the group and ends ``events``. Commit what must be committed first: partitions revoked while
    /// closing are not delivered as events. Idempotent.
    public func close() async {
        guard
            closed.withLock({ closed in
                defer { closed = true }; return !closed
            })
        else { return }
        loop.beginClosing()
        let (poller, client, logger) = (self.poller, self.client, self.logger)
        await runBlocking {
            poller.stop()
            let error = CRdKafka_consumer_close(client.handle)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                // Expected against the mock broker when the group is rebalancing; offsets live elsewhere.
                logger.info("consumer close reported", metadata: ["error": "\(KafkaError.Code(error).name)"])
            }
        }
        rendezvous.finish(.success(nil))
    }
}

extension KafkaConsumer: Service {
    /// Runs until graceful shutdown (or cancellation), then closes the consumer.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}

/// Runs a blocking librdkafka call off Swift's cooperative thread pool.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
}
