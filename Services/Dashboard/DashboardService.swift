import Configuration
import Foundation
import Hummingbird
import Kafka
import Logging
import OTRuntime
import OTSecrets
import ProcessLaunch
import ServiceLifecycle

/// `ot-dashboard`: the statistics dashboard. Reads `ot.statistics.v1` (the brokers from `KAFKA_BROKERS` or the
/// development broker's bootstrap file, `KAFKA_*` client properties as every service) and serves the pages on
/// `OT_HTTP_HOST` (default `127.0.0.1`; `0.0.0.0` in a container) and `OT_HTTP_PORT` (default 8085).
/// docs/dashboard.md.
@main
struct DashboardService {
    static let defaultHTTPPort = 8085

    static func main() async {
        ParentWatch.start()  // launched by a tool that then died: stop (ProcessLaunch)
        let logger = WorkerMain.startLogging(
            "ot-dashboard", config: ConfigReader(environment: ProcessInfo.processInfo.environment))
        do {
            let environment = try await SecretFiles.environment(adding: ProcessInfo.processInfo.environment)
            let configuration = try await DashboardConfiguration(environment: environment)
            WorkerMain.warnAboutIgnoredVariables(configuration.kafka, logger: logger)
            let application = makeApplication(configuration: configuration, logger: logger) { port in
                logger.info("serving", metadata: ["address": "http://\(configuration.host):\(port)/"])
            }
            try await application.runService()
        } catch {
            logger.critical("ot-dashboard stopped", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    /// The dashboard: the feed reading the topic and the HTTP server, as one application.
    static func makeApplication(
        configuration: DashboardConfiguration, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let board = StatisticsBoard()
        let status = DashboardStatus(build: configuration.build)
        let feed = StatisticsFeed(kafka: configuration.kafka, board: board, status: status, logger: logger)
        let server = DashboardServer(board: board, status: status)
        return Application(
            router: server.router(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "ot-dashboard"),
            services: [feed],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
