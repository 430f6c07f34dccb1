import Configuration
import Foundation
import Kafka
import OTContract

/// Everything a ``Worker`` needs to know, read from the environment by
/// ``fromEnvironment(service:inputTopics:defaultHTTPPort:environment:)``: the `KAFKA_*` variables by
/// ``KafkaConfiguration``, the `OT_*` settings with swift-configuration (``ConfigReader/init(environment:)``).
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `KAFKA_BROKERS` | bootstrap servers | the development broker's bootstrap file |
/// | `KAFKA_X_Y` | librdkafka property `x.y` (security, SASL, TLS, timeouts) | |
/// | `OT_DATA_DIR` | where the partition stores live (`<dir>/<service>/`) | `.ot-data` |
/// | `OT_HTTP_HOST` | the address the health and metrics server binds | `127.0.0.1` (a container sets `0.0.0.0`) |
/// | `OT_HTTP_PORT` | health and metrics port; `0` picks a free one | the service's own |
/// | `OT_INSTANCE_ID` | static group membership (`group.instance.id`) | none (dynamic) |
/// | `OT_VERSION` | the release, for `ot_build_info` (the image build sets it) | `dev` |
/// | `OT_CLOCK` | development and simulations: the clock starts at this RFC 3339 instant and runs on | the real time |
/// | `OT_DEDUP_WINDOW_DAYS` | how long an event id is remembered, to ignore the same event delivered again (1–3650); longer than the input topics' retention | 8 |
/// | `OT_MAX_BATCH_SIZE` | the most messages one batch holds (1–100,000): less memory, more commits | 5,000 |
/// | `OT_FORBID_INPUT_REWIND` | `1` (or `true`, `yes`): stop rather than re-read input below the group's committed offset (tests, audits) | off |
public struct WorkerConfiguration: Sendable {
    /// The service's name: its consumer group, its dead-letter topic's prefix, its CloudEvents source.
    public var service: String
    /// The topics consumed, all with the same partition count.
    public var inputTopics: [String]
    /// Brokers and librdkafka properties.
    public var kafka: KafkaConfiguration
    /// Where this service's partition stores live.
    public var storeDirectory: URL
    /// The health and metrics port, `0` for any free port, `nil` for no HTTP server.
    public var httpPort: Int?
    /// The address the health and metrics server binds: loopback unless told otherwise, so that a service outside a
    /// container is not reachable from the network by default (`0.0.0.0` in the image).
    public var httpHost: String = Self.defaultHTTPHost
    /// The default of ``httpHost``.
    public static let defaultHTTPHost = "127.0.0.1"
    /// Static membership id, so that a restarted instance keeps its partitions without a rebalance.
    public var instanceID: String?
    /// What the program was built from, for `ot_build_info`.
    public var build = BuildInfo()
    /// The consumer group.
    public var groupID: String
    /// Where unprocessable input goes.
    public var deadLetterTopic: String
    /// The most messages one batch holds.
    public var maxBatchSize: Int = Self.defaultMaxBatchSize
    /// The default of ``maxBatchSize``: large enough that each partition's transaction covers hundreds of events,
    /// small enough that a batch's working set (its messages, the rows' changelog records, the emitted messages
    /// until the relay has them out) stays a small part of a worker's memory while it catches up. 5,000 rather than
    /// 10,000 since 2026-12-05: `ot-registrations` peaked 11–18 MiB lower (six pairs) at the same CPU per event;
    /// 2,500 cost CPU (docs/configuration.md).
    public static let defaultMaxBatchSize = 5_000
    /// How transient handler failures are retried.
    public var retry = RetryPolicy()
    /// How long the group waits for a silent member (`session.timeout.ms`).
    public var sessionTimeout: Duration = .seconds(45)
    /// The longest time between two polls (`max.poll.interval.ms`).
    public var maxPollInterval: Duration = .seconds(300)
    /// How long the broker may hold an empty fetch (`fetch.wait.max.ms`). Kafka answers as soon as data arrives;
    /// the development broker holds every empty fetch for the whole wait, which is a hop's latency there: at 50 ms a
    /// school-history lookup took p99 125 ms through it, at 20 ms 76 ms (docs/operations.md). An idle worker fetches
    /// up to 50 times a second per broker for it.
    public var fetchWaitMax: Duration = .milliseconds(20)
    /// How long an event's id is remembered (`ot_processed_batches`), so that the same event delivered again is
    /// ignored: an event that comes again later is processed again. Eight days by default, a day longer than the
    /// input topics' retention (7 days), so that no event still on an input topic (a rewind, a replay) is processed
    /// twice; a producer's retries come within seconds. Set it longer than the input topics' retention.
    public var deduplicationWindow: Duration = .days(8)
    /// The time handlers see (``HandlerContext/now``); tests set a controllable clock.
    public var clock: @Sendable () -> Date = { Date() }
    /// How often idle partitions get ``WorkerHandler/tick(context:)``.
    public var tickInterval: Duration = .seconds(60)
    /// Stop with an error, rather than warn, when a partition would start below the group's committed offset: its
    /// restored state is behind what was already published, and re-reading the input would lean on input the
    /// topic's retention may have deleted. For tests that prove a restore never needs old input.
    public var forbidInputRewind = false
    /// The changelog topic of the service's partition stores.
    public var changelogTopic: String
    /// Called after a partition's store was restored from the changelog; for benchmarks and tools.
    public var onRestored: (@Sendable (RestoreSummary) -> Void)? = nil
    /// Called after each batch has committed, with what it held and how long it took; for benchmarks and tools.
    public var onBatchCommitted: (@Sendable (BatchSummary) -> Void)? = nil
    /// Called after each round of idle ticks (every ``tickInterval``), once every ready store's tick has committed
    /// or failed; for tests, which wait on the ticks' work rather than poll for it.
    public var onTicked: (@Sendable (TickSummary) -> Void)? = nil
    /// Called with a partition's number after its store's log was checkpointed into the file and truncated,
    /// once an erasure and everything before it was published (``HandlerContext/scrubAfterPublishing()``); for
    /// tests, which then look for the erased data in the files.
    public var onScrubbed: (@Sendable (_ partition: Int32) -> Void)? = nil

