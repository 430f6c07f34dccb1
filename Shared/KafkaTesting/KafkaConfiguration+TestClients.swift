import Kafka
import Logging

extension KafkaConfiguration {
    /// A producer for this broker with the project's defaults (idempotent, murmur2_random).
    func testProducer(
        logger: Logger, _ configure: (inout KafkaProducerConfiguration) -> Void = { _ in }
    ) throws(KafkaError) -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(kafka: self)
        configure(&configuration)
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    /// A consumer for this broker in group `groupID`, with the development broker's group timeouts
    /// (``KafkaConsumerConfiguration/applyTestTimeouts()``).
    func testConsumer(
        groupID: String, logger: Logger,
        startOffsets: (@Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64])? = nil,
        configure: (inout KafkaConsumerConfiguration) -> Void = { _ in }
    ) throws(KafkaError) -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(kafka: self, groupID: groupID)
        configuration.applyTestTimeouts()
        configure(&configuration)
        return try KafkaConsumer(configuration: configuration, logger: logger, startOffsets: startOffsets)
    }
}
