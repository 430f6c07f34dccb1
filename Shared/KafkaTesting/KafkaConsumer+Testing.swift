import Kafka

extension KafkaConsumer {
    /// Reads events until `count` messages have arrived (assignment events are skipped), or fails after `timeout`.
    public func collect(
        _ count: Int, timeout: Duration = .seconds(30)
    ) async throws -> [KafkaConsumerMessage] {
        try await withTimeout(timeout, waitingFor: "\(count) messages") {
            var messages: [KafkaConsumerMessage] = []
            for try await event in self.events {
                if case .messages(let batch) = event { messages += batch }
                if messages.count >= count { break }
            }
            return messages
        }
    }
}
