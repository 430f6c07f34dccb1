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

    @Test("stops when the process that launched it dies without stopping it (ParentWatch)")
    func stopsWithoutItsLauncher() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dev-broker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A shell launches the broker as the tools do (OT_PARENT_PID, its own pid), prints the broker's pid and
        // stays as `sleep`; then it is killed, as a crashed launcher would be.
        let broker = ChildProcess.buildDirectory.appendingPathComponent("ot-dev-broker").path
        let script = """
            OT_PARENT_PID=$$ '\(broker)' --brokers 1 --partitions 1 --data-dir '\(directory.path)' & \
            echo "broker $!"; exec sleep 600
            """
        let launcher = try await ChildProcess(executable: "/bin/sh", arguments: ["-c", script])
        var lines = launcher.lines.makeAsyncIterator()
        var brokerPid: Int32?
        while brokerPid == nil, let line = await lines.next() {
            if line.hasPrefix("broker ") { brokerPid = Int32(line.dropFirst("broker ".count)) }
        }
        let pid = try #require(brokerPid)
        // Serving: it writes the bootstrap file once its cluster is up.
        while await lines.next().map({ !$0.contains("bootstrap") }) ?? false {}
        #expect(Self.isRunning(pid), "the broker runs while its launcher does")

        await launcher.kill()
        // It notices within a second or so and shuts down gracefully (its bootstrap file removed).
        let deadline = ContinuousClock.now + .seconds(30)
        while Self.isRunning(pid), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))  // polling a process table: no event to await
        }
        #expect(!Self.isRunning(pid), "ot-dev-broker \(pid) outlived its launcher")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("bootstrap.servers").path))
    }

    /// Whether process `pid` exists and has not exited (an exited child that no one has reaped yet is a zombie).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return false }
        return state != "Z" && state != "X"
    }
}
