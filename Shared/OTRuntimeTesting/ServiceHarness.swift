import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import Synchronization

/// One service under test, through the real broker: the embedded broker with the service's topics, a test clock,
/// a temporary folder, a producer, a watcher on the outputs and any number of in-process instances of the service
/// in one consumer group. Use it through ``withServiceHarness(_:inputs:outputs:otherTopics:today:handler:configure:_:)``,
/// which always tears it down.
///
/// Waits are on what the workers report: ``waitUntilProcessed(_:)`` returns once a worker has committed the
/// batch that held the event (``CommittedPositions``), what only the ticks do is checked after each round of them
/// (``ticks``), an erased person's data in the files after each store's log is truncated (``scrubs``), and outputs
/// are awaited on the ``output`` watcher.
public final class ServiceHarness: Sendable {
    /// The service.
    public let service: ServiceName
    /// The broker.
    public let kafka: EmbeddedKafka
    /// The clock every instance reads.
    public let clock: TestClock
    /// The temporary folder; instance `n` keeps its stores in `instance-n` below it.
    public let directory: URL
    /// A producer for the test's input.
    public let producer: KafkaProducer
    /// Every message on the output topics, from their beginning.
    public let output: TopicWatcher
    /// What the instances committed.
    public let committed = CommittedPositions()
    /// The rounds of idle ticks the instances ended.
    public let ticks = Occurrences()
    /// The stores whose log the instances truncated after an erasure.
    public let scrubs = Occurrences()
    private let inputTopics: [Topic]
    private let makeHandler: @Sendable () throws -> any WorkerHandler
    private let configure: @Sendable (inout WorkerConfiguration) -> Void
    /// The actor every command published through the harness carries unless the call names another.
    public let actor: CommandActor?
    private let instances = Mutex<[Int: InProcessWorker]>([:])
    private let published = Mutex<[String: KafkaTopicPartitionOffset]>([:])

    /// Creates the topics, the producer and the watcher; starts no instance (``start(instance:)`` does).
    public init(
        _ service: ServiceName, inputs: [Topic], outputs: [Topic], otherTopics: [Topic] = [], today: String,
        actor: CommandActor? = nil, handler: @escaping @Sendable () throws -> any WorkerHandler,
        configure: @escaping @Sendable (inout WorkerConfiguration) -> Void = { _ in }
    ) async throws {
        self.service = service
        self.actor = actor
        inputTopics = inputs
        makeHandler = handler
        self.configure = configure
        let topics = inputs + outputs + otherTopics + [Topic.deadLetters(of: service), Topic.changelog(of: service)]
        var names: [String] = []
        for topic in topics where !names.contains(topic.name) { names.append(topic.name) }
        kafka = try EmbeddedKafka(brokers: 1, topics: names)
        clock = TestClock(noon(today))
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(service.rawValue)-\(UUID())")
        producer = try kafka.makeProducer()
        output = try await TopicWatcher(kafka: kafka, topics: (outputs + [Topic.deadLetters(of: service)]).map(\.name))
    }

    /// Starts instance `instance` (stores in `instance-<n>`; a restarted instance finds its files again), on the
    /// test clock, ticking every 100 ms.
    public func start(instance: Int = 0) throws {
        let clock = self.clock
        let committed = self.committed
        let ticks = self.ticks
        let scrubs = self.scrubs
        let configure = self.configure
        let worker = InProcessWorker(
            kafka: kafka, service: service.rawValue, inputTopics: inputTopics.map(\.name), handler: try makeHandler(),
            directory: storeDirectory(of: instance)
        ) { configuration in
            configuration.clock = { clock.now }
            configuration.tickInterval = .milliseconds(100)
            configuration.onBatchCommitted = { summary in committed.record(summary.committed) }
            configuration.onTicked = { _ in ticks.record() }
            configuration.onScrubbed = { _ in scrubs.record() }
            configure(&configuration)
        }
        let previous = instances.withLock { instances in
            defer { instances[instance] = worker }
            return instances[instance]
        }
        precondition(previous == nil, "instance \(instance) of \(service.rawValue) is already running")
    }

