import Kafka
import OTContract

extension CloudEvent {
    /// Decodes the CloudEvent a Kafka message carries (structured or binary mode).
    public init(message: KafkaConsumerMessage) throws {
        self = try CloudEvent.decode(value: message.value, headers: message.headers.map { ($0.name, $0.value) })
    }
}
