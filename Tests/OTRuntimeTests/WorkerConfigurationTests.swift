import Foundation
import OTContract
import OTRuntime
import Synchronization
import Testing

@Suite("Worker configuration from the environment", .timeLimit(.minutes(1)))
struct WorkerConfigurationTests {
    static let environment = ["KAFKA_BROKERS": "127.0.0.1:9092", "OT_DATA_DIR": "/tmp/ot-configuration-test"]

    @Test("OT_CLOCK starts the clock at its instant; without it the clock is the real time")
    func clockFromEnvironment() throws {
        let simulated = try WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
            environment: Self.environment.merging(["OT_CLOCK": "2026-07-31T12:00:00Z"]) { $1 })
        let start = try Timestamp(rfc3339: "2026-07-31T12:00:00Z").date
        #expect(abs(simulated.clock().timeIntervalSince(start)) < 60)

        let real = try WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081, environment: Self.environment)
        #expect(abs(real.clock().timeIntervalSinceNow) < 60)
    }

    @Test("the health server binds loopback unless OT_HTTP_HOST names another address")
    func httpHost() throws {
        let local = try WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081, environment: Self.environment)
        #expect(local.httpHost == "127.0.0.1")
        let empty = try WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
            environment: Self.environment.merging(["OT_HTTP_HOST": ""]) { $1 })
        #expect(empty.httpHost == "127.0.0.1")
        let container = try WorkerConfiguration.fromEnvironment(
            service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
            environment: Self.environment.merging(["OT_HTTP_HOST": "0.0.0.0"]) { $1 })
        #expect(container.httpHost == "0.0.0.0")
    }

    @Test("a malformed OT_CLOCK is refused with the variable named")
    func malformedClock() {
        #expect {
            try WorkerConfiguration.fromEnvironment(
                service: .registrations, inputTopics: [.enrollment], defaultHTTPPort: 8081,
                environment: Self.environment.merging(["OT_CLOCK": "yesterday"]) { $1 })
        } throws: { error in
            "\(error)".contains("OT_CLOCK must be an RFC 3339 instant")
        }
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
