import ArgumentParser
import Foundation
import Kafka
import OTContract

/// `otctl topics create|check`: the contract's topics (`Topic.all`) on a cluster.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract:
            "Create or check every topic of the contract, with its partitions, replication, cleanup and retention.",
        subcommands: [Create.self, Check.self])

    /// Options both subcommands share.
    struct PlanOptions: ParsableArguments {
        @Option(help: "Partitions of every topic (co-partitioning needs one count for all).")
        var partitions: Int32 = Topic.defaultPartitionCount

        @Option(help: "Replicas of every partition (3 on a production cluster).")
        var replication: Int32 = 1

        @Option(help: "Days ot.audit.v1 keeps the access log (the county's archive rules; 1826 = 5 years).")
        var auditRetentionDays: Int?

        func validate() throws {
            guard partitions > 0 else { throw ValidationError("--partitions must be positive") }
            guard replication > 0 else { throw ValidationError("--replication must be positive") }
            if let auditRetentionDays, auditRetentionDays < 1 {
                throw ValidationError("--audit-retention-days must be at least 1")
            }
        }

        var plan: TopicPlan {
            TopicPlan(partitions: partitions, replication: replication, auditRetentionDays: auditRetentionDays)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the topics that are missing (idempotent), then check them all.",
            discussion: """
                Each topic gets the contract's configuration: cleanup.policy, retention.ms, and for compacted \
                topics min.compaction.lag.ms, max.compaction.lag.ms and delete.retention.ms. A topic that exists is left as it is. \
                ot-dev-broker makes its own topics: the development broker answers no CreateTopics.
                """)

        @OptionGroup var options: PlanOptions
        @Flag(help: "Print what would be created, without creating it.")
        var dryRun = false
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            let plan = options.plan
            if dryRun {
                for specification in plan.specifications {
                    let settings = specification.configuration.sorted { $0.key < $1.key }.map {
                        "\($0.key)=\($0.value)"
                    }
                    output(
                        "\(specification.name)  partitions \(specification.partitions), replication "
                            + "\(specification.replicationFactor), \(settings.joined(separator: " "))")
                }
                return
            }
            let admin = try KafkaAdmin(configuration: try await broker.configuration(), logger: otctlLogger)
            let before = plan.check(try await admin.metadata())
            let missing = Set(before.filter { $0.partitions == nil }.map(\.topic))
            let specifications = plan.specifications.filter { missing.contains($0.name) }
            do {
                try await admin.createTopics(specifications)
            } catch {
                throw OTCtlError("\(error)")
            }
            output("created \(specifications.count) topics, \(before.count - missing.count) were there")
            try await Check.report(plan.check(try await admin.metadata()))
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that every topic of the contract exists with the partition count; exit 1 if not.")

        @OptionGroup var options: PlanOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            let admin = try KafkaAdmin(configuration: try await broker.configuration(), logger: otctlLogger)
            try await Self.report(options.plan.check(try await admin.metadata()))
        }

        /// Prints one line per topic; throws when any is missing or has the wrong partition count.
        static func report(_ rows: [TopicPlan.Row]) async throws {
            for row in rows {
                output("\(row.topic.padding(toLength: 34, withPad: " ", startingAt: 0)) \(row.problem ?? "ok")")
            }
            let wrong = rows.filter { !$0.isRight }
            guard wrong.isEmpty else {
                throw OTCtlError(
                    "\(wrong.count) of \(rows.count) topics are missing or wrong: \(wrong.map(\.topic).joined(separator: ", "))"
                )
            }
            output("all \(rows.count) topics are there with \(rows.first?.expectedPartitions ?? 0) partitions")
        }
    }
}
