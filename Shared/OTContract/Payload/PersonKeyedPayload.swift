/// A payload about one person, on a topic keyed by the person's national ID.
public protocol PersonKeyedPayload: EventPayload {
    /// The person the event is about.
    var personId: NationalID { get }
}

extension PersonKeyedPayload {
    /// The Kafka key: the person's national ID, so that all of a person's events share one partition number.
    ///
    /// - Important: The full national ID: use it as the message key, never in a log line.
    public var partitionKey: String { personId.digits }
}
