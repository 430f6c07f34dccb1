import Kafka
import OTContract

/// One message of a simulated stream: an upstream event or a case worker's command, for a topic and a key.
public struct SimulatedEvent: Sendable, Equatable {
    /// The topic: ``Topic/enrollment`` or ``Topic/registrationCommands``.
    public var topic: Topic
    /// The Kafka key: the youth's national ID, as digits.
    ///
    /// - Important: The full national ID: for the message key only, never for output.
    public var key: String
    /// The event, in the CloudEvents envelope; its `time` is the simulated moment.
    public var event: CloudEvent
    /// The youth it concerns (``SimulatedYouth/index``).
    public var youth: Int
    /// The date the event is about (its deadline, effective date, or the day it happened).
    public var date: LocalDate

    /// The message to produce: structured mode (`content-type: application/cloudevents+json`), keyed by national ID.
    ///
    /// No Kafka timestamp is set: the broker stamps it when it is produced, so that a past school year is not
    /// removed at once by a topic's time-based retention.
    public var message: KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topic.name, key: Array(key.utf8), value: event.structuredJSON(),
            headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
    }
}
