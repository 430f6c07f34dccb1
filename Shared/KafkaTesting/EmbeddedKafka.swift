import Kafka
import Logging
import OTContract

/// An in-process embedded broker for tests: librdkafka's mock cluster with the topics a test needs, and clients
/// configured for it with the short group timeouts the mock broker needs (see docs/broker.md).
///
/// ```swift
/// let kafka = try EmbeddedKafka(topics: ["orders"])
/// let producer = try kafka.makeProducer()
/// let consumer = try kafka.makeConsumer(groupID: "g")
/// ```
public final class EmbeddedKafka: Sendable {
    /// The mock cluster, for fault injection.
    public let cluster: KafkaMockCluster
    /// The partition count of every topic created here.
    public let partitions: Int32
    /// A logger for the clients, at `warning` unless `OT_LOG_LEVEL` says otherwise.
    public let logger: Logger

    /// Starts a mock cluster and creates `topics`, and also every system topic when `systemTopics` is set.
    public init(
        brokers: Int = 3, topics: [String] = [], partitions: Int32 = Topic.defaultPartitionCount,
        systemTopics: Bool = false, label: String = "embedded-kafka"
    ) throws(KafkaError) {
        cluster = try KafkaMockCluster(brokers: brokers)
        self.partitions = partitions
        var logger = Logger(label: label)
        logger.logLevel = testLogLevel()
        self.logger = logger
        let names = topics + (systemTopics ? Topic.all.map(\.name) : [])
        for name in names { try cluster.createTopic(name, partitions: partitions) }
    }

    /// Creates another topic.
    public func createTopic(_ name: String, partitions: Int32? = nil) throws(KafkaError) {
        try cluster.createTopic(name, partitions: partitions ?? self.partitions)
    }

    /// A client configuration for this broker.
    public var configuration: KafkaConfiguration { cluster.configuration }

    /// A producer with the project's defaults (idempotent, murmur2_random).
    public func makeProducer(
        _ configure: (inout KafkaProducerConfiguration) -> Void = { _ in }
    ) throws(KafkaError) -> KafkaProducer {
        try configuration.testProducer(logger: logger, configure)
    }

    /// A consumer in group `groupID` with test timeouts: 6 s session, 8 s max poll interval.
    public func makeConsumer(
        groupID: String,
        startOffsets: (@Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64])? = nil,
        configure: (inout KafkaConsumerConfiguration) -> Void = { _ in }
    ) throws(KafkaError) -> KafkaConsumer {
        try configuration.testConsumer(
            groupID: groupID, logger: logger, startOffsets: startOffsets, configure: configure)
    }
}

extension KafkaConsumerConfiguration {
    /// The group timeouts that suit the mock broker in tests: a member that joins a running group stalls the
    /// rebalance until `max.poll.interval.ms`, so keep it short (design.md, docs/broker.md).
    public mutating func applyTestTimeouts() {
        sessionTimeout = .seconds(6)
        maxPollInterval = .seconds(8)
        pollTimeout = .milliseconds(50)
    }
}
