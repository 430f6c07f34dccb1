/// The headers a dead letter (a message on `<service>.dlq.v1`, ``Topic/deadLetters(of:)``) carries after its own:
/// where it was consumed from and why it could not be processed.
///
/// The worker runtime writes them; `otctl dlq` reads them to list dead letters and to publish them again to the
/// partition they came from. A dead letter's headers are the original message's, then these, then the
/// `ot-outbox-id` of the publishing service.
public enum DeadLetterHeader {
    /// The topic the message was consumed from.
    public static let sourceTopic = "ot-dlq-source-topic"
    /// Its partition there.
    public static let sourcePartition = "ot-dlq-source-partition"
    /// Its offset there.
    public static let sourceOffset = "ot-dlq-source-offset"
    /// Why it could not be processed (national IDs masked).
    public static let error = "ot-dlq-error"
    /// How many times processing was tried.
    public static let attempts = "ot-dlq-attempts"

    /// What every one of these headers' names begins with.
    public static let prefix = "ot-dlq-"
}
