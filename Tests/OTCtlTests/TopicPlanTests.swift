import Foundation
import Kafka
import KafkaTesting
import OTContract
import TestTraits
import Testing

@testable import OTCtl

@Suite(
    "otctl topics: the contract's topics on a cluster", .serialized, .tags(.broker), .needsBroker,
    .timeLimit(.minutes(5)))
struct TopicPlanTests {
    @Test("every topic of the contract, with its cleanup policy and retention")
    func specifications() throws {
        let plan = TopicPlan(partitions: 12, replication: 3, auditRetentionDays: 3_650)
        let byName = Dictionary(uniqueKeysWithValues: plan.specifications.map { ($0.name, $0) })
        #expect(
            byName.count == Topic.all.count
                && plan.specifications.allSatisfy { $0.partitions == 12 && $0.replicationFactor == 3 })
        let day = 86_400_000
        #expect(
            byName["vigo.enrollment.v1"]?.configuration == ["cleanup.policy": "delete", "retention.ms": "\(7 * day)"])
        #expect(byName["ot.replies.v1"]?.configuration["retention.ms"] == "\(day)")
        #expect(byName["ot-registrations.dlq.v1"]?.configuration["retention.ms"] == "\(30 * day)")
        #expect(byName["ot.audit.v1"]?.configuration == ["cleanup.policy": "delete", "retention.ms": "\(3_650 * day)"])
        #expect(
            byName["ot-followup-plans.changelog.v1"]?.configuration == [
                // An hour, three hours, an hour: an erased person's older values leave within hours.
                "cleanup.policy": "compact", "retention.ms": "-1", "min.compaction.lag.ms": "3600000",
                "max.compaction.lag.ms": "10800000", "delete.retention.ms": "3600000",
            ])
        #expect(byName["ot.statistics.v1"]?.configuration["cleanup.policy"] == "compact")
    }

    @Test("check reads the broker's metadata: a missing topic and a wrong partition count are named")
    func check() async throws {
        let all = Topic.all.map(\.name)
        let kafka = try EmbeddedKafka(
            brokers: 1, topics: all.filter { $0 != Topic.audit.name && $0 != Topic.replies.name })
        try kafka.createTopic(Topic.replies.name, partitions: 3)
        let admin = try KafkaAdmin(configuration: kafka.configuration, logger: kafka.logger)
        let rows = TopicPlan().check(try await admin.metadata())
        #expect(rows.map(\.topic) == all)
        #expect(rows.filter { !$0.isRight }.map(\.topic) == [Topic.audit.name, Topic.replies.name])
        #expect(rows.first { $0.topic == Topic.audit.name }?.problem == "missing")
        #expect(
            rows.first { $0.topic == Topic.replies.name }?.problem == "3 partitions, not 12: co-partitioning breaks")
        await #expect(throws: OTCtlError.self) { try await TopicsCommand.Check.report(rows) }

        // The development broker answers no CreateTopics: create says so instead of hanging.
        await #expect(throws: KafkaError.self) {
            try await admin.createTopics(
                [TopicPlan().specifications.first { $0.name == Topic.audit.name }!], timeout: .seconds(5))
        }
    }

    @Test("create is idempotent: on a cluster that has every topic it creates nothing, changes nothing, and checks")
    func createTwice() async throws {
        // The development broker answers no CreateTopics, so the first run (which creates) is Apache Kafka's part;
        // here every topic exists already, as after a first run, and create runs twice more.
        let kafka = try EmbeddedKafka(brokers: 1, systemTopics: true)
        let admin = try KafkaAdmin(configuration: kafka.configuration, logger: kafka.logger)
        let before = try await admin.metadata()
        for _ in 1...2 {
            let create = try TopicsCommand.Create.parse(["--brokers", kafka.configuration.bootstrapServers])
            try await create.run()
        }
        let after = try await admin.metadata()
        for topic in Topic.all {
            #expect(after.topics[topic.name]?.partitions.count == Int(Topic.defaultPartitionCount))
            #expect(after.topics[topic.name]?.partitions.count == before.topics[topic.name]?.partitions.count)
        }
    }
}
