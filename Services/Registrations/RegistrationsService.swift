import Foundation
import Logging
import OTContract
import OTRuntime
import ServiceLifecycle

/// `ot-registrations`: the registrations service. Configured from the environment (docs/configuration.md);
/// health and metrics on `OT_HTTP_PORT`, 8081 by default.
@main
struct RegistrationsService {
    static let defaultHTTPPort = 8081

    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = environment["OT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: ServiceName.registrations.rawValue)
        do {
            let configuration = try WorkerConfiguration.fromEnvironment(
                service: .registrations, inputTopics: [.enrollment, .registrationCommands],
                defaultHTTPPort: defaultHTTPPort, environment: environment)
            let worker = Worker(
                configuration: configuration, handler: RegistrationsHandler(units: try Units.bundled()), logger: logger)
            let group = ServiceGroup(
                services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
                logger: logger)
            try await group.run()
        } catch {
            logger.critical("ot-registrations stopped", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}
