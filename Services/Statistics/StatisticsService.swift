import Foundation
import Logging
import OTContract
import OTRuntime
import ServiceLifecycle

/// `ot-statistics`: the statistics service. Configured from the environment (docs/configuration.md), and
/// `OT_STATISTICS_REPORTING_DATES` (`MM-DD,MM-DD`, default `02-01,06-15`); health and metrics on `OT_HTTP_PORT`,
/// 8084 by default.
@main
struct StatisticsService {
    static let defaultHTTPPort = 8084

    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = environment["OT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: ServiceName.statistics.rawValue)
        do {
            let calendar =
                try environment["OT_STATISTICS_REPORTING_DATES"].flatMap { $0.isEmpty ? nil : $0 }
                .map { text throws(ContractError) in try ReportingCalendar(text) } ?? .standard
            let configuration = try WorkerConfiguration.fromEnvironment(
                service: .statistics, inputTopics: [.registrations, .statisticsRepartition],
                defaultHTTPPort: defaultHTTPPort, environment: environment)
            let worker = Worker(
                configuration: configuration, handler: StatisticsHandler(calendar: calendar), logger: logger)
            let group = ServiceGroup(
                services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
                logger: logger)
            try await group.run()
        } catch {
            logger.critical("ot-statistics stopped", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}
