/// What a ``KafkaConsumer`` delivers, in order.
public enum KafkaConsumerEvent: Sendable {
    /// A batch of messages, in partition order.
    case messages([KafkaConsumerMessage])
    /// Partitions assigned to this member; their messages follow.
    case assigned([KafkaTopicPartition])
    /// Partitions being taken away. They move to another member only when this one asks for its next event:
    /// finish and commit the work in hand for them first.
    case revoked([KafkaTopicPartition])
    /// Partitions lost without a clean hand-over (the session timed out); another member may own them already,
    /// so work in hand for them must not be committed.
    case lost([KafkaTopicPartition])
}
