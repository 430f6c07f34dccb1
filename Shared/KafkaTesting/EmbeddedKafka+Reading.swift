import Kafka

extension EmbeddedKafka {
    /// How many messages `topic` holds (the sum over partitions of high minus low watermark).
    public func messageCount(of topic: String) async throws -> Int64 {
        let consumer = try makeConsumer(groupID: "count-\(topic)")
        let count = try await messageCount(of: topic, using: consumer)
        await consumer.close()
        return count
    }

    /// Waits until `topic` holds at least `count` messages, checking every 50 ms, or fails after `timeout`.
    public func waitForMessages(in topic: String, count: Int64, timeout: Duration = .seconds(60)) async throws {
        let consumer = try makeConsumer(groupID: "count-\(topic)")
        do {
            try await eventually("\(count) messages in \(topic)", timeout: timeout) {
                try await self.messageCount(of: topic, using: consumer) >= count ? () : nil
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }

    private func messageCount(of topic: String, using consumer: KafkaConsumer) async throws -> Int64 {
        var total: Int64 = 0
        for partition in 0..<partitions {
            let (low, high) = try await consumer.watermarks(of: KafkaTopicPartition(topic: topic, partition: partition))
            total += high - low
        }
        return total
    }

    /// Reads every message `topic` holds now, from each partition's start to its end.
    public func readToEnd(_ topic: String, timeout: Duration = .seconds(60)) async throws -> [KafkaConsumerMessage] {
        let consumer = try makeConsumer(groupID: "read-\(topic)")
        var total: Int64 = 0
        var positions: [KafkaTopicPartitionOffset] = []
        for partition in 0..<partitions {
            let topicPartition = KafkaTopicPartition(topic: topic, partition: partition)
            let (low, high) = try await consumer.watermarks(of: topicPartition)
            total += high - low
            positions.append(KafkaTopicPartitionOffset(topicPartition, offset: low))
        }
        guard total > 0 else {
            await consumer.close()
            return []
        }
        try await consumer.assign(positions)
        let messages = try await consumer.collect(Int(total), timeout: timeout)
        await consumer.close()
        return messages
    }
}
