/// How a ``KafkaProducer`` behaves. The defaults are the project's: idempotent, `murmur2_random` partitioning
/// (the Java client's, so that a key lands on the same partition number in every topic), all replicas acknowledge.
public struct KafkaProducerConfiguration: Sendable {
    /// Brokers and pass-through properties.
    public var kafka: KafkaConfiguration
    /// A name for the client in broker logs and metrics.
    public var clientID: String = "ot"
    /// Exactly-once delivery per partition, in order, across retries (`enable.idempotence`).
    public var idempotent: Bool = true
    /// The partitioner for messages without an explicit partition.
    public var partitioner: String = "murmur2_random"
    /// How long to wait to fill a batch (`linger.ms`).
    public var linger: Duration = .milliseconds(5)
    /// How long librdkafka tries to deliver a message before reporting failure (`message.timeout.ms`).
    public var deliveryTimeout: Duration = .seconds(300)
    /// The most messages librdkafka holds undelivered (`queue.buffering.max.messages`); a sender waits when it
    /// is full.
    public var queueCapacity: Int = 100_000
    /// How often librdkafka emits statistics to ``onStatistics``; `nil` for never.
    public var statisticsInterval: Duration? = nil
    /// Receives each statistics report, on the producer's polling thread.
    public var onStatistics: (@Sendable (KafkaStatistics) -> Void)? = nil

    /// Creates a producer configuration.
    public init(kafka: KafkaConfiguration) {
        self.kafka = kafka
    }

    var librdkafkaProperties: [String: String] {
        var defaults = [
            "client.id": clientID,
            "enable.idempotence": idempotent ? "true" : "false",
            "partitioner": partitioner,
            "acks": "all",
            "linger.ms": String(linger.milliseconds),
            "message.timeout.ms": String(deliveryTimeout.milliseconds),
            "queue.buffering.max.messages": String(queueCapacity),
        ]
        if let statisticsInterval { defaults["statistics.interval.ms"] = String(statisticsInterval.milliseconds) }
        return kafka.librdkafkaProperties(defaults: defaults)
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