    /// Starts instance `instance` and waits until it is ready (``waitUntilReady(instance:timeout:)``): for a restart,
    /// whose rejoin of the group took up to about 30 s under a loaded full suite, so that a test's next wait is for the
    /// work alone.
    public func startAndWaitUntilReady(instance: Int = 0) async throws {
        try start(instance: instance)
        try await waitUntilReady(instance: instance)
    }

    /// Stops instance `instance` gracefully (as SIGTERM does) and waits until it has returned.
    public func stop(instance: Int = 0) async throws {
        try await instances.withLock { $0.removeValue(forKey: instance) }?.stop()
    }

    /// Starts one more instance, with the lowest number not running.
    @discardableResult
    public func startInstance() throws -> Int {
        let instance = instances.withLock { running in (0...).first { running[$0] == nil }! }
        try start(instance: instance)
        return instance
    }

    /// The running instance `instance`, if it runs.
    public func worker(_ instance: Int = 0) -> InProcessWorker? { instances.withLock { $0[instance] } }

    /// Where instance `instance` keeps its partition stores.
    public func storeDirectory(of instance: Int = 0) -> URL {
        directory.appendingPathComponent("instance-\(instance)")
    }

    /// Stops every instance, the watcher and the producer, and removes the folder.
    public func tearDown() async throws {
        var failure: (any Error)?
        for instance in instances.withLock({ $0.keys.sorted() }) {
            do { try await stop(instance: instance) } catch { failure = failure ?? error }
        }
        await output.stop()
        await producer.shutdown()
        try? FileManager.default.removeItem(at: directory)
        if let failure { throw failure }
    }

    /// Waits until instance `instance` reports ready: its partitions assigned and their stores current.
    public func waitUntilReady(instance: Int = 0, timeout: Duration = .seconds(60)) async throws {
        guard let running = worker(instance) else { return }
        try await withTimeout(timeout, waitingFor: "\(service.rawValue) instance \(instance) to be ready") {
            // The state `/health/ready` reports, awaited: it stops the wait with the reason if the worker fails.
            try await running.worker.waitUntilReady()
        }
    }

    /// What each running instance reports about itself, for a failed test's output: how long ago it started, its
    /// readiness (with its reason) and its `ot_` metrics (owned partitions' lag, outbox backlog, restores, batches),
    /// bucket lines left out; and what the watcher has read of the outputs. A wait that timed out on a slow machine
    /// then shows outputs produced after it gave up, where one on a stuck instance shows none.
    public func diagnosis() async -> String {
        var lines: [String] = []
        for (number, running) in instances.withLock({ $0.sorted { $0.key < $1.key } }) {
            let ready = try? await running.get("/health/ready")
            let age = seconds(ContinuousClock.now - running.started)
            lines.append(
                "instance \(number), started \(age) s ago: /health/ready \(ready.map { "\($0.status) \($0.body.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? "no answer")"
            )
            let metrics = (try? await running.get("/metrics"))?.body ?? ""
            lines += metrics.split(separator: "\n").filter { line in
                line.hasPrefix("ot_") && !line.contains("_bucket{") && !line.hasPrefix("ot_build_info")
            }.map { "  \($0)" }
        }
        if lines.isEmpty { lines.append("no instance running") }
        let read = await output.messages
        let newest = read.compactMap(\.timestamp).max()
        let produced = newest.map {
            "the newest produced \(seconds(Date().timeIntervalSince1970 - Double($0) / 1000)) s ago"
        }
        lines.append("the watcher has read \(read.count) output messages" + (produced.map { ", \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }

    private func seconds(_ duration: Duration) -> String {
        seconds(duration / .seconds(1))
    }

    private func seconds(_ value: Double) -> String { String(format: "%.1f", value) }

    // MARK: Input

    /// Publishes a payload to its topic as a structured CloudEvent keyed by its partition key, dated `time` (now
    /// on the test clock unless given); a command (on a `…commands…` topic) carries `actor`, or the harness's.
    /// Returns the event; ``waitUntilProcessed(_:)`` knows where it went.
    @discardableResult
    public func publish<P: PersonKeyedPayload>(
        _ payload: P, time: Date? = nil, source: String = "urn:test", correlationID: String? = nil,
        actor: CommandActor? = nil
    ) async throws -> CloudEvent {
        let sender = P.topic.name.contains(".commands.") ? actor ?? self.actor : nil
        let event = try CloudEvent(
            payload, source: source, time: time ?? clock.now, correlationID: correlationID,
            extensions: sender?.extensions ?? [:])
        try await publish(event, to: P.topic, key: payload.partitionKey)
        return event
    }

    /// Publishes a CloudEvent as it is to `topic` under `key`.
    public func publish(_ event: CloudEvent, to topic: Topic, key: String) async throws {
        let report = try await producer.send(
            KafkaProducerMessage(
                topic: topic.name, key: Array(key.utf8), value: event.structuredJSON(),
                headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)]))
        published.withLock {
            $0[event.id] = KafkaTopicPartitionOffset(
                topic: topic.name, partition: report.partition, offset: report.offset)
        }
    }

    /// Sends messages as they are, in order; returns the last position they took in each topic partition (wait on
    /// those with ``waitUntilCommitted(_:what:timeout:)``).
    public func send(_ messages: [KafkaProducerMessage]) async throws -> [KafkaTopicPartitionOffset] {
        var last: [KafkaTopicPartition: Int64] = [:]
        for report in try await producer.send(messages) {
            if let error = report.error { throw error }
            let partition = KafkaTopicPartition(topic: report.topic, partition: report.partition)
            last[partition] = max(last[partition] ?? -1, report.offset)
        }
        return last.sorted { $0.key < $1.key }.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) }
    }

