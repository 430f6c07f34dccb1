import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import Synchronization

@testable import Registrations

func day(_ text: String) -> LocalDate { try! LocalDate(text) }

/// The embedded broker with every system topic, the registrations service running in-process on a test clock,
/// and a watcher on its outputs.
final class RegistrationsFixture: Sendable {
    let kafka: EmbeddedKafka
    let clock: TestClock
    let directory: URL
    let producer: KafkaProducer
    let output: TopicWatcher
    private let worker: Mutex<InProcessWorker?>

    init(today: String = "2026-03-02") async throws {
        kafka = try EmbeddedKafka(
            brokers: 1,
            topics: [
                Topic.enrollment, Topic.registrationCommands, Topic.registrations, Topic.replies,
                Topic.deadLetters(of: .registrations), Topic.changelog(of: .registrations),
            ].map(\.name))
        clock = TestClock(noon(today))
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-registrations-\(UUID())")
        producer = try kafka.makeProducer()
        output = try await TopicWatcher(kafka: kafka, topics: [Topic.registrations.name, Topic.replies.name])
        worker = Mutex(nil)
        startWorker()
    }

    func startWorker() {
        let clock = self.clock
        let started = InProcessWorker(
            kafka: kafka, service: ServiceName.registrations.rawValue,
            inputTopics: [Topic.enrollment.name, Topic.registrationCommands.name],
            handler: RegistrationsHandler(units: try! Units.bundled()), directory: directory
        ) { configuration in
            configuration.clock = { clock.now }
            configuration.tickInterval = .milliseconds(100)
        }
        worker.withLock { $0 = started }
    }

