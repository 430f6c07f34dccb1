import Configuration
import Foundation
import Kafka
import Logging
import OTContract
import OTSecrets
import ProcessLaunch
import ServiceLifecycle

/// What every service's `main` does: logging from `OT_LOG_LEVEL` to standard error, the configuration from the
/// environment (the `OT_*` settings read with swift-configuration, ``ConfigReader/init(environment:)``), the worker
/// in a `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT, and exit code 1 with a critical log line when
/// it cannot start or stops with an error.
/// The process allocates through jemalloc (``ProcessAllocator``).
public enum WorkerMain {
    /// Runs `service` until SIGTERM or SIGINT.
    /// - Parameters:
    ///   - service: The service's name.
    ///   - inputTopics: The topics it consumes.
    ///   - defaultHTTPPort: Its health and metrics port unless `OT_HTTP_PORT` says otherwise.
    ///   - makeHandler: The handler, from the settings (the service's own); an error stops the start.
    public static func run(
        _ service: ServiceName, inputTopics: [Topic], defaultHTTPPort: Int,
        makeHandler: @Sendable (ConfigReader) async throws -> some WorkerHandler
    ) async {
        ParentWatch.start()  // launched by a tool that then died: stop (ProcessLaunch)
        let config = ConfigReader(environment: ProcessInfo.processInfo.environment)
        let logger = startLogging(service.rawValue, config: config)
        if let allocator = ProcessAllocator.settings {
            logger.debug(
                "allocator",
                metadata: [
                    "jemalloc": "\(allocator.version)", "arenas": "\(allocator.arenas)",
                    "dirty_decay_ms": "\(allocator.dirtyDecayMilliseconds)",
                ])
        }
        do {
            let environment = try await SecretFiles.environment(adding: ProcessInfo.processInfo.environment)
            let configuration = try await WorkerConfiguration.fromEnvironment(
                service: service, inputTopics: inputTopics, defaultHTTPPort: defaultHTTPPort,
                environment: environment)
            warnAboutIgnoredVariables(configuration.kafka, logger: logger)
            let handler = try await makeHandler(config)
            let worker = Worker(configuration: configuration, handler: handler, logger: logger)
            let group = ServiceGroup(
                services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
                logger: logger)
            try await group.run()
        } catch {
            logger.critical("\(service.rawValue) stopped", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    /// Sets up logging from `OT_LOG_LEVEL` and `OT_LOG_FORMAT` for `program`, or says on standard error why it
    /// cannot and exits 1: a typo must not log at another level unnoticed. For every program of the system.
    /// - Parameters:
    ///   - program: The program's name, the logger's label.
    ///   - config: The settings, as ``ConfigReader/init(environment:)`` reads them.
    public static func startLogging(_ program: String, config: ConfigReader) -> Logger {
        let settings: LogSettings
        do {
            settings = try LogSettings(config: config)
        } catch {
            FileHandle.standardError.write(Data("\(program) cannot start: \(error)\n".utf8))
            exit(1)
        }
        settings.bootstrap()
        return Logger(label: program)
    }

    /// Warns about each `KAFKA_*` variable that names no librdkafka property (left out, not an error: Kubernetes
    /// sets such variables for a Service named kafka).
    public static func warnAboutIgnoredVariables(_ kafka: KafkaConfiguration, logger: Logger) {
        for name in kafka.ignoredVariables {
            logger.warning(
                "ignoring an environment variable that names no librdkafka property", metadata: ["variable": "\(name)"])
        }
    }
}
