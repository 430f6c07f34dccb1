/// What the cluster told about itself.
public struct KafkaClusterMetadata: Sendable, Hashable {
    /// A broker of the cluster.
    public struct Broker: Sendable, Hashable {
        public var id: Int32
        public var host: String
        public var port: Int32
    }

    /// A topic and its partitions.
    public struct Topic: Sendable, Hashable {
        public var name: String
        /// The partitions, each with its leader broker id.
        public var partitions: [(id: Int32, leader: Int32)] {
            zip(partitionIDs, leaders).map { ($0, $1) }
        }
        /// The number of partitions.
        public var partitionCount: Int { partitionIDs.count }
        /// An error the cluster gave for this topic (for example unknown topic).
        public var error: KafkaError.Code?
        var partitionIDs: [Int32]
        var leaders: [Int32]
    }

    /// The brokers.
    public var brokers: [Broker]
    /// The topics, by name.
    public var topics: [String: Topic]
}
