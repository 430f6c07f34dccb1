import Foundation
import Kafka
import Logging
import OTContract
import OTRuntime
import OTRuntimeTesting
import ServiceLifecycle

/// `ot-counting-worker`: the worker runtime with ``CountingHandler``, configured from the environment like a service
/// (`KAFKA_BROKERS`, `OT_DATA_DIR`, `OT_HTTP_PORT`, `OT_INSTANCE_ID`, `OT_LOG_LEVEL`; `COUNTING_EMIT=0` to emit
/// nothing).
@main
struct CountingWorkerMain {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = environment["OT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: CountingHandler.service)
        var configuration = WorkerConfiguration(
            service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            kafka: try KafkaConfiguration.fromEnvironment(
                environment, bootstrapFile: DataDirectory.bootstrapFile(environment: environment)),
            storeDirectory: URL(fileURLWithPath: DataDirectory.path(environment: environment))
                .appendingPathComponent(CountingHandler.service),
            httpPort: Int(environment["OT_HTTP_PORT"] ?? "0"),
            instanceID: environment["OT_INSTANCE_ID"])
        if let session = environment["OT_SESSION_TIMEOUT_MS"].flatMap(Int64.init) {
            configuration.sessionTimeout = .milliseconds(session)
            configuration.maxPollInterval = .milliseconds(session + 2_000)
        }
        configuration.forbidInputRewind = environment["OT_FORBID_INPUT_REWIND"] == "1"
        let worker = Worker(
            configuration: configuration, handler: CountingHandler(emits: environment["COUNTING_EMIT"] != "0"),
            logger: logger)
        let group = ServiceGroup(
            services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
    }
}
