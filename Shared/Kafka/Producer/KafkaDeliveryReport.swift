/// What happened to one produced message.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The message's topic.
    public var topic: String
    /// The partition it was written to (or meant for, when it failed; -1 if none was chosen).
    public var partition: Int32
    /// Its offset in the partition, when the broker acknowledged it.
    public var offset: Int64
    /// Why it was not delivered; `nil` when it was.
    public var error: KafkaError?

    /// Whether the broker acknowledged the message.
    public var isDelivered: Bool { error == nil }
}
