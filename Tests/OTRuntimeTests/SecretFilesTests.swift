import Foundation
import Kafka
import OTRuntime
import OTSecrets
import TestTraits
import Testing

/// Secrets from mounted files (`OT_SECRETS_DIR`) become the librdkafka properties they name.
@Suite("Secrets from files", .timeLimit(.minutes(2)))
struct SecretFilesTests {
    @Test("a secret file becomes its KAFKA_ variable and the client property; other files are not read")
    func secretsFromFiles() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-secrets-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // As Kubernetes writes a Secret's keys: one file each, often with a trailing newline.
        try "s3cret-pw\n".write(
            to: directory.appendingPathComponent("kafka-sasl-password"), atomically: true, encoding: .utf8)
        try "unrelated".write(
            to: directory.appendingPathComponent("kafka-bootstrap-servers"), atomically: true, encoding: .utf8)
        let environment = try await SecretFiles.environment(adding: [
            "KAFKA_BROKERS": "broker:9092", "KAFKA_SASL_USERNAME": "ot", "KAFKA_SASL_PASSWORD": "from-the-environment",
            SecretFiles.directoryVariable: directory.path,
        ])
        #expect(environment["KAFKA_SASL_PASSWORD"] == "s3cret-pw", "the file wins, trimmed")
        #expect(environment["KAFKA_BOOTSTRAP_SERVERS"] == nil, "only secret properties are read from files")
        let kafka = try KafkaConfiguration.fromEnvironment(environment)
        #expect(kafka.properties["sasl.password"] == "s3cret-pw")
        #expect(kafka.properties["sasl.username"] == "ot")
    }

    @Test("without OT_SECRETS_DIR nothing changes; a folder that does not exist stops the start")
    func withoutAndMissing() async throws {
        let environment = ["KAFKA_BROKERS": "broker:9092"]
        #expect(try await SecretFiles.environment(adding: environment) == environment)
        await #expect(throws: (any Error).self) {
            _ = try await SecretFiles.environment(adding: [SecretFiles.directoryVariable: "/nonexistent/ot-secrets"])
        }
    }
}
