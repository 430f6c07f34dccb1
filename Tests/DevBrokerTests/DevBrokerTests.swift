import Foundation
import Kafka
import KafkaTesting
import OTContract
import TestTraits
import Testing

@Suite("ot-dev-broker as a process", .tags(.processes), .needsBroker, .timeLimit(.minutes(10)))
struct DevBrokerTests {
    @Test("creates every system topic with 12 partitions, serves clients, and exits 0 on SIGTERM")
    func lifecycle() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dev-broker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let broker = try await DevBrokerProcess(dataDirectory: directory, arguments: ["--topic", "extra.v1"])

        // Clients find it through the bootstrap file when KAFKA_BROKERS is unset.
        let configuration = try KafkaConfiguration.fromEnvironment(
            [:], bootstrapFile: DataDirectory.bootstrapFile(environment: ["OT_DATA_DIR": directory.path]))
        #expect(configuration.bootstrapServers == broker.bootstrapServers)

        let admin = try KafkaAdmin(configuration: configuration, logger: .init(label: "test"))
        let metadata = try await admin.metadata()
        #expect(metadata.brokers.count == 3)
        for topic in Topic.all + [Topic("extra.v1")] {
            #expect(metadata.topics[topic.name]?.partitionCount == 12, "\(topic.name)")
        }
        #expect(Topic.all.contains(Topic.deadLetters(of: .registrations)))
        #expect(Topic.all.contains(Topic.statisticsRepartition))

        // A round trip through the process.
        let producer = try KafkaProducer(configuration: .init(kafka: configuration), logger: .init(label: "test"))
        let report = try await producer.send(KafkaProducerMessage(topic: Topic.replies.name, key: "c-1", value: "ok"))
        await producer.shutdown()
        let consumer = try KafkaConsumer(
            configuration: .init(kafka: configuration, groupID: "dev-broker-test"), logger: .init(label: "test"))
        try await consumer.assign([.init(topic: Topic.replies.name, partition: report.partition, offset: -2)])
        let received = try await consumer.collect(1)
        #expect(received.first?.valueString == "ok")
        await consumer.close()

        #expect(await broker.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("bootstrap.servers").path))
    }
}
