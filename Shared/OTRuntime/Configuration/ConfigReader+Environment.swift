import Configuration
import Foundation
import OTSecrets

extension ConfigReader {
    /// A reader of environment variables through swift-configuration's `EnvironmentVariablesProvider`, as every
    /// program of the system reads its settings (docs/configuration.md).
    ///
    /// The provider reads the key `ot.http.port` as the variable `OT_HTTP_PORT`: the settings' keys are the
    /// variables' names in lower case with a dot for each underscore. A variable set to the empty string reads as
    /// unset, so that its default applies (a manifest that writes `OT_HTTP_HOST=` leaves the setting out). The
    /// variables of librdkafka's secret properties (``SecretFiles/kafkaProperties``, such as `KAFKA_SASL_PASSWORD`)
    /// are secrets, so that a read of one through this reader is reported redacted (``KafkaConfiguration`` passes
    /// them on from the environment itself and logs no value).
    ///
    /// - Parameters:
    ///   - environment: The variables, such as `ProcessInfo.processInfo.environment`.
    ///   - accessReporter: Told of every read, as swift-configuration's `AccessLogger`; swift-configuration adds
    ///     its `FileAccessLogger` when `CONFIG_ACCESS_LOG_FILE` names a file.
    public init(environment: [String: String], accessReporter: (any AccessReporter)? = nil) {
        let secrets = Set(
            SecretFiles.kafkaProperties.map { "KAFKA_" + $0.uppercased().replacingOccurrences(of: ".", with: "_") })
        self.init(
            provider: EnvironmentVariablesProvider(
                environmentVariables: environment.filter { !$0.value.isEmpty }, secretsSpecifier: .specific(secrets)),
            accessReporter: accessReporter)
    }

    /// The whole number `key` names, `defaultValue` when it is unset.
    ///
    /// swift-configuration's non-throwing accessors answer a value of the wrong type with the default; a setting
    /// mistyped at start must stop the start instead, so this fetches, which reports the conversion error.
    ///
    /// - Parameters:
    ///   - key: The setting's key, such as `ot.http.port`.
    ///   - range: The values allowed.
    ///   - defaultValue: The value when the setting is unset.
    ///   - fileID: The file ID where this call originates, for access reporting.
    ///   - line: The line number where this call originates, for access reporting.
    /// - Throws: ``WorkerError/invalidConfiguration(_:)`` naming the variable and its value when the value is not a
    ///   whole number in `range`.
    public func fetchInt(
        forKey key: ConfigKey, in range: ClosedRange<Int>, default defaultValue: Int, fileID: String = #fileID,
        line: UInt = #line
    ) async throws -> Int {
        if let number = try? await fetchInt(forKey: key, default: defaultValue, fileID: fileID, line: line),
            range.contains(number)
        {
            return number
        }
        throw invalidValue(
            forKey: key, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
    }

    /// The error for the value of `key` that is not what the setting takes, naming the variable and the value: for
    /// settings that are not secrets.
    /// - Parameters:
    ///   - key: The setting's key.
    ///   - expected: What the setting takes, such as `an RFC 3339 instant`.
    func invalidValue(forKey key: ConfigKey, expected: String) -> WorkerError {
        .invalidConfiguration(
            "\(Self.environmentVariable(forKey: key)) must be \(expected), not \(string(forKey: key) ?? "")")
    }

    /// The name of the variable `EnvironmentVariablesProvider` reads for `key`, such as `OT_HTTP_PORT` for
    /// `ot.http.port`: the components in upper case, joined by underscores. That is the provider's encoding for keys
    /// of lower-case letters and digits, which every setting's key is (it also splits camel case and replaces other
    /// characters, which none has).
    static func environmentVariable(forKey key: ConfigKey) -> String {
        key.components.joined(separator: "_").uppercased()
    }
}
