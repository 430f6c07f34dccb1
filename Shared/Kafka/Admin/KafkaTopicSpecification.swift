/// A topic to create.
public struct KafkaTopicSpecification: Sendable, Hashable {
    /// The topic's name.
    public var name: String
    /// How many partitions it has.
    public var partitions: Int32
    /// How many copies of each partition the cluster keeps.
    public var replicationFactor: Int32
    /// Topic configuration, such as `cleanup.policy=compact`.
    public var configuration: [String: String]

    /// Creates a topic specification.
    public init(name: String, partitions: Int32, replicationFactor: Int32 = 1, configuration: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configuration = configuration
    }
}
