import CRdKafka

/// librdkafka's mock cluster: brokers speaking the Kafka protocol on loopback ports, in this process.
///
/// The embedded development broker for running and testing (`ot-dev-broker` hosts one in its own process).
/// Measured limits of librdkafka 2.0.2's mock (see docs/broker.md): messages are kept in memory, at most 5 MiB
/// or 100,000 batches per partition; no CreateTopics (create topics with ``createTopic(_:partitions:replicationFactor:)``);
/// a group join takes about 3 s. Its connections send without Nagle's delay (`TCP_NODELAY`), as Kafka's brokers do.
///
/// All methods are thread-safe: they post operations to the cluster's own thread.
public final class KafkaMockCluster: @unchecked Sendable {
    private let mock: OpaquePointer
    private let cluster: OpaquePointer

    /// The bootstrap servers, `127.0.0.1:port,...`, on random ports.
    public let bootstrapServers: String
    /// How many brokers run; their ids are 1 through this number.
    public let brokerCount: Int

    /// Starts a cluster.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/mockCluster`` when it cannot start.
    public init(brokers: Int = 3) throws(KafkaError) {
        var errorText = [CChar](repeating: 0, count: 512)
        guard let mock = CRdKafka_mock_new(Int32(brokers), &errorText, errorText.count) else {
            let text = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(.mockCluster, "cannot start the mock cluster: \(text)")
        }
        self.mock = mock
        self.cluster = CRdKafka_mock_cluster(mock)
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        self.brokerCount = brokers
    }

    deinit { CRdKafka_mock_destroy(mock) }

    /// A client configuration that points at this cluster.
    public var configuration: KafkaConfiguration { KafkaConfiguration(bootstrapServers: bootstrapServers) }

    /// Creates a topic with `partitions` partitions.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        let error = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.mockCluster, error, "cannot create topic \(name) on the mock cluster")
        }
    }

    /// Takes broker `id` down: its connections close and it accepts none until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster, id), "take broker \(id) down")
    }

    /// Brings broker `id` back up.
    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster, id), "bring broker \(id) up")
    }

    /// Delays every response of broker `id` by `roundTripTime`.
    public func setBrokerRoundTripTime(_ id: Int32, _ roundTripTime: Duration) throws(KafkaError) {
        try check(
            rd_kafka_mock_broker_set_rtt(cluster, id, Int32(clamping: roundTripTime.milliseconds)),
            "set the RTT of \(id)")
    }

    /// Makes broker `broker` the leader of a partition.
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker), "move \(topic)[\(partition)]")
    }

    /// Makes the next requests of `api` fail, one error each, in order, whichever broker gets them.
    public func pushRequestErrors(_ api: KafkaAPIKey, _ errors: [KafkaError.Code]) {
        let codes = errors.map(\.rdKafka)
        codes.withUnsafeBufferPointer {
            CRdKafka_mock_push_request_errors(mock, api.rawValue, $0.baseAddress, $0.count)
        }
    }

    private func check(_ error: rd_kafka_resp_err_t, _ action: String) throws(KafkaError) {
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(.mockCluster, error, "cannot \(action)") }
    }
}
