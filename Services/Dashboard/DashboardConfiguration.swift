import Configuration
import Kafka
import OTContract
import OTRuntime

/// The dashboard's settings from the environment (docs/configuration.md).
struct DashboardConfiguration: Sendable {
    /// The brokers and client properties.
    var kafka: KafkaConfiguration
    /// The address to listen on: `OT_HTTP_HOST`, loopback unless told otherwise.
    var host: String
    /// The port: `OT_HTTP_PORT`, 8085 by default; `0` picks a free one.
    var port: Int
    /// What the program was built from, for `ot_build_info`: `OT_VERSION`.
    var build: BuildInfo

    init(
        kafka: KafkaConfiguration, host: String = WorkerConfiguration.defaultHTTPHost,
        port: Int = DashboardService.defaultHTTPPort,
        build: BuildInfo = BuildInfo()
    ) {
        self.kafka = kafka
        self.host = host
        self.port = port
        self.build = build
    }

    /// Reads `KAFKA_*` (``KafkaConfiguration``) and, with swift-configuration (``ConfigReader/init(environment:)``),
    /// `OT_HTTP_HOST`, `OT_HTTP_PORT` and `OT_VERSION`; an empty variable counts as unset.
    /// - Throws: ``KafkaError`` without brokers, ``WorkerError/invalidConfiguration(_:)`` for a port that is not a
    ///   whole number from 0 to 65535.
    init(environment: [String: String]) async throws {
        let config = ConfigReader(environment: environment)
        self.init(
            kafka: try KafkaConfiguration.fromEnvironment(
                environment, bootstrapFile: DataDirectory.bootstrapFile(environment: environment)),
            host: config.string(forKey: "ot.http.host", default: WorkerConfiguration.defaultHTTPHost),
            port: try await config.fetchInt(
                forKey: "ot.http.port", in: 0...65_535, default: DashboardService.defaultHTTPPort),
            build: BuildInfo(config: config))
    }
}
