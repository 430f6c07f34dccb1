import Testing

@testable import Dashboard

/// `ot-dashboard`'s settings (docs/configuration.md).
@Suite("Dashboard: settings from the environment", .timeLimit(.minutes(2)))
struct DashboardConfigurationTests {
    static let brokers = ["KAFKA_BROKERS": "kafka:9092"]

    @Test("OT_HTTP_HOST, OT_HTTP_PORT and OT_VERSION: defaults when unset or empty, else as given")
    func settings() async throws {
        let defaults = try await DashboardConfiguration(
            environment: Self.brokers.merging(["OT_HTTP_HOST": "", "OT_HTTP_PORT": ""]) { $1 })
        #expect(defaults.host == "127.0.0.1" && defaults.port == 8085 && defaults.build.version == "dev")
        let given = try await DashboardConfiguration(
            environment: Self.brokers.merging(["OT_HTTP_HOST": "0.0.0.0", "OT_HTTP_PORT": "0", "OT_VERSION": "1.4.0"]) {
                $1
            })
        #expect(given.host == "0.0.0.0" && given.port == 0 && given.build.version == "1.4.0")
        #expect(given.kafka.bootstrapServers == "kafka:9092")
    }

    @Test("a port that is not a port number stops the start, naming the variable and the value")
    func invalidPort() async {
        await #expect {
            try await DashboardConfiguration(environment: Self.brokers.merging(["OT_HTTP_PORT": "eighty"]) { $1 })
        } throws: { error in
            "\(error)" == "invalid configuration: OT_HTTP_PORT must be a whole number from 0 to 65535, not eighty"
        }
    }
}
