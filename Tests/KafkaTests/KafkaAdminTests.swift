import Kafka
import KafkaTesting
import TestTraits
import Testing

@Suite("KafkaAdmin against the embedded broker", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct KafkaAdminTests {
    @Test("metadata lists the brokers and each topic with its partition count")
    func metadata() async throws {
        let kafka = try EmbeddedKafka(brokers: 3, topics: ["a", "b"], partitions: 5)
        try kafka.createTopic("c", partitions: 7)
        let admin = try KafkaAdmin(configuration: kafka.configuration, logger: kafka.logger)
        let metadata = try await admin.metadata()
        #expect(metadata.brokers.map(\.id).sorted() == [1, 2, 3])
        #expect(metadata.topics["a"]?.partitionCount == 5)
        #expect(metadata.topics["b"]?.partitionCount == 5)
        #expect(metadata.topics["c"]?.partitionCount == 7)
        #expect(metadata.topics["c"]?.partitions.allSatisfy { (1...3).contains($0.leader) } == true)
    }

    @Test("CreateTopics against the mock broker fails with a clear timeout, not a hang")
    func createTopicsOnMock() async throws {
        let kafka = try EmbeddedKafka(brokers: 1)
        let admin = try KafkaAdmin(configuration: kafka.configuration, logger: kafka.logger)
        do {
            try await admin.createTopics(
                [KafkaTopicSpecification(name: "x", partitions: 12, configuration: ["cleanup.policy": "compact"])],
                timeout: .seconds(2))
            Issue.record("the mock broker was expected to answer no CreateTopics")
        } catch {
            #expect(error.kind == .admin)
            #expect(error.code == .timedOut)
        }
    }
}
