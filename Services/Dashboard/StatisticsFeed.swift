import Kafka
import Logging
import OTContract
import ServiceLifecycle

/// Reads `ot.statistics.v1` into the ``StatisticsBoard`` as any dashboard would: every partition from its beginning
/// by assignment (no consumer group: every instance reads everything), the latest record per key wins, a tombstone
/// removes its key; then it follows the topic live.
///
/// The dashboard is ready once it has read every partition up to where it ended at the start. A message that does
/// not decode is counted and logged with its key (statistics carry no personal data) and skipped.
struct StatisticsFeed: Service {
    let kafka: KafkaConfiguration
    let board: StatisticsBoard
    let status: DashboardStatus
    let logger: Logger
    /// How often to look again for a topic that does not exist yet.
    var retryInterval: Duration = .seconds(2)

    func run() async throws {
        let topic = Topic.statistics.name
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupID: "ot-dashboard-unjoined")
        configuration.clientID = "ot-dashboard"
        configuration.pollTimeout = .milliseconds(50)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try await withGracefulShutdownHandler {
            guard let ends = try await waitForPartitions(of: topic, consumer: consumer) else { return }
            try await consumer.assign(
                ends.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.key, offset: $0.value.low) })
            try await follow(consumer, until: ends.filter { $0.value.high > $0.value.low }.mapValues(\.high))
        } onGracefulShutdown: {
            Task { await consumer.close() }
        }
        await consumer.close()
        board.finish()
    }

    /// The topic's partitions with their watermarks, once the topic exists; `nil` when shut down before.
    private func waitForPartitions(of topic: String, consumer: KafkaConsumer) async throws
        -> [Int32: (low: Int64, high: Int64)]?
    {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        var warned = false
        while !Task.isCancelled && !isShuttingDown {
            let metadata = try? await admin.metadata()
            if let entry = metadata?.topics[topic], entry.error == nil, !entry.partitions.isEmpty {
                var ends: [Int32: (low: Int64, high: Int64)] = [:]
                for partition in entry.partitions {
                    ends[partition.id] = try await consumer.watermarks(
                        of: KafkaTopicPartition(topic: topic, partition: partition.id))
                }
                return ends
            }
            if !warned {
                logger.warning("waiting for the statistics topic", metadata: ["topic": "\(topic)"])
                warned = true
            }
            status.notReady("waiting for \(topic)")
            try? await Task.sleep(for: retryInterval)
        }
        return nil
    }

    private var isShuttingDown: Bool { Task.isShuttingDownGracefully }

    /// Applies every batch; ready once each partition reached its end as it was at the start.
    private func follow(_ consumer: KafkaConsumer, until startEnds: [Int32: Int64]) async throws {
        var behind = startEnds
        if behind.isEmpty { markReady() } else { status.notReady("reading \(Topic.statistics.name)") }
        for try await event in consumer.events {
            guard case .messages(let messages) = event else { continue }
            var changes: [(key: StatisticsKey, record: StatisticsUpdated?)] = []
            var undecodable = 0
            for message in messages {
                if let change = decode(message) { changes.append(change) } else { undecodable += 1 }
                if let end = behind[message.partition], message.offset + 1 >= end { behind[message.partition] = nil }
            }
            board.apply(changes)
            status.counted(messages: messages.count, undecodable: undecodable, recordsHeld: board.count)
            if !behind.isEmpty || status.reasonNotReady == nil { continue }
            markReady()
        }
    }

    private func markReady() {
        status.ready()
        logger.info("statistics read", metadata: ["records": "\(board.count)"])
    }

    /// The key and record of a message (`nil` record: a tombstone); `nil` when it does not decode.
    private func decode(_ message: KafkaConsumerMessage) -> (key: StatisticsKey, record: StatisticsUpdated?)? {
        guard let value = message.value else {
            guard let text = message.keyString, let key = try? StatisticsKey(text) else { return nil }
            return (key, nil)
        }
        do {
            let event = try CloudEvent.decode(value: value, headers: message.headers.map { ($0.name, $0.value) })
            guard case .updated(let record) = try StatisticsEvent(event) else { return nil }
            return (record.key, record)
        } catch {
            logger.warning(
                "a statistics message did not decode; not shown",
                metadata: [
                    "key": "\(message.keyString ?? "-")", "partition": "\(message.partition)",
                    "offset": "\(message.offset)", "error": "\(error)",
                ])
            return nil
        }
    }
}
