import Kafka
import OTContract

/// The contract's topics as a cluster should hold them (`Topic.all`), and how a cluster's metadata compares.
struct TopicPlan {
    /// Partitions of every topic (the contract's 12 unless told).
    var partitions: Int32 = Topic.defaultPartitionCount
    /// Replicas of every partition.
    var replication: Int32 = 1
    /// Days the access log is kept (`ot.audit.v1`'s `retention.ms`), by the county's archive rules.
    var auditRetentionDays: Int?

    /// What to create: every topic of the contract with its partitions, replication and configuration.
    var specifications: [KafkaTopicSpecification] {
        Topic.all.map { topic in
            var topic = topic
            if topic == .audit, let auditRetentionDays { topic.retention = .days(auditRetentionDays) }
            return KafkaTopicSpecification(
                name: topic.name, partitions: partitions, replicationFactor: replication,
                configuration: topic.configuration)
        }
    }

    /// One topic's state in the cluster.
    struct Row: Equatable {
        var topic: String
        var expectedPartitions: Int32
        /// `nil` when the cluster has no such topic.
        var partitions: Int32?

        var isRight: Bool { partitions == expectedPartitions }

        var problem: String? {
            guard let partitions else { return "missing" }
            return partitions == expectedPartitions
                ? nil : "\(partitions) partitions, not \(expectedPartitions): co-partitioning breaks"
        }
    }

    /// How `metadata` compares with the plan, topic by topic in the contract's order. (The Admin API of this build
    /// reads partitions, not configurations: cleanup policy and retention are set at creation.)
    func check(_ metadata: KafkaClusterMetadata) -> [Row] {
        specifications.map { specification in
            let found = metadata.topics[specification.name].flatMap { $0.error == nil ? $0 : nil }
            return Row(
                topic: specification.name, expectedPartitions: specification.partitions,
                partitions: found.map { Int32($0.partitionCount) })
        }
    }
}
