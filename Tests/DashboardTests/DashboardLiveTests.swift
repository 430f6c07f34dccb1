import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaTesting
import Logging
import NIOCore
import OTContract
import TestTraits
import Testing

@testable import Dashboard

/// The dashboard as it runs: reading `ot.statistics.v1` on the embedded broker, serving pages over real HTTP, and
/// telling an open page when a record arrives.
@Suite("Dashboard on the broker", .serialized, .timeLimit(.minutes(2)), .tags(.broker), .needsBroker)
struct DashboardLiveTests {
    @Test("the topic is read from its beginning, last record per key; a new record reaches an open page's stream")
    func live() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: [Topic.statistics.name])
        let producer = try kafka.makeProducer()
        // Before the dashboard starts: county 50 twice (the later wins), and a unit that a tombstone then removes.
        let unit = SampleRecords.record(.unit, "5001", open: 20)
        _ = try await producer.send([
            try SampleRecords.message(SampleRecords.record(.county, "50", open: 90)),
            try SampleRecords.message(SampleRecords.record(.county, "50", open: 100)),
            try SampleRecords.message(unit),
            SampleRecords.tombstone(unit.key),
        ])
        var logger = Logger(label: "ot-dashboard-test")
        logger.logLevel = .warning
        let application = DashboardService.makeApplication(
            configuration: DashboardConfiguration(kafka: kafka.configuration, port: 0), logger: logger)

        try await application.test(.live) { client in
            // Readiness is polled, as a load balancer would.
            try await eventually("the dashboard to be ready") {
                try await client.execute(uri: "/health/ready", method: .get).status == .ok ? () : nil
            }
            let page = try await client.execute(uri: "/counties/50", method: .get)
            #expect(String(buffer: page.body).contains("<th scope=\"row\">Registrert i OT</th><td>100</td>"))
            #expect(try await client.execute(uri: "/units/5001", method: .get).status == .notFound)

            // A page's stream: hello, then an update when a record arrives.
            let port = try #require(client.port)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let response = try await http.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/events"), timeout: .seconds(60))
                #expect(response.headers.first(name: "content-type") == "text/event-stream")
                var events = EventReader(response.body.makeAsyncIterator())
                #expect(try await events.next(named: "hello") != nil)

                let sent = ContinuousClock.now
                _ = try await producer.send(
                    try SampleRecords.message(SampleRecords.record(.county, "50", open: 130)))
                #expect(try await events.next(named: "update") != nil)
                let latency = sent.duration(to: .now)
                print("dashboard: a new statistics record reached an open page's stream after \(latency)")
                let updated = try await client.execute(uri: "/counties/50", method: .get)
                #expect(String(buffer: updated.body).contains("<th scope=\"row\">Registrert i OT</th><td>130</td>"))
            } catch {
                try await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
        await producer.shutdown()
    }
}

/// Reads server-sent events from a response body: the `event:` names, in order.
struct EventReader {
    private var body: HTTPClientResponse.Body.AsyncIterator
    private var buffer = ""

    init(_ body: HTTPClientResponse.Body.AsyncIterator) { self.body = body }

    /// The `data` of the next event named `name` (events of other names are skipped); `nil` if the stream ends.
    mutating func next(named name: String) async throws -> String? {
        while true {
            while let end = buffer.range(of: "\n\n") {
                let event = String(buffer[..<end.lowerBound])
                buffer.removeSubrange(..<end.upperBound)
                let lines = event.split(separator: "\n")
                guard lines.contains("event: \(name)") else { continue }
                return lines.first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? ""
            }
            guard let chunk = try await body.next() else { return nil }
            buffer += String(buffer: chunk)
        }
    }
}
