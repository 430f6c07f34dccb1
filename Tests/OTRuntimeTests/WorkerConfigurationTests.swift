import Foundation
import OTContract
import OTRuntime
import Synchronization
import Testing

@Suite("Worker configuration from the environment", .timeLimit(.minutes(2)))
struct WorkerConfigurationTests {
    static let environment = ["KAFKA_BROKERS": "127.0.0.1:9092", "OT_DATA_DIR": "/tmp/ot-configuration-test"]

    @Test("OT_CLOCK starts the clock at its instant; without it the clock is the real time")
    func clockFromEnvironment() async throws {
        let simulated = try await WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
            environment: Self.environment.merging(["OT_CLOCK": "2026-07-31T12:00:00Z"]) { $1 })
        let start = try Timestamp(rfc3339: "2026-07-31T12:00:00Z").date
        #expect(abs(simulated.clock().timeIntervalSince(start)) < 60)

        let real = try await WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081, environment: Self.environment)
        #expect(abs(real.clock().timeIntervalSinceNow) < 60)
    }

    @Test("the health server binds loopback unless OT_HTTP_HOST names another address")
    func httpHost() async throws {
        let local = try await WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081, environment: Self.environment)
        #expect(local.httpHost == "127.0.0.1")
        let empty = try await WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
            environment: Self.environment.merging(["OT_HTTP_HOST": ""]) { $1 })
        #expect(empty.httpHost == "127.0.0.1")
        let container = try await WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
            environment: Self.environment.merging(["OT_HTTP_HOST": "0.0.0.0"]) { $1 })
        #expect(container.httpHost == "0.0.0.0")
    }

    @Test("a malformed OT_CLOCK is refused with the variable named")
    func malformedClock() async {
        await #expect {
            try await WorkerConfiguration.fromEnvironment(
                service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
                environment: Self.environment.merging(["OT_CLOCK": "yesterday"]) { $1 })
        } throws: { error in
            "\(error)".contains("OT_CLOCK must be an RFC 3339 instant")
        }
    }

    /// Reads `variables` over ``environment``.
    static func configuration(_ variables: [String: String]) async throws -> WorkerConfiguration {
        try await WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
            environment: environment.merging(variables) { $1 })
    }

    @Test("OT_HTTP_PORT: unset or empty is the service's port, else a port number")
    func httpPort() async throws {
        #expect(try await Self.configuration([:]).httpPort == 8081)
        #expect(try await Self.configuration(["OT_HTTP_PORT": ""]).httpPort == 8081)
        #expect(try await Self.configuration(["OT_HTTP_PORT": "0"]).httpPort == 0)
        #expect(try await Self.configuration(["OT_HTTP_PORT": "9181"]).httpPort == 9181)
    }

    @Test(
        "a value of the wrong type stops the start with the variable and the value named, never a silent default",
        arguments: [
            ("OT_HTTP_PORT", "http", "OT_HTTP_PORT must be a whole number from 0 to 65535, not http"),
            ("OT_HTTP_PORT", "65536", "OT_HTTP_PORT must be a whole number from 0 to 65535, not 65536"),
            ("OT_HTTP_PORT", "-1", "OT_HTTP_PORT must be a whole number from 0 to 65535, not -1"),
            ("OT_DEDUP_WINDOW_DAYS", "0", "OT_DEDUP_WINDOW_DAYS must be a whole number from 1 to 3650, not 0"),
            ("OT_DEDUP_WINDOW_DAYS", "1w", "OT_DEDUP_WINDOW_DAYS must be a whole number from 1 to 3650, not 1w"),
            ("OT_MAX_BATCH_SIZE", "0", "OT_MAX_BATCH_SIZE must be a whole number from 1 to 100000, not 0"),
            ("OT_MAX_BATCH_SIZE", "5k", "OT_MAX_BATCH_SIZE must be a whole number from 1 to 100000, not 5k"),
            (
                "OT_FORBID_INPUT_REWIND", "always",
                "OT_FORBID_INPUT_REWIND must be 1 or 0 (true or false, yes or no), not always"
            ),
        ])
    func wrongType(variable: String, value: String, message: String) async {
        await #expect {
            try await Self.configuration([variable: value])
        } throws: { error in
            "\(error)" == "invalid configuration: \(message)"
        }
    }

    @Test("OT_DATA_DIR, OT_INSTANCE_ID, OT_VERSION and OT_FORBID_INPUT_REWIND as given; their defaults when unset")
    func otherSettings() async throws {
        let defaults = try await Self.configuration(["OT_DATA_DIR": "", "OT_INSTANCE_ID": ""])
        #expect(defaults.storeDirectory.path.hasSuffix(".ot-data/ot-registrations"))
        #expect(defaults.instanceID == nil && defaults.build.version == "dev" && !defaults.forbidInputRewind)
        let given = try await Self.configuration([
            "OT_INSTANCE_ID": "registrations-2", "OT_VERSION": "1.4.0", "OT_FORBID_INPUT_REWIND": "1",
        ])
        #expect(given.storeDirectory.path == "/tmp/ot-configuration-test/ot-registrations")
        #expect(given.instanceID == "registrations-2" && given.build.version == "1.4.0" && given.forbidInputRewind)
        #expect(try await !Self.configuration(["OT_FORBID_INPUT_REWIND": "0"]).forbidInputRewind)
        // The de-duplication window: a day longer than the input topics' retention (7 days) unless set.
        #expect(defaults.deduplicationWindow == .days(8))
        #expect(try await Self.configuration(["OT_DEDUP_WINDOW_DAYS": "30"]).deduplicationWindow == .days(30))
        // The largest batch: 10,000 messages unless set.
        #expect(defaults.maxBatchSize == 5_000)
        #expect(try await Self.configuration(["OT_MAX_BATCH_SIZE": "2000"]).maxBatchSize == 2_000)
    }

    @Test("the clock runs on from its start at the pace of the real clock")
    func clockRunsOn() {
        let real = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let start = Date(timeIntervalSince1970: 5_000)
        let clock = WorkerConfiguration.clock(startingAt: start) { real.withLock { $0 } }
        #expect(clock() == start)
        real.withLock { $0 += 90 }
        #expect(clock() == start.addingTimeInterval(90))
    }
}