    /// Publishes raw bytes to a topic under a key; returns where they went.
    @discardableResult
    public func publishRaw(topic: Topic, key: String, value: [UInt8]) async throws -> KafkaTopicPartitionOffset {
        let report = try await producer.send(
            KafkaProducerMessage(topic: topic.name, key: Array(key.utf8), value: value))
        return KafkaTopicPartitionOffset(topic: topic.name, partition: report.partition, offset: report.offset)
    }

    /// Publishes again, as they are (headers included), the messages under `key` on `topics` that `include` keeps,
    /// in their order, and waits until a worker has committed them: a replay of a person's input, as after a
    /// re-publication upstream or a rewound consumer group. Returns how many it published.
    @discardableResult
    public func replay(
        key: String, on topics: [Topic], where include: (KafkaConsumerMessage) -> Bool = { _ in true }
    ) async throws -> Int {
        var messages: [KafkaProducerMessage] = []
        for topic in topics {
            for message in try await kafka.readToEnd(topic.name) where message.keyString == key && include(message) {
                messages.append(
                    KafkaProducerMessage(
                        topic: topic.name, key: Array(key.utf8), value: message.value.map(Array.init),
                        headers: message.headers))
            }
        }
        for position in try await send(messages) {
            try await waitUntilCommitted(position, what: "the replay up to \(position) to be processed")
        }
        return messages.count
    }

    /// Waits until a worker has committed the batch that held `event` (published through this harness).
    public func waitUntilProcessed(_ event: CloudEvent, timeout: Duration = .seconds(60)) async throws {
        guard let position = published.withLock({ $0[event.id] }) else {
            preconditionFailure("\(event.type) \(event.id) was not published through this harness")
        }
        try await waitUntilCommitted(position, what: "\(event.type) to be processed", timeout: timeout)
    }

    /// Waits until a worker has committed the batch that held the message at `position`.
    public func waitUntilCommitted(
        _ position: KafkaTopicPartitionOffset, what: String? = nil, timeout: Duration = .seconds(60)
    ) async throws {
        let committed = self.committed
        try await withTimeout(timeout, waitingFor: what ?? "\(position) to be processed") {
            try await committed.wait(for: position)
        }
    }

    // MARK: Output

    /// The messages on `topic` under `key` so far, decoded.
    public func events(on topic: Topic, key: String) async throws -> [CloudEvent] {
        try await output.messages.filter { $0.topic == topic.name && $0.keyString == key }.map(
            CloudEvent.init(message:))
    }