    /// Creates a configuration.
    public init(
        service: String, inputTopics: [String], kafka: KafkaConfiguration, storeDirectory: URL, httpPort: Int? = nil,
        instanceID: String? = nil
    ) {
        self.service = service
        self.inputTopics = inputTopics
        self.kafka = kafka
        self.storeDirectory = storeDirectory
        self.httpPort = httpPort
        self.instanceID = instanceID
        self.groupID = service
        self.deadLetterTopic = "\(service).dlq.v1"
        self.changelogTopic = "\(service).changelog.v1"
    }

    /// The CloudEvents `source` of the events this service emits.
    public var source: String { "urn:ot:\(service)" }

    /// Reads the configuration from the environment.
    ///
    /// An empty variable counts as unset.
    ///
    /// - Throws: ``KafkaError`` when no brokers are configured; ``WorkerError/invalidConfiguration(_:)`` for an
    ///   `OT_HTTP_PORT`, `OT_CLOCK` or `OT_FORBID_INPUT_REWIND` that is not a value of the setting, naming the
    ///   variable and the value.
    public static func fromEnvironment(
        service: ServiceName, inputTopics: [Topic], defaultHTTPPort: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> WorkerConfiguration {
        let kafka = try KafkaConfiguration.fromEnvironment(
            environment, bootstrapFile: DataDirectory.bootstrapFile(environment: environment))
        let config = ConfigReader(environment: environment)
        let dataDirectory = config.string(forKey: "ot.data.dir", default: DataDirectory.defaultPath)
        var configuration = WorkerConfiguration(
            service: service.rawValue, inputTopics: inputTopics.map(\.name), kafka: kafka,
            storeDirectory: URL(fileURLWithPath: dataDirectory).appendingPathComponent(service.rawValue),
            httpPort: try await config.fetchInt(forKey: "ot.http.port", in: 0...65_535, default: defaultHTTPPort),
            instanceID: config.string(forKey: "ot.instance.id"))
        configuration.httpHost = config.string(forKey: "ot.http.host", default: defaultHTTPHost)
        configuration.build = BuildInfo(config: config)
        if let text = config.string(forKey: clockKey) {
            guard let start = try? Timestamp(rfc3339: text) else {
                throw config.invalidValue(
                    forKey: clockKey, expected: "an RFC 3339 instant such as 2026-07-31T12:00:00Z")
            }
            configuration.clock = clock(startingAt: start.date)
        }
        configuration.deduplicationWindow = .days(
            try await config.fetchInt(forKey: "ot.dedup.window.days", in: 1...3650, default: 8))
        configuration.maxBatchSize = try await config.fetchInt(
            forKey: "ot.max.batch.size", in: 1...100_000, default: defaultMaxBatchSize)
        do {
            configuration.forbidInputRewind = try await config.fetchBool(
                forKey: "ot.forbid.input.rewind", default: false)
        } catch {
            throw config.invalidValue(forKey: "ot.forbid.input.rewind", expected: "1 or 0 (true or false, yes or no)")
        }
        return configuration
    }

    /// The setting (the variable `OT_CLOCK`) that sets a service's clock for development and simulations: an RFC 3339
    /// instant the clock starts at.
    ///
    /// A simulated past school year (`otctl simulate`) is processed as it was lived only when the services' clock
    /// is in that year: on the real clock the school-year roll-over of 1 August would run between the simulated
    /// events and reject the case workers' later commands. Never set it in production.
    public static let clockKey: ConfigKey = "ot.clock"

    /// A clock that reads `start` now and runs on from there at the pace of `now`.
    /// - Parameters:
    ///   - start: The instant the clock shows at once.
    ///   - now: The real clock; `Date()` by default.
    public static func clock(
        startingAt start: Date, now: @escaping @Sendable () -> Date = { Date() }
    ) -> @Sendable () -> Date {
        let origin = now()
        return { start.addingTimeInterval(now().timeIntervalSince(origin)) }
    }
}
