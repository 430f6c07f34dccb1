import Foundation
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import Synchronization
import Testing

@testable import FollowUpPlans

func day(_ text: String) -> LocalDate { try! LocalDate(text) }

/// The actor of the tests' commands unless a test names another: an adviser of Trøndelag (units 5001, 5006).
let trondelagAdviser = CommandActor(userId: "test-adviser-50", countyNumber: .trondelag)

/// Runs `body` with the plans service on the embedded broker, its clock at noon of `today`.
func withPlansService(
    today: String = "2026-03-02", rules: PlanRules = PlanRules(), _ body: (ServiceHarness) async throws -> Void
) async throws {
    try await withServiceHarness(
        .followUpPlans, inputs: [.registrations, .followUpPlanCommands], outputs: [.followUpPlans, .replies, .audit],
        today: today, actor: trondelagAdviser, handler: { FollowUpPlansHandler(rules: rules) }, body)
}

/// A new synthetic youth (born 2008) for every call, so that tests never share a person.
func newYouth() -> NationalID {
    try! NationalID.synthetic(birthDate: day("2008-05-05"), index: nextPersonIndex.add(1, ordering: .relaxed).newValue)
}

private let nextPersonIndex = Atomic<Int>(300)

/// A registration as the registrations service publishes it, for the tests to publish on `ot.registrations.v1`.
struct TestRegistration {
    var id = UUID().uuidString
    var person: NationalID
    var unit = "5001"
    var county = County.trondelag
    var registeredAt: LocalDate

    var registered: YouthRegistered {
        YouthRegistered(
            registrationId: id, personId: person, unitId: unit, countyNumber: county,
            schoolYear: registeredAt.schoolYear, registeredAt: registeredAt, reason: .ikkeSokt, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, birthDate: person.birthDate, gender: .kvinne)
    }

    func closed(on date: LocalDate, cause: RegistrationClosureCause, status: OTStatusCode? = nil) -> RegistrationClosed
    {
        RegistrationClosed(
            registrationId: id, personId: person, unitId: unit, countyNumber: county,
            schoolYear: registeredAt.schoolYear, cause: cause, reason: .ikkeSokt, statusCode: status,
            statusGroup: status?.group ?? .ukjentAktivitet, effectiveDate: date, birthDate: person.birthDate,
            gender: .kvinne)
    }

    func transferred(to unit: String, on date: LocalDate) -> YouthTransferred {
        YouthTransferred(
            registrationId: id, personId: person, schoolYear: registeredAt.schoolYear, fromUnitId: self.unit,
            fromCountyNumber: county, toUnitId: unit, toCountyNumber: county, reason: .ikkeSokt, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, effectiveDate: date, birthDate: person.birthDate, gender: .kvinne)
    }
}

extension ServiceHarness {
    /// Publishes a registration event as the registrations service does and waits until the plans service has
    /// processed it.
    func registrationEvent<P: PersonKeyedPayload>(_ payload: P, time: Date? = nil) async throws {
        try await waitUntilProcessed(
            try await publish(payload, time: time, source: ServiceName.registrations.eventSource))
    }

    /// The person's events on `ot.followup-plans.v1` so far, decoded.
    func planEvents(of person: NationalID) async throws -> [FollowUpPlanEvent] {
        try await events(on: .followUpPlans, key: person.digits).map(FollowUpPlanEvent.init)
    }

    /// Waits until the person's plan events satisfy `condition`; returns them. The topic keeps a person's events
    /// in order, so everything published before the event awaited is in the list.
    @discardableResult
    func waitForPlanEvents(
        of person: NationalID, _ what: String, until condition: @escaping @Sendable ([FollowUpPlanEvent]) -> Bool
    ) async throws -> [FollowUpPlanEvent] {
        try await waitForEvents(on: .followUpPlans, key: person.digits, what) { events in
            condition(events.compactMap { try? FollowUpPlanEvent($0) })
        }.map(FollowUpPlanEvent.init)
    }

    /// Adds a goal as a marker and returns the person's plan events up to it: whatever the service published for
    /// the person before (a tick's alerts included) is in the list.
    func eventsUpToMarker(
        _ person: NationalID, plan: String, actor: CommandActor? = nil
    ) async throws -> [FollowUpPlanEvent] {
        let goal = "marker-\(UUID().uuidString)"
        let reply = try await command(
            AddGoal(personId: person, planId: plan, goalId: goal, description: "marker"), actor: actor)
        #expect(reply.status == .accepted, "\(reply.reason ?? "")")
        let events = try await waitForPlanEvents(of: person, "the marker goal") { events in
            events.contains { $0.goalAdded?.goalId == goal }
        }
        return Array(events.prefix { $0.goalAdded?.goalId != goal })
    }

    /// Moves the test clock to noon of `date`. The service sees it at its next tick or event; a marker
    /// (``eventsUpToMarker(_:plan:)``) shows what it published by then.
    func setClock(_ date: String) {
        clock.set(noon(date))
    }
}

extension FollowUpPlanEvent {
    var created: PlanCreated? { if case .planCreated(let event) = self { event } else { nil } }
    var goalAdded: GoalAdded? { if case .goalAdded(let event) = self { event } else { nil } }
    var closed: PlanClosed? { if case .planClosed(let event) = self { event } else { nil } }
    var overdue: ReviewOverdue? { if case .reviewOverdue(let event) = self { event } else { nil } }
    var missing: PlanMissing? { if case .planMissing(let event) = self { event } else { nil } }
    var carriedOver: PlanCarriedOver? { if case .planCarriedOver(let event) = self { event } else { nil } }
    var statusChanged: MeasureStatusChanged? {
        if case .measureStatusChanged(let event) = self { event } else { nil }
    }
}
