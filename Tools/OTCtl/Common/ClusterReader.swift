import Foundation
import Kafka
import Synchronization

/// Otctl's read-only view of the cluster: the partitions of a topic, how many messages topics hold, and a topic read
/// from its beginning to where it ended when the read began.
///
/// Reads by assigning partitions, never by joining a consumer group, so that it never disturbs the services'
/// groups.
final class ClusterReader: Sendable {
    /// The brokers and client settings.
    let kafka: KafkaConfiguration
    private let consumer: KafkaConsumer
    private let partitionCache = Mutex<[String: [Int32]]>([:])

    /// Connects (lazily: nothing is sent until the first question).
    init(kafka: KafkaConfiguration) throws {
        self.kafka = kafka
        consumer = try KafkaConsumer(configuration: Self.consumerConfiguration(kafka), logger: otctlLogger)
    }

    /// Closes the connection.
    func close() async {
        await consumer.close()
    }

    /// The partition ids of `topic`.
    /// - Throws: ``OTCtlError`` when the topic does not exist.
    func partitions(of topic: String) async throws -> [Int32] {
        if let cached = partitionCache.withLock({ $0[topic] }) { return cached }
        let metadata = try await KafkaAdmin(configuration: kafka, logger: otctlLogger).metadata()
        var found: [String: [Int32]] = [:]
        for (name, entry) in metadata.topics where entry.error == nil {
            found[name] = entry.partitions.map(\.id).sorted()
        }
        partitionCache.withLock { $0.merge(found) { _, new in new } }
        guard let partitions = found[topic], !partitions.isEmpty else {
            throw OTCtlError("topic \(topic) does not exist on \(kafka.bootstrapServers)")
        }
        return partitions
    }

    /// The low and high watermark of every partition of `topic`.
    func watermarks(of topic: String) async throws -> [Int32: (low: Int64, high: Int64)] {
        var result: [Int32: (low: Int64, high: Int64)] = [:]
        for partition in try await partitions(of: topic) {
            result[partition] = try await consumer.watermarks(
                of: KafkaTopicPartition(topic: topic, partition: partition))
        }
        return result
    }

    /// How many messages each of `topics` holds (high minus low watermark, over its partitions); a topic that does
    /// not exist counts 0.
    func messageCounts(of topics: [String]) async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for topic in topics {
            guard (try? await partitions(of: topic)) != nil else {
                counts[topic] = 0
                continue
            }
            counts[topic] = try await watermarks(of: topic).values.reduce(0) { $0 + $1.high - $1.low }
        }
        return counts
    }

    /// Every message `topic` holds now: each partition from its low to its high watermark as they are when the
    /// read begins (later messages are not waited for).
    /// - Throws: ``OTCtlError`` when the topic does not exist, or when the messages do not arrive within `timeout`.
    func readToEnd(_ topic: String, timeout: Duration = .seconds(60)) async throws -> [KafkaConsumerMessage] {
        var partitionEnds: [Int32: Int64] = [:]
        var positions: [KafkaTopicPartitionOffset] = []
        for (partition, marks) in try await watermarks(of: topic) where marks.high > marks.low {
            partitionEnds[partition] = marks.high
            positions.append(KafkaTopicPartitionOffset(topic: topic, partition: partition, offset: marks.low))
        }
        guard !positions.isEmpty else { return [] }
        let reader = try KafkaConsumer(configuration: Self.consumerConfiguration(kafka), logger: otctlLogger)
        try await reader.assign(positions)
        let ends = partitionEnds
        let collected = try await withDeadline(timeout, doing: "reading \(topic) to its end") {
            var messages: [KafkaConsumerMessage] = []
            var remaining = ends
            for try await event in reader.events {
                guard case .messages(let batch) = event else { continue }
                for message in batch {
                    guard let end = remaining[message.partition], message.offset < end else { continue }
                    messages.append(message)
                    if message.offset + 1 >= end { remaining[message.partition] = nil }
                }
                if remaining.isEmpty { break }
            }
            return messages
        }
        await reader.close()
        return collected
    }

    /// A consumer configuration for reading by assignment: a group id of its own that is never joined, no commits.
    static func consumerConfiguration(_ kafka: KafkaConfiguration) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupID: "otctl-\(UUID().uuidString.lowercased())")
        configuration.clientID = "otctl"
        configuration.pollTimeout = .milliseconds(50)
        return configuration
    }
}

/// Runs `operation`, failing with ``OTCtlError`` if it has not finished within `timeout` (it is cancelled then).
func withDeadline<T: Sendable>(
    _ timeout: Duration, doing what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw OTCtlError("timed out after \(timeout.seconds) \(what)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
