import ArgumentParser
import Foundation
import Kafka
import Logging
import OTContract
import OTSecrets

/// Where the brokers are: `--brokers`, else `KAFKA_BROKERS`, else the bootstrap file the development broker wrote
/// (`$OT_DATA_DIR/bootstrap.servers`, else `.ot-data/bootstrap.servers`, else `otctl dev`'s
/// `.ot-data/dev/bootstrap.servers`). Other `KAFKA_X_Y` variables pass through as librdkafka's `x.y`, and the secrets
/// of `OT_SECRETS_DIR` as the services read them (``OTSecrets/SecretFiles``).
struct BrokerOptions: ParsableArguments {
    @Option(help: "Bootstrap servers, host:port[,host:port…] (default: $KAFKA_BROKERS, else ot-dev-broker's file).")
    var brokers: String?

    /// The client configuration. A `KAFKA_*` variable that names no librdkafka property is left out with a note
    /// naming it (never its value), as the services warn of it: a misspelt setting does not go unnoticed.
    /// - Parameter note: Where the notes go; standard error.
    /// - Throws: ``OTCtlError`` naming what was tried when no brokers are found, or when `OT_SECRETS_DIR` names a
    ///   folder that cannot be read.
    func configuration(
        environment: [String: String] = ProcessInfo.processInfo.environment, note: (String) -> Void = printNote
    ) async throws -> KafkaConfiguration {
        let withSecrets: [String: String]
        do {
            withSecrets = try await SecretFiles.environment(adding: environment)
        } catch {
            throw OTCtlError("\(SecretFiles.directoryVariable): \(error)")
        }
        let configuration = try resolvedConfiguration(environment: withSecrets)
        for name in configuration.ignoredVariables {
            note("note: ignoring \(name): it names no librdkafka property")
        }
        return configuration
    }

    private func resolvedConfiguration(environment: [String: String]) throws -> KafkaConfiguration {
        var environment = environment
        if let brokers {
            guard !brokers.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw OTCtlError("--brokers must name at least one host:port")
            }
            environment[KafkaConfiguration.brokersVariable] = brokers
        }
        do throws(KafkaError) {
            return try KafkaConfiguration.fromEnvironment(
                environment, bootstrapFile: DataDirectory.bootstrapFile(environment: environment))
        } catch {
            if environment[DataDirectory.variable] == nil {
                var dev = environment
                dev[DataDirectory.variable] = DevCommand.defaultDataDirectory
                if let configuration = try? KafkaConfiguration.fromEnvironment(
                    dev, bootstrapFile: DataDirectory.bootstrapFile(environment: dev))
                {
                    return configuration
                }
            }
            throw OTCtlError(
                "no brokers: \(error.message); start the development system with `otctl dev`, or pass --brokers")
        }
    }
}

/// otctl's logger, for the Kafka clients' own messages: `warning` and above unless `OT_LOG_LEVEL` says otherwise,
/// on standard error.
let otctlLogger: Logger = {
    let level = otctlLogLevel(environment: ProcessInfo.processInfo.environment)
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    return Logger(label: "otctl")
}()

/// The level `OT_LOG_LEVEL` names, in any case as the services take it; `warning` without it, and with a note when it
/// names no level.
func otctlLogLevel(environment: [String: String], note: (String) -> Void = printNote) -> Logger.Level {
    guard let text = environment["OT_LOG_LEVEL"], !text.isEmpty else { return .warning }
    guard let level = Logger.Level(rawValue: text.lowercased()) else {
        let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        note("note: ignoring OT_LOG_LEVEL=\(text): not one of \(levels)")
        return .warning
    }
    return level
}