    /// Waits until the running worker reports ready: its partitions assigned and their stores current.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        guard let running = worker.withLock({ $0 }) else { return }
        try await withTimeout(timeout, waitingFor: "the registrations worker to be ready") {
            while (try? await running.get("/health/ready"))?.status != 200 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    func stopWorker() async throws {
        let running = worker.withLock { worker in
            defer { worker = nil }
            return worker
        }
        try await running?.stop()
    }

    /// Runs `body` with a fixture whose clock starts at noon of `today`, and always tears it down after.
    static func with(today: String = "2026-03-02", _ body: (RegistrationsFixture) async throws -> Void) async throws {
        try await withFixture(
            { try await RegistrationsFixture(today: today) }, teardown: { try await $0.finish() }, body)
    }

    func finish() async throws {
        try await stopWorker()
        await output.stop()
        await producer.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Publishes a payload to its topic as a structured CloudEvent keyed by the person; returns the event.
    @discardableResult
    func publish<P: PersonKeyedPayload>(_ payload: P, time: String? = nil, correlationID: String? = nil) async throws
        -> CloudEvent
    {
        let event = try CloudEvent(
            payload, source: "urn:test", time: time.map(noon) ?? clock.now, correlationID: correlationID)
        try await producer.sendAll([
            KafkaProducerMessage(
                topic: P.topic.name, key: Array(payload.partitionKey.utf8), value: event.structuredJSON(),
                headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
        ])
        return event
    }

    /// Publishes raw bytes to a topic under a key.
    func publishRaw(topic: Topic, key: String, value: [UInt8]) async throws {
        try await producer.sendAll([KafkaProducerMessage(topic: topic.name, key: Array(key.utf8), value: value)])
    }

    /// The registration events published so far for a person, decoded, in order.
    func events(of person: NationalID) async throws -> [RegistrationEvent] {
        try await output.messages.filter { $0.topic == Topic.registrations.name && $0.keyString == person.digits }
            .map { try RegistrationEvent(decoded($0)) }
    }

    /// Waits until the person's registration events satisfy `condition`.
    @discardableResult
    func waitForEvents(
        of person: NationalID, _ what: String, until condition: @escaping @Sendable ([RegistrationEvent]) -> Bool
    ) async throws -> [RegistrationEvent] {
        let digits = person.digits
        let messages = try await output.wait(what) { messages in
            let events = messages.filter { $0.topic == Topic.registrations.name && $0.keyString == digits }
                .compactMap { try? RegistrationEvent(decoded($0)) }
            return condition(events)
        }
        return try messages.filter { $0.topic == Topic.registrations.name && $0.keyString == digits }
            .map { try RegistrationEvent(decoded($0)) }
    }

    /// Waits for the reply to a command.
    func reply(to command: CloudEvent) async throws -> CommandReply {
        let key = command.correlationID ?? command.id
        let messages = try await output.wait("the reply to \(command.type)") { messages in
            messages.contains { $0.topic == Topic.replies.name && $0.keyString == key }
        }
        let message = messages.first { $0.topic == Topic.replies.name && $0.keyString == key }!
        return try decoded(message).decodePayload(as: CommandReply.self)
    }

    /// The partition store a person's state lives in.
    func store(of person: NationalID) throws -> DatabaseQueue {
        let partition = KafkaPartitioner.murmur2Partition(
            of: Array(person.digits.utf8), partitionCount: kafka.partitions)
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(
            path: directory.appendingPathComponent(String(format: "partition-%03d.sqlite", partition)).path,
            configuration: configuration)
    }

    /// Waits until the service has committed `event` (its id is in the partition store's de-duplication table).
    /// Events of two topics are not ordered with each other, so tests wait on this rather than on a later message.
    func waitUntilProcessed(_ event: CloudEvent, of person: NationalID) async throws {
        try await withTimeout(.seconds(30), waitingFor: "\(event.type) to be processed") {
            while true {
                if let queue = try? self.store(of: person),
                    let count = try? await queue.read({ db in
                        try Int.fetchOne(
                            db, sql: "SELECT count(*) FROM ot_processed_events WHERE source = ? AND id = ?",
                            arguments: [event.source, event.id])
                    }), count == 1
                {
                    return
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// How many open registrations the person has in the service's store.
    func openRegistrations(of person: NationalID) async throws -> Int {
        try await store(of: person).read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM registrations WHERE person_id = ? AND closed_at IS NULL",
                arguments: [person.digits]) ?? 0
        }
    }

    /// Publishes `payload` and waits until the service has processed it.
    func publishAndWait<P: PersonKeyedPayload>(_ payload: P) async throws {
        try await waitUntilProcessed(try await publish(payload), of: payload.personId)
    }

    /// Sends a command with a correlation id and waits for its reply.
    func command<P: PersonKeyedPayload>(_ payload: P) async throws -> CommandReply {
        try await reply(to: try await publish(payload, correlationID: UUID().uuidString))
    }
}

func decoded(_ message: KafkaConsumerMessage) throws -> CloudEvent {
    try CloudEvent.decode(value: message.value, headers: message.headers.map { ($0.name, $0.value) })
}

/// A synthetic national ID for someone born on `birthDate`; a new person each call unless `index` is given, so
/// that tests sharing a service never share a person.
func youth(born birthDate: String, _ index: Int? = nil) -> NationalID {
    try! NationalID.synthetic(
        birthDate: day(birthDate), index: index ?? nextPersonIndex.add(1, ordering: .relaxed).newValue)
}

private let nextPersonIndex = Atomic<Int>(100)

func personUpdated(_ person: NationalID, county: County = .trondelag, gender: Gender = .kvinne) -> PersonUpdated {
    PersonUpdated(
        personId: person, birthDate: person.birthDate, gender: gender, countyNumber: county, municipalityNumber: "5001")
}

extension RegistrationEvent {
    var registered: YouthRegistered? { if case .registered(let event) = self { event } else { nil } }
    var closed: RegistrationClosed? { if case .closed(let event) = self { event } else { nil } }
    var statusChanged: StatusChanged? { if case .statusChanged(let event) = self { event } else { nil } }
}
