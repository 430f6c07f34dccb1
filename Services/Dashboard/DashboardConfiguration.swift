import Kafka
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
        kafka: KafkaConfiguration, host: String = "127.0.0.1", port: Int = DashboardService.defaultHTTPPort,
        build: BuildInfo = BuildInfo()
    ) {
        self.kafka = kafka
        self.host = host
        self.port = port
        self.build = build
    }

    /// Reads `KAFKA_*`, `OT_HTTP_HOST`, `OT_HTTP_PORT` and `OT_VERSION`.
    /// - Throws: ``KafkaError`` without brokers, ``DashboardConfigurationError`` for a malformed port.
    init(environment: [String: String]) throws {
        var port = DashboardService.defaultHTTPPort
        if let text = environment["OT_HTTP_PORT"], !text.isEmpty {
            guard let value = Int(text), (0...65_535).contains(value) else {
                throw DashboardConfigurationError("OT_HTTP_PORT must be a port number, not \(text)")
            }
            port = value
        }
        let host = environment["OT_HTTP_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        self.init(
            kafka: try KafkaConfiguration.fromEnvironment(environment), host: host, port: port,
            build: BuildInfo.fromEnvironment(environment))
    }
}

/// A setting the dashboard cannot start with.
struct DashboardConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
