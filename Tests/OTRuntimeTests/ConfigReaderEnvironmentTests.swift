import Configuration
import OTRuntime
import Synchronization
import Testing

/// The settings read with swift-configuration from environment variables.
@Suite("Settings from environment variables", .timeLimit(.minutes(2)))
struct ConfigReaderEnvironmentTests {
    /// Collects what swift-configuration reports of each read.
    final class Reads: AccessReporter {
        let events = Mutex<[String]>([])
        func report(_ event: AccessEvent) { events.withLock { $0.append("\(event)") } }
    }

    @Test("the key ot.http.port is the variable OT_HTTP_PORT; an empty variable is unset")
    func keys() {
        let config = ConfigReader(environment: ["OT_HTTP_HOST": "0.0.0.0", "OT_INSTANCE_ID": ""])
        #expect(config.string(forKey: "ot.http.host") == "0.0.0.0")
        #expect(config.string(forKey: "ot.instance.id") == nil)
        #expect(config.string(forKey: "ot.instance.id", default: "none") == "none")
    }

    @Test("a whole number in range, its default when unset; anything else names the variable and the value")
    func wholeNumbers() async throws {
        let config = ConfigReader(environment: ["OT_A": "7", "OT_B": "", "OT_C": "6w", "OT_D": "0", "OT_E": "1.5"])
        #expect(try await config.fetchInt(forKey: "ot.a", in: 1...10, default: 3) == 7)
        #expect(try await config.fetchInt(forKey: "ot.b", in: 1...10, default: 3) == 3)
        #expect(try await config.fetchInt(forKey: "ot.unset", in: 1...10, default: 3) == 3)
        for (key, value) in [("ot.c", "6w"), ("ot.d", "0"), ("ot.e", "1.5")] {
            await #expect {
                try await config.fetchInt(forKey: ConfigKey(key), in: 1...10, default: 3)
            } throws: { error in
                "\(error)" == "invalid configuration: \(key.uppercased().replacingOccurrences(of: ".", with: "_")) "
                    + "must be a whole number from 1 to 10, not \(value)"
            }
        }
    }

    @Test("librdkafka's secret properties are secrets: a read of one is reported redacted")
    func secretsRedacted() {
        let reads = Reads()
        let config = ConfigReader(
            environment: ["KAFKA_SASL_PASSWORD": "s3cret-pw", "KAFKA_SASL_USERNAME": "ot"], accessReporter: reads)
        #expect(config.string(forKey: "kafka.sasl.password") == "s3cret-pw")
        #expect(config.string(forKey: "kafka.sasl.username") == "ot")
        let events = reads.events.withLock { $0 }
        #expect(events.count == 2)
        #expect(events.allSatisfy { !$0.contains("s3cret-pw") })
        #expect(events[0].contains("<REDACTED>") && !events[1].contains("<REDACTED>"))
    }
}
