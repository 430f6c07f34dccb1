import Foundation
import Kafka
import KafkaTesting
import Logging

/// The development broker in a process of its own (`ot-dev-broker`), as the services meet it: the benchmark
/// process's CPU time and peak memory are then the runtime's and the clients', not the broker's too, which holds
/// every message produced (the inputs, and with `--emit` the outputs and their changelog records, about 1 KiB per
/// event in all).
struct BenchmarkBroker {
    private let process: DevBrokerProcess
    private let directory: URL
    private let logger: Logger

    /// Starts the broker with `topics` of `partitions` partitions each.
    static func start(topics: [String], partitions: Int32) async throws -> BenchmarkBroker {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-bench-broker-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = try await DevBrokerProcess(
            dataDirectory: directory,
            arguments: ["--partitions", "\(partitions)"] + topics.flatMap { ["--topic", $0] })
        var logger = Logger(label: "ot-runtime-benchmark")
        logger.logLevel = .warning
        return BenchmarkBroker(process: process, directory: directory, logger: logger)
    }

    /// A client configuration for the broker.
    var configuration: KafkaConfiguration { process.configuration }

    /// A producer with the project's defaults.
    func makeProducer() throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: configuration), logger: logger)
    }

    /// A consumer in group `groupID`, with the development broker's group timeouts.
    func makeConsumer(groupID: String) throws -> KafkaConsumer {
        var consumer = KafkaConsumerConfiguration(kafka: configuration, groupID: groupID)
        consumer.applyTestTimeouts()
        return try KafkaConsumer(configuration: consumer, logger: logger)
    }

    /// Stops the broker and removes its folder.
    func stop() async {
        await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
