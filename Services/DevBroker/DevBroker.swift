import ArgumentParser
import Foundation
import Kafka
import Logging
import OTContract
import ProcessLaunch
import ServiceLifecycle

/// `ot-dev-broker`: the embedded development broker. Hosts librdkafka's mock cluster in its own process, creates
/// every topic of the system, prints the bootstrap servers and writes them where the other executables look when
/// `KAFKA_BROKERS` is unset, and serves until SIGTERM or SIGINT.
@main
struct DevBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ot-dev-broker",
        abstract: "Run the embedded Kafka broker (librdkafka's mock cluster) with every topic of the system.")

    @Option(help: "How many brokers the cluster has.")
    var brokers: Int = 3

    @Option(help: "The partition count of every topic.")
    var partitions: Int32 = Topic.defaultPartitionCount

    @Option(help: "Where to write the bootstrap file (default: $OT_DATA_DIR or .ot-data).")
    var dataDir: String?

    @Option(name: .customLong("topic"), help: "An extra topic to create (repeatable).")
    var extraTopics: [String] = []

    func run() async throws {
        ParentWatch.start()  // launched by a tool that then died: stop (ProcessLaunch)
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "ot-dev-broker")
        // Any case, as the services take it; any other value refused, as they refuse it.
        if let text = environment["OT_LOG_LEVEL"], !text.isEmpty {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("OT_LOG_LEVEL must be one of \(levels)")
            }
            logger.logLevel = level
        }
        guard brokers >= 1, partitions >= 1 else {
            throw ValidationError("--brokers and --partitions must be at least 1")
        }
        var fileEnvironment = environment
        if let dataDir { fileEnvironment[DataDirectory.variable] = dataDir }
        let broker = DevBrokerService(
            brokers: brokers, partitions: partitions, topics: Topic.all.map(\.name) + extraTopics,
            bootstrapFile: URL(fileURLWithPath: DataDirectory.bootstrapFile(environment: fileEnvironment)),
            logger: logger)
        let group = ServiceGroup(
            services: [broker], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
            logger: logger)
        try await group.run()
    }
}

/// Runs the mock cluster until graceful shutdown.
struct DevBrokerService: Service {
    var brokers: Int
    var partitions: Int32
    var topics: [String]
    var bootstrapFile: URL
    var logger: Logger

    func run() async throws {
        let cluster = try KafkaMockCluster(brokers: brokers)
        let replication = Int32(min(brokers, 3))
        for topic in topics { try cluster.createTopic(topic, partitions: partitions, replicationFactor: replication) }
        try FileManager.default.createDirectory(
            at: bootstrapFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((cluster.bootstrapServers + "\n").utf8).write(to: bootstrapFile, options: .atomic)
        logger.info(
            "broker ready",
            metadata: [
                "brokers": "\(brokers)", "topics": "\(topics.count)", "partitions": "\(partitions)",
                "bootstrapFile": "\(bootstrapFile.path)",
            ])
        // The one line other programs read: keep its format.
        FileHandle.standardOutput.write(Data("bootstrap.servers=\(cluster.bootstrapServers)\n".utf8))
        try? await gracefulShutdown()
        try? FileManager.default.removeItem(at: bootstrapFile)
        logger.info("broker stopped")
        withExtendedLifetime(cluster) {}
    }
}
