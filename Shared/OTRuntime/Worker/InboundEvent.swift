import Kafka
import OTContract

/// An event as the handler sees it: the decoded envelope and where it came from.
public struct InboundEvent: Sendable {
    /// The CloudEvents envelope, with the payload undecoded in its `data`.
    public let cloudEvent: CloudEvent
    /// The Kafka message it arrived in.
    public let message: KafkaConsumerMessage

    /// The topic it was read from.
    public var topic: String { message.topic }
    /// The message key (the person's national ID on person-keyed topics).
    public var key: String? { message.keyString }
}
