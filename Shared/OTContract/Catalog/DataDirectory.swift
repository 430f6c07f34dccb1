import Foundation

/// The system's data folder on a machine: `OT_DATA_DIR`, `.ot-data` when unset or empty. Each service keeps its
/// stores in a folder of its name below it, and the development broker (`ot-dev-broker`) writes its address into
/// it (`bootstrap.servers`), which a program started without `KAFKA_BROKERS` reads (docs/configuration.md).
public enum DataDirectory {
    /// The environment variable naming the folder.
    public static let variable = "OT_DATA_DIR"
    /// The folder when the variable is unset.
    public static let defaultPath = ".ot-data"
    /// The name of the development broker's address file in the folder.
    public static let bootstrapFileName = "bootstrap.servers"

    /// The folder `environment` names.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
    }

    /// The development broker's address file in the folder `environment` names.
    public static func bootstrapFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (path(environment: environment) as NSString).appendingPathComponent(bootstrapFileName)
    }
}
