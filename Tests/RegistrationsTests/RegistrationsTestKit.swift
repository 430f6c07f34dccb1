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

/// The actor of the tests' commands unless a test names another: an administrator of Trøndelag, where the tests'
/// youths are registered.
let trondelagAdministrator = CommandActor(userId: "test-admin-50", countyNumber: .trondelag, role: .administrator)

/// The registrations service under test: the shared ``ServiceHarness`` (the embedded broker, the service in-process
/// on a test clock, a watcher on its outputs), with the registrations tests' own steps below.
typealias RegistrationsFixture = ServiceHarness

extension ServiceHarness {
    /// Runs `body` with the registrations service, its clock at noon of `today`, and always tears it down after.
    static func with(today: String = "2026-03-02", _ body: (ServiceHarness) async throws -> Void) async throws {
        try await withServiceHarness(
            .registrations, inputs: [.enrollment, .registrationCommands], outputs: [.registrations, .replies, .audit],
            today: today, actor: trondelagAdministrator, handler: { RegistrationsHandler(units: try Units.bundled()) },
            body)
    }

    /// Starts the service again after ``stopWorker()``, on the same store files, and waits until it is ready.
    func startWorker() async throws { try await startAndWaitUntilReady() }

    /// Stops the service gracefully (as SIGTERM does).
    func stopWorker() async throws { try await stop() }

    /// Publishes a payload dated noon of `time` (`YYYY-MM-DD`).
    @discardableResult
    func publish<P: PersonKeyedPayload>(_ payload: P, on time: String, correlationID: String? = nil) async throws
        -> CloudEvent
    {
        try await publish(payload, time: noon(time), correlationID: correlationID)
    }

    /// The registration events published so far for a person, decoded, in order.
    func events(of person: NationalID) async throws -> [RegistrationEvent] {
        try await events(on: .registrations, key: person.digits).map(RegistrationEvent.init)
    }

    /// Waits until the person's registration events satisfy `condition`.
    @discardableResult
    func waitForEvents(
        of person: NationalID, _ what: String, until condition: @escaping @Sendable ([RegistrationEvent]) -> Bool
    ) async throws -> [RegistrationEvent] {
        try await waitForEvents(on: .registrations, key: person.digits, what) { events in
            condition(events.compactMap { try? RegistrationEvent($0) })
        }.map(RegistrationEvent.init)
    }

    /// The partition store a person's state lives in (instance 0's).
    func store(of person: NationalID) throws -> DatabaseQueue { try store(of: person.digits) }

    /// Waits until the service has committed `event`. Events of two topics are not ordered with each other, so
    /// tests wait on this rather than on a later message.
    func waitUntilProcessed(_ event: CloudEvent, of person: NationalID) async throws {
        try await waitUntilProcessed(event)
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
        try await waitUntilProcessed(try await publish(payload))
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
