import Foundation

/// One statistics report from librdkafka (its `statistics.interval.ms` JSON), with the figures this project reads.
public struct KafkaStatistics: Sendable {
    /// The raw JSON document, as librdkafka emitted it.
    public let json: [UInt8]

    /// Wraps a JSON document.
    public init(json: [UInt8]) { self.json = json }

    /// Consumer lag per assigned partition (messages between the committed or stored offset and the high
    /// watermark), as librdkafka computes it. Partitions whose lag is not yet known (-1) are left out.
    public func consumerLag() throws -> [KafkaTopicPartition: Int64] {
        let document = try JSONDecoder().decode(Document.self, from: Data(json))
        var lag: [KafkaTopicPartition: Int64] = [:]
        for (topic, entry) in document.topics ?? [:] {
            for (partitionKey, partition) in entry.partitions ?? [:] {
                guard let number = Int32(partitionKey), number >= 0, let value = partition.consumer_lag, value >= 0
                else { continue }
                lag[KafkaTopicPartition(topic: topic, partition: number)] = value
            }
        }
        return lag
    }

    private struct Document: Decodable {
        var topics: [String: Topic]?
    }

    private struct Topic: Decodable {
        var partitions: [String: Partition]?
    }

    private struct Partition: Decodable {
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var consumer_lag: Int64?
    }
}
