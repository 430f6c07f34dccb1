import Foundation
import Kafka
import Testing

@Suite("KafkaConfiguration from the environment", .timeLimit(.minutes(2)))
struct KafkaConfigurationTests {
    @Test("KAFKA_BROKERS names the brokers and KAFKA_X_Y passes through as x.y")
    func passThrough() throws {
        let configuration = try KafkaConfiguration.fromEnvironment([
            "KAFKA_BROKERS": "kafka-1:9092,kafka-2:9092",
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISMS": "SCRAM-SHA-512",
            "KAFKA_SSL_CA_LOCATION": "/etc/ssl/ca.pem",
            "OT_DATA_DIR": "/var/lib/ot",
            "PATH": "/usr/bin",
        ])
        #expect(configuration.bootstrapServers == "kafka-1:9092,kafka-2:9092")
        #expect(
            configuration.properties == [
                "security.protocol": "SASL_SSL",
                "sasl.mechanisms": "SCRAM-SHA-512",
                "ssl.ca.location": "/etc/ssl/ca.pem",
            ])
    }

    @Test("KAFKA_ variables that name no librdkafka property (Kubernetes' service links) are left out and listed")
    func kubernetesServiceLinks() throws {
        let configuration = try KafkaConfiguration.fromEnvironment([
            "KAFKA_BROKERS": "kafka:9092",
            "KAFKA_PORT": "tcp://10.0.0.7:9092",
            "KAFKA_PORT_9092_TCP_ADDR": "10.0.0.7",
            "KAFKA_SERVICE_HOST": "10.0.0.7",
            "KAFKA_SERVICE_PORT": "9092",
            "KAFKA_ACKS": "all",
            "KAFKA_SOCKET_KEEPALIVE_ENABLE": "true",
        ])
        #expect(configuration.properties == ["acks": "all", "socket.keepalive.enable": "true"])
        #expect(
            configuration.ignoredVariables == [
                "KAFKA_PORT", "KAFKA_PORT_9092_TCP_ADDR", "KAFKA_SERVICE_HOST", "KAFKA_SERVICE_PORT",
            ])
    }

    @Test("without KAFKA_BROKERS, the bootstrap file the caller names is read")
    func bootstrapFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "127.0.0.1:40001,127.0.0.1:40002\n".write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try KafkaConfiguration.fromEnvironment([:], bootstrapFile: file)
        #expect(configuration.bootstrapServers == "127.0.0.1:40001,127.0.0.1:40002")
        // With KAFKA_BROKERS the file is not read.
        let set = try KafkaConfiguration.fromEnvironment(["KAFKA_BROKERS": "broker:9092"], bootstrapFile: file)
        #expect(set.bootstrapServers == "broker:9092")
    }

    @Test("without KAFKA_BROKERS or a bootstrap file, the error says what to do")
    func missingBrokers() {
        #expect {
            try KafkaConfiguration.fromEnvironment([:])
        } throws: { error in
            let error = error as? KafkaError
            return error?.kind == .configuration && error!.message.contains("KAFKA_BROKERS is not set")
        }
        let file = "/nonexistent/\(UUID().uuidString)/bootstrap.servers"
        #expect {
            try KafkaConfiguration.fromEnvironment([:], bootstrapFile: file)
        } throws: { error in
            let error = error as? KafkaError
            return error?.kind == .configuration && error!.message.contains("KAFKA_BROKERS")
                && error!.message.contains(file)
        }
    }
}
