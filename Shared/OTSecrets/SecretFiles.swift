import Configuration
import Foundation
import SystemPackage

/// Secrets mounted as files, as Kubernetes mounts a Secret volume (or compose its `secrets:`), read with
/// swift-configuration's `DirectoryFilesProvider`: `OT_SECRETS_DIR` names the folder, and each librdkafka secret
/// property has a file named after it, `kafka-` and the property with dashes: `kafka-sasl-password` for
/// `sasl.password`. The values are read as secrets (never shown by swift-configuration's access reporting) and
/// passed on as the `KAFKA_*` variable they stand for, so that the password never has to be in the environment.
/// A file wins over a variable of the same name. The services, the dashboard and otctl read them alike.
/// docs/configuration.md, docs/operations.md.
public enum SecretFiles {
    /// The variable naming the folder.
    public static let directoryVariable = "OT_SECRETS_DIR"

    /// The librdkafka properties that hold secrets, each read from its file when there is one.
    public static let kafkaProperties = [
        "sasl.password", "sasl.oauthbearer.client.secret", "ssl.key.password", "ssl.keystore.password",
        "ssl.key.pem", "ssl.certificate.pem",
    ]

    /// `environment` with the secrets of `OT_SECRETS_DIR` added as their `KAFKA_*` variables; `environment` as it
    /// is without the variable (or with it empty, as every setting's empty value reads as unset).
    /// - Throws: When the folder does not exist or cannot be read.
    public static func environment(adding environment: [String: String]) async throws -> [String: String] {
        guard let directory = environment[directoryVariable], !directory.isEmpty else { return environment }
        let reader = ConfigReader(provider: try await DirectoryFilesProvider(directoryPath: FilePath(directory)))
        var result = environment
        for property in kafkaProperties {
            guard
                let value = reader.string(
                    forKey: ConfigKey(["kafka"] + property.split(separator: ".").map(String.init)), isSecret: true)
            else { continue }
            result["KAFKA_" + property.uppercased().replacingOccurrences(of: ".", with: "_")] = value
        }
        return result
    }
}
