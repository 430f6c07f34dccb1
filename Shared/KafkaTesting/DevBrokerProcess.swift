import Foundation
import Kafka
import Logging

/// The `ot-dev-broker` executable run as a child process, for tests and tools that need the broker outside
/// their own process. It is stopped with SIGTERM by ``stop()``.
public final class DevBrokerProcess: Sendable {
    /// The bootstrap servers the broker printed.
    public let bootstrapServers: String
    /// The data directory it writes its bootstrap file to.
    public let dataDirectory: URL
    private let process: ChildProcess

    /// Starts the broker and waits until it has printed its bootstrap servers.
    ///
    /// - Parameters:
    ///   - executable: The `ot-dev-broker` binary; by default the one beside the running test bundle or tool.
    ///   - arguments: Extra arguments, such as `["--brokers", "1"]`.
    public init(
        executable: String = "ot-dev-broker", dataDirectory: URL, arguments: [String] = [],
        timeout: Duration = .seconds(30)
    ) async throws {
        let process = try await ChildProcess(
            executable: executable, arguments: ["--data-dir", dataDirectory.path] + arguments)
        self.process = process
        self.dataDirectory = dataDirectory
        let prefix = "bootstrap.servers="
        do {
            bootstrapServers = try await withTimeout(
                timeout, waitingFor: "ot-dev-broker to print its bootstrap servers"
            ) {
                for await line in process.lines where line.hasPrefix(prefix) {
                    return String(line.dropFirst(prefix.count))
                }
                throw DevBrokerError.exitedEarly
            }
        } catch {
            await process.kill()
            throw error
        }
    }

    /// A client configuration for this broker.
    public var configuration: KafkaConfiguration { KafkaConfiguration(bootstrapServers: bootstrapServers) }

    /// A producer with the project's defaults, as ``EmbeddedKafka/makeProducer(_:)`` makes one.
    public func makeProducer() throws(KafkaError) -> KafkaProducer {
        try configuration.testProducer(logger: Self.logger)
    }

    /// A consumer in group `groupID` with the development broker's group timeouts, as
    /// ``EmbeddedKafka/makeConsumer(groupID:startOffsets:configure:)`` makes one.
    public func makeConsumer(groupID: String) throws(KafkaError) -> KafkaConsumer {
        try configuration.testConsumer(groupID: groupID, logger: Self.logger)
    }

    private static var logger: Logger {
        var logger = Logger(label: "ot-dev-broker-client")
        logger.logLevel = testLogLevel()
        return logger
    }

    /// Sends SIGTERM and waits for the process to exit; returns its exit status.
    @discardableResult
    public func stop() async -> Int32 { await process.terminate() }

    /// Why the broker process could not be used.
    public enum DevBrokerError: Error {
        /// It exited before printing its bootstrap servers.
        case exitedEarly
    }
}

/// The log level for test clients: `OT_LOG_LEVEL`, or `warning`.
func testLogLevel() -> Logger.Level {
    ProcessInfo.processInfo.environment["OT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
}
