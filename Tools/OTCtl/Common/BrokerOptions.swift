import ArgumentParser
import Foundation
import Kafka
import OTContract
import Logging

/// Where the brokers are: `--brokers`, else `KAFKA_BROKERS`, else the bootstrap file the development broker wrote
/// (`$OT_DATA_DIR/bootstrap.servers`, else `.ot-data/bootstrap.servers`, else `otctl dev`'s
/// `.ot-data/dev/bootstrap.servers`). Other `KAFKA_X_Y` variables pass through as librdkafka's `x.y`.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Bootstrap servers, host:port[,host:port…] (default: $KAFKA_BROKERS, else ot-dev-broker's file).")
    var brokers: String?

    /// The client configuration.
    /// - Throws: ``OTCtlError`` naming what was tried when no brokers are found.
    func configuration(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> KafkaConfiguration {
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
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel =
            ProcessInfo.processInfo.environment["OT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return handler
    }
    return Logger(label: "otctl")
}()
