import CRdKafka

/// How a ``KafkaConsumer`` behaves. The defaults are the project's: cooperative-sticky assignment, manual
/// offset storing and committing, batches of up to ``maxBatchSize`` messages.
public struct KafkaConsumerConfiguration: Sendable {
    /// Brokers and pass-through properties.
    public var kafka: KafkaConfiguration
    /// The consumer group (`group.id`).
    public var groupID: String
    /// Static membership (`group.instance.id`): a restarted member with the same id keeps its partitions without
    /// a rebalance, if it returns within the session timeout. `nil` for dynamic membership.
    public var groupInstanceID: String? = nil
    /// A name for the client in broker logs and metrics.
    public var clientID: String = "ot"
    /// The partition assignment strategy.
    public var assignmentStrategy: String = "cooperative-sticky"
    /// How long the group waits for a silent member before it rebalances (`session.timeout.ms`).
    public var sessionTimeout: Duration = .seconds(45)
    /// The longest time between two polls before the member is considered stuck (`max.poll.interval.ms`).
    public var maxPollInterval: Duration = .seconds(300)
    /// Where to start when a partition has no committed offset: `earliest` or `latest`.
    public var autoOffsetReset: String = "earliest"
    /// Whether librdkafka commits stored offsets by itself in the background.
    public var enableAutoCommit: Bool = false
    /// The most messages one batch holds.
    public var maxBatchSize: Int = 10_000
    /// How long one poll waits for the first message of a batch.
    public var pollTimeout: Duration = .milliseconds(100)
    /// The longest a broker holds a fetch request open while the partitions are empty (`fetch.wait.max.ms`).
    /// Kafka answers as soon as data arrives; the development broker (librdkafka's mock) holds the request for the
    /// whole wait, which at librdkafka's 500 ms default adds up to half a second per hop of a pipeline. 50 ms
    /// costs an idle consumer a few more requests a second.
    public var fetchWaitMax: Duration = .milliseconds(50)
    /// How often librdkafka emits statistics to ``onStatistics``; `nil` for never.
    public var statisticsInterval: Duration? = nil
    /// Receives each statistics report (consumer lag per partition), on the consumer's polling thread.
    public var onStatistics: (@Sendable (KafkaStatistics) -> Void)? = nil

    /// Creates a consumer configuration.
    public init(kafka: KafkaConfiguration, groupID: String) {
        self.kafka = kafka
        self.groupID = groupID
    }

    var librdkafkaProperties: [String: String] {
        var defaults = [
            "client.id": clientID,
            "group.id": groupID,
            "partition.assignment.strategy": assignmentStrategy,
            "session.timeout.ms": String(sessionTimeout.milliseconds),
            "max.poll.interval.ms": String(maxPollInterval.milliseconds),
            "auto.offset.reset": autoOffsetReset,
            "enable.auto.commit": enableAutoCommit ? "true" : "false",
            "enable.auto.offset.store": "false",
            "enable.partition.eof": "false",
            // librdkafka 2.0.2 checks this per-partition prefetch limit against the one shared consumer queue, so
            // with many partitions every fetch stopped for about a second at a time; queued.max.messages.kbytes
            // (64 MiB for the whole queue) still bounds the memory.
            "queued.min.messages": "1000000",
            "fetch.wait.max.ms": String(fetchWaitMax.milliseconds),
        ].merging(Self.prefetchProperties()) { $1 }
        if let groupInstanceID { defaults["group.instance.id"] = groupInstanceID }
        if let statisticsInterval { defaults["statistics.interval.ms"] = String(statisticsInterval.milliseconds) }
        return kafka.librdkafkaProperties(defaults: defaults)
    }

    /// How much the consumer fetches ahead of the application, by the `version` of the librdkafka loaded.
    ///
    /// librdkafka before 2.2.0 (Debian 12's 2.0.2) stops fetching for a fixed second once its queue holds
    /// `queued.max.messages.kbytes`, so the queue must hold a second of input: librdkafka's 64 MiB default stays.
    /// From 2.2.0 `fetch.queue.backoff.ms` sets that pause: at 10 ms a 4 MiB queue kept `ot-registrations`' rate
    /// and took its peak from 147 MiB (the default queue) to 124–133 MiB with librdkafka 2.12.1 (docs/operations.md,
    /// 2026-12-06). `KAFKA_*` variables still win.
    static func prefetchProperties(version: Int32 = rd_kafka_version()) -> [String: String] {
        guard version >= 0x0202_0000 else { return [:] }
        return ["fetch.queue.backoff.ms": "10", "queued.max.messages.kbytes": "4096"]
    }
}
