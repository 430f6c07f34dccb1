import CRdKafka
import Foundation
import Logging

/// The Admin API: create topics and read cluster metadata.
///
/// - Important: The embedded development broker (librdkafka's mock cluster) answers no CreateTopics request;
///   ``createTopics(_:timeout:)`` then fails with ``KafkaError/Code/timedOut``. `ot-dev-broker` creates every
///   topic through the mock API instead. On Apache Kafka this is how topics are created.
public final class KafkaAdmin: Sendable {
    private let client: RdKafkaClient
    private let poller: RdKafkaPollThread

    /// Creates an admin client.
    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        let client = try RdKafkaClient(
            kind: .producer, properties: configuration.librdkafkaProperties(defaults: ["client.id": "ot-admin"]),
            handler: RdKafkaCallbackHandler(logger: logger))
        self.client = client
        self.poller = RdKafkaPollThread(name: "kafka-admin") { _ = CRdKafka_poll(client.handle, 100) }
    }

    deinit { poller.stop() }

    /// Creates topics. A topic that already exists counts as created.
    ///
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/admin``: the request failed or timed out, or a topic
    ///   could not be created (the message names it and says why).
    public func createTopics(_ topics: [KafkaTopicSpecification], timeout: Duration = .seconds(30))
        async throws(KafkaError)
    {
        guard !topics.isEmpty else { return }
        let client = self.client
        let failure: KafkaError? = await runBlocking {
            let errorTextSize = 256
            var errors = [rd_kafka_resp_err_t](repeating: RD_KAFKA_RESP_ERR_NO_ERROR, count: topics.count)
            var errorText = [CChar](repeating: 0, count: topics.count * errorTextSize)
            var cStrings: [UnsafeMutablePointer<CChar>?] = []
            defer { cStrings.forEach { free($0) } }
            func cString(_ string: String) -> UnsafePointer<CChar>? {
                let copy = strdup(string)
                cStrings.append(copy)
                return UnsafePointer(copy)
            }
            let keyArrays = topics.map { $0.configuration.keys.sorted().map { cString($0) } }
            let valueArrays = zip(topics, keyArrays).map { topic, _ in
                topic.configuration.sorted { $0.key < $1.key }.map { cString($0.value) }
            }
            let names = topics.map { cString($0.name) }
            let result: rd_kafka_resp_err_t = withArrays(keyArrays + valueArrays) { pointers in
                let specs = topics.indices.map { index in
                    CRdKafka_new_topic(
                        name: names[index], partitions: topics[index].partitions,
                        replication_factor: topics[index].replicationFactor,
                        config_keys: pointers[index], config_values: pointers[topics.count + index],
                        config_count: topics[index].configuration.count)
                }
                return CRdKafka_create_topics(
                    client.handle, specs, specs.count, Int32(clamping: timeout.milliseconds), &errors, &errorText,
                    errorTextSize)
            }
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return KafkaError(.admin, result, "cannot create topics (the mock broker answers no CreateTopics)")
            }
            for (index, error) in errors.enumerated()
            where error != RD_KAFKA_RESP_ERR_NO_ERROR && error != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                let text = errorText[(index * errorTextSize)...].prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
                return KafkaError(
                    .admin, code: .init(error),
                    "cannot create topic \(topics[index].name): \(String(decoding: text, as: UTF8.self))")
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Reads the brokers and every topic with its partitions.
    public func metadata(timeout: Duration = .seconds(10)) async throws(KafkaError) -> KafkaClusterMetadata {
        let client = self.client
        let result: Result<KafkaClusterMetadata, KafkaError> = await runBlocking {
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let error = rd_kafka_metadata(client.handle, 1, nil, &metadata, Int32(clamping: timeout.milliseconds))
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return .failure(KafkaError(.admin, error, "cannot read cluster metadata"))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            let brokers = UnsafeBufferPointer(start: metadata.pointee.brokers, count: Int(metadata.pointee.broker_cnt))
                .map { KafkaClusterMetadata.Broker(id: $0.id, host: String(cString: $0.host), port: $0.port) }
            var topics: [String: KafkaClusterMetadata.Topic] = [:]
            for topic in UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt)) {
                let name = String(cString: topic.topic)
                let partitions = UnsafeBufferPointer(start: topic.partitions, count: Int(topic.partition_cnt))
                topics[name] = KafkaClusterMetadata.Topic(
                    name: name,
                    error: topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : .init(topic.err),
                    partitionIDs: partitions.map(\.id), leaders: partitions.map(\.leader))
            }
            return .success(KafkaClusterMetadata(brokers: brokers, topics: topics))
        }
        return try result.get()
    }
}

/// Calls `body` with a C array (`const char *const *`) for each array of C strings.
private func withArrays<R>(
    _ arrays: [[UnsafePointer<CChar>?]], _ body: ([UnsafePointer<UnsafePointer<CChar>?>?]) -> R
) -> R {
    let buffers = arrays.map { array -> UnsafeMutablePointer<UnsafePointer<CChar>?> in
        let buffer = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(1, array.count))
        buffer.initialize(from: array, count: array.count)
        return buffer
    }
    defer { buffers.forEach { $0.deallocate() } }
    return body(buffers.map { UnsafePointer($0) })
}

extension KafkaClusterMetadata.Topic {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.error == rhs.error && lhs.partitionIDs == rhs.partitionIDs
            && lhs.leaders == rhs.leaders
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(partitionIDs)
    }
}
