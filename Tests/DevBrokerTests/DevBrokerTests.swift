import Foundation
import Kafka
import KafkaTesting
import OTContract
import ProcessLaunch
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

    @Test(
        "stops when the process that launched it dies without stopping it (ParentWatch), also through a shell between them",
        arguments: [false, true])
    func stopsWithoutItsLauncher(throughShell: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dev-broker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrapFile = directory.appendingPathComponent("bootstrap.servers").path
        // A shell, the launcher, names itself in OT_PARENT_PID as the tools do and starts the broker (directly, or
        // through a second shell, whose pid it prints), prints the broker's pid and stays as `sleep`; then it is
        // killed, as a crashed launcher would be.
        let start = #""$1" --brokers 1 --partitions 1 --data-dir "$2" & echo "broker $!"; exec sleep 600"#
        let script =
            throughShell
            ? "OT_PARENT_PID=$$ sh -c '\(start)' between \"$1\" \"$2\" & echo \"between $!\"; exec sleep 600"
            : "OT_PARENT_PID=$$ \(start)"
        let broker = ChildProcess.buildDirectory.appendingPathComponent("ot-dev-broker").path
        let launcher = try await ChildProcess(
            executable: "/bin/sh", arguments: ["-c", script, "launcher", broker, directory.path])
        var pids: [String: Int32] = [:]
        var lines = launcher.lines.makeAsyncIterator()
        while pids.count < (throughShell ? 2 : 1), let line = await lines.next() {
            let fields = line.split(separator: " ")
            if fields.count == 2, let pid = Int32(fields[1]) { pids[String(fields[0])] = pid }
        }
        let pid = try #require(pids["broker"])
        defer { if let between = pids["between"] { kill(between, SIGKILL) } }
        // Serving while its launcher runs: its cluster up and its bootstrap file written.
        try await poll("the broker's bootstrap file") {
            FileManager.default.fileExists(atPath: bootstrapFile) || !ParentWatch.isRunning(pid)
        }
        #expect(ParentWatch.isRunning(pid), "the broker stopped while its launcher runs")

        await launcher.kill()
        // It notices within a second or so and shuts down gracefully (its bootstrap file removed).
        try await poll("ot-dev-broker \(pid) to stop without its launcher") { !ParentWatch.isRunning(pid) }
        #expect(!FileManager.default.fileExists(atPath: bootstrapFile))
    }

    @Test("names a launcher by its pid and its start time: a process that got the pid later is not it")
    func launcherByStartTime() async throws {
        let own = try #require(ParentWatch.startTime(of: getpid()))
        #expect(ParentWatch.isRunning(getpid(), startedAt: own))
        // This pid with another start time: what a watch sees once its launcher ended and a new process took its pid.
        #expect(!ParentWatch.isRunning(getpid(), startedAt: own + 1))

        // A process started after this one started later (or in the same clock tick); once it has ended and been
        // reaped, its pid names nothing.
        let sleeper = try await ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo ready; exec sleep 600"])
        var lines = sleeper.lines.makeAsyncIterator()
        _ = await lines.next()
        let pid = sleeper.pid
        let started = try #require(ParentWatch.startTime(of: pid))
        #expect(started >= own)
        #expect(ParentWatch.isRunning(pid, startedAt: started))
        await sleeper.kill()
        #expect(ParentWatch.startTime(of: pid) == nil)
        #expect(!ParentWatch.isRunning(pid, startedAt: started))
    }
}