    /// Waits until the events on `topic` under `key` satisfy `condition`; returns them.
    @discardableResult
    public func waitForEvents(
        on topic: Topic, key: String, _ what: String, timeout: Duration = .seconds(30),
        until condition: @escaping @Sendable ([CloudEvent]) -> Bool
    ) async throws -> [CloudEvent] {
        let name = topic.name
        let messages = try await output.wait(what, timeout: timeout) { messages in
            condition(
                messages.filter { $0.topic == name && $0.keyString == key }.compactMap { try? CloudEvent(message: $0) })
        }
        return try messages.filter { $0.topic == name && $0.keyString == key }.map(CloudEvent.init(message:))
    }

    /// Waits for the reply on `ot.replies.v1` to a command published through the harness.
    public func reply(to command: CloudEvent, timeout: Duration = .seconds(30)) async throws -> CommandReply {
        let key = command.correlationID ?? command.id
        let events = try await waitForEvents(
            on: .replies, key: key, "the reply to \(command.type)", timeout: timeout, until: { !$0.isEmpty })
        return try events[0].decodePayload(as: CommandReply.self)
    }

    /// Publishes a command with a fresh correlation id (sent by `actor`, or the harness's) and waits for its reply.
    public func command<P: PersonKeyedPayload>(
        _ payload: P, time: Date? = nil, actor: CommandActor? = nil
    ) async throws -> CommandReply {
        try await reply(to: try await publish(payload, time: time, correlationID: UUID().uuidString, actor: actor))
    }

    /// The dead letters so far.
    public var deadLetters: [KafkaConsumerMessage] {
        get async {
            let name = Topic.deadLetters(of: service).name
            return await output.messages.filter { $0.topic == name }
        }
    }

    // MARK: Stores

    /// The partition a key lands on (murmur2, as every producer of the system partitions).
    public func partition(of key: String) -> Int32 {
        KafkaPartitioner.murmur2Partition(of: Array(key.utf8), partitionCount: kafka.partitions)
    }

    /// Opens instance `instance`'s store of the partition `key` lands on, read-only.
    public func store(of key: String, instance: Int = 0) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        let file = storeDirectory(of: instance).appendingPathComponent(
            String(format: "partition-%03d.sqlite", partition(of: key)))
        return try DatabaseQueue(path: file.path, configuration: configuration)
    }
}

/// Runs `body` with a ``ServiceHarness`` for `service` with `instances` instances started (0 to `instances - 1`; one
/// unless told), and always tears the harness down (also when `body` throws), in the spirit of HummingbirdTesting's
/// `app.test { … }`.
///
/// ```swift
/// try await withServiceHarness(.registrations, inputs: [.enrollment, .registrationCommands],
///                              outputs: [.registrations, .replies], today: "2026-03-02",
///                              handler: { RegistrationsHandler(units: try Units.bundled()) }) { harness in
///     let reply = try await harness.command(RegisterYouth(...))
///     #expect(reply.status == .accepted)
/// }
/// ```
public func withServiceHarness<Result>(
    _ service: ServiceName, inputs: [Topic], outputs: [Topic], otherTopics: [Topic] = [], today: String,
    instances: Int = 1, actor: CommandActor? = nil, handler: @escaping @Sendable () throws -> any WorkerHandler,
    configure: @escaping @Sendable (inout WorkerConfiguration) -> Void = { _ in },
    _ body: (ServiceHarness) async throws -> Result
) async throws -> Result {
    try await withFixture(
        {
            let harness = try await ServiceHarness(
                service, inputs: inputs, outputs: outputs, otherTopics: otherTopics, today: today, actor: actor,
                handler: handler, configure: configure)
            do {
                for instance in 0..<instances { try harness.start(instance: instance) }
            } catch {
                try? await harness.tearDown()
                throw error
            }
            return harness
        }, teardown: { try await $0.tearDown() },
        { harness in
            do {
                return try await body(harness)
            } catch {
                // What the instances say of themselves when the test failed: which is stuck, and where.
                print("\(harness.service.rawValue) instances when the test failed:\n\(await harness.diagnosis())")
                throw error
            }
        })
}
