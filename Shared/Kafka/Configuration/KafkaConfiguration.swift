import CRdKafka
import Foundation

/// Settings shared by every client: where the brokers are, and librdkafka properties passed through unchanged.
///
/// Build one with ``fromEnvironment(_:bootstrapFile:)`` in a service: `KAFKA_BROKERS` names the brokers and every
/// other `KAFKA_X_Y` variable becomes librdkafka's `x.y` property (security, SASL, TLS settings). When
/// `KAFKA_BROKERS` is unset, the brokers are read from a bootstrap file, if the caller names one (a development
/// broker's address).
public struct KafkaConfiguration: Sendable, Hashable {
    /// The bootstrap servers, `host:port[,host:port...]`.
    public var bootstrapServers: String
    /// librdkafka properties set after the client's own defaults, so they win
    /// (see librdkafka's CONFIGURATION.md).
    public var properties: [String: String]
    /// `KAFKA_*` variables of the environment that name no librdkafka property (Kubernetes sets `KAFKA_PORT`,
    /// `KAFKA_SERVICE_HOST`, … for a Service named kafka): left out, for the caller to warn about, never an error.
    public var ignoredVariables: [String] = []

    /// Creates a configuration.
    public init(bootstrapServers: String, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.properties = properties
    }

    /// The environment variable naming the brokers.
    public static let brokersVariable = "KAFKA_BROKERS"
    /// Reads the configuration from environment variables.
    ///
    /// - Parameters:
    ///   - environment: The variables; the process environment by default.
    ///   - bootstrapFile: A file holding the bootstrap servers, read when `KAFKA_BROKERS` is unset.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/configuration`` when `KAFKA_BROKERS` is unset and the
    ///   bootstrap file is not given or does not exist.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, bootstrapFile: String? = nil
    ) throws(KafkaError) -> KafkaConfiguration {
        var properties: [String: String] = [:]
        var ignored: [String] = []
        for (name, value) in environment where name.hasPrefix("KAFKA_") && name != brokersVariable {
            let key = name.dropFirst("KAFKA_".count).lowercased().replacingOccurrences(of: "_", with: ".")
            guard !key.isEmpty, CRdKafka_is_property(key) != 0 else {
                ignored.append(name)
                continue
            }
            properties[key] = value
        }
        ignored.sort()
        if let brokers = environment[brokersVariable], !brokers.isEmpty {
            var configuration = KafkaConfiguration(bootstrapServers: brokers, properties: properties)
            configuration.ignoredVariables = ignored
            return configuration
        }
        guard let bootstrapFile else {
            throw KafkaError(.configuration, "\(brokersVariable) is not set: set it to the bootstrap servers")
        }
        guard let contents = try? String(contentsOfFile: bootstrapFile, encoding: .utf8),
            case let brokers = contents.trimmingCharacters(in: .whitespacesAndNewlines), !brokers.isEmpty
        else {
            throw KafkaError(
                .configuration,
                "\(brokersVariable) is not set and no bootstrap file is at \(bootstrapFile): "
                    + "set \(brokersVariable), or start the broker that writes the file")
        }
        var configuration = KafkaConfiguration(bootstrapServers: brokers, properties: properties)
        configuration.ignoredVariables = ignored
        return configuration
    }

    /// The version of the librdkafka the process runs with (`rd_kafka_version_str()`), such as `2.0.2`: the
    /// library loaded at run time, which can be newer than the one the program was built against.
    public static var librdkafkaVersion: String { String(cString: rd_kafka_version_str()) }

    /// The librdkafka properties for a client: ours for every client, `defaults`, then the bootstrap servers, then
    /// ``properties``.
    ///
    /// Every client sends without Nagle's delay (`socket.nagle.disable`), as Kafka's own clients and brokers do: a
    /// small request (a heartbeat, a commit, a produce of one event) otherwise waits for the acknowledgement of the
    /// one before it, up to 40 ms on Linux, which is a pipeline hop's latency.
    func librdkafkaProperties(defaults: [String: String]) -> [String: String] {
        var merged = ["socket.nagle.disable": "true"].merging(defaults) { $1 }
        merged["bootstrap.servers"] = bootstrapServers
        merged.merge(properties) { _, override in override }
        return merged
    }
}
