import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import Synchronization
import Testing

@testable import Statistics

/// The statistics service under test: the shared ``ServiceHarness``, started without instances (tests start as many
/// as they need with ``ServiceHarness/startInstance()``), with the statistics tests' own steps below.
typealias StatisticsFixture = ServiceHarness

extension ServiceHarness {
    /// Runs `body` with the statistics service's topics and no instance yet, its clock at noon of `today`, and always
    /// tears it down after.
    static func with(today: String, _ body: (ServiceHarness) async throws -> Void) async throws {
        try await withServiceHarness(
            .statistics, inputs: [.registrations, .statisticsRepartition], outputs: [.statistics], today: today,
            instances: 0, handler: { StatisticsHandler() }, body)
    }

    /// Publishes registration events as the registrations service does: structured CloudEvents keyed by person.
    func publish(_ events: [RegistrationEvent]) async throws {
        let messages = try events.map { event in
            let cloudEvent = try CloudEvent(event.payload, source: ServiceName.registrations.eventSource)
            return KafkaProducerMessage(
                topic: Topic.registrations.name, key: Array(event.personDigits.utf8),
                value: cloudEvent.structuredJSON(),
                headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
        }
        try await producer.sendAll(messages)
    }

    func publishRaw(key: String, value: [UInt8]) async throws {
        try await publishRaw(topic: .registrations, key: key, value: value)
    }

    /// Waits until the latest published records agree with `expected` (see ``mismatches(_:expected:periods:)``).
    @discardableResult
    func waitForFigures(
        _ expected: [StatisticsKey: [String: Int]], periods: Set<StatisticsPeriod>, timeout: Duration = .seconds(180)
    ) async throws -> [StatisticsKey: StatisticsUpdated] {
        try await output.waitForFigures(expected, periods: periods, timeout: timeout)
    }
}

extension TopicWatcher {
    /// Waits until the latest records on `ot.statistics.v1` agree with `expected`; on timeout, records how they
    /// differ.
    @discardableResult
    func waitForFigures(
        _ expected: [StatisticsKey: [String: Int]], periods: Set<StatisticsPeriod>, timeout: Duration = .seconds(180)
    ) async throws -> [StatisticsKey: StatisticsUpdated] {
        do {
            try await wait("the figures", timeout: timeout) { messages in
                mismatches(latest(messages), expected: expected, periods: periods).isEmpty
            }
        } catch {
            let problems = mismatches(latest(await messages), expected: expected, periods: periods)
            Issue.record("figures differ: \(problems.prefix(15).joined(separator: "; "))")
            throw error
        }
        return latest(await messages)
    }
}

func decodedEvent(_ message: KafkaConsumerMessage) throws -> CloudEvent {
    try CloudEvent.decode(value: message.value, headers: message.headers.map { ($0.name, $0.value) })
}

/// The latest record per key.
func latest(_ messages: [KafkaConsumerMessage]) -> [StatisticsKey: StatisticsUpdated] {
    var records: [StatisticsKey: StatisticsUpdated] = [:]
    for message in messages {
        guard
            let event = try? CloudEvent.decode(
                value: message.value, headers: message.headers.map { ($0.name, $0.value) }),
            let record = try? event.decodePayload(as: StatisticsUpdated.self)
        else { continue }
        records[record.key] = record
    }
    return records
}

/// How the published records of `periods` differ from the expected raw counts: a published count must equal the
/// expected one, a count from 1 to 4 must be suppressed (null), and every key with counts must be there.
func mismatches(
    _ records: [StatisticsKey: StatisticsUpdated], expected: [StatisticsKey: [String: Int]],
    periods: Set<StatisticsPeriod>
) -> [String] {
    var problems: [String] = []
    for key in expected.keys where records[key] == nil { problems.append("\(key) missing") }
    for (key, record) in records where periods.contains(key.period) {
        let counts = expected[key] ?? [:]
        for (path, value) in record.cells {
            let want = counts[path] ?? 0
            switch value {
            case .some(let got) where got != want: problems.append("\(key) \(path) is \(got), expected \(want)")
            case .none where !record.suppressed.contains(path): problems.append("\(key) \(path) null, not listed")
            case .some where (1...4).contains(want): problems.append("\(key) \(path) = \(want) published")
            default: break
            }
        }
    }
    return problems.sorted()
}
