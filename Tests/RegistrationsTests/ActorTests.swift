import Foundation
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import Registrations

/// Who may do what: every command names its actor, and the service acts only within the actor's scope.
@Suite("Registrations: actors", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct ActorTests {
    @Test(
        "an actor outside the youth's county or unit is refused, and the refusal is audited; erasure needs an administrator"
    )
    func scopes() async throws {
        try await RegistrationsFixture.with { fixture in
            let person = youth(born: "2008-06-06")
            let unit5001 = CommandActor(userId: "adviser-5001", countyNumber: .trondelag, unitId: "5001")
            let register = RegisterYouth(
                personId: person, unitId: "5001", countyNumber: .trondelag, reason: .annet, date: day("2026-03-01"))
            #expect(try await fixture.command(register, actor: unit5001).status == .accepted)

            let oslo = CommandActor(userId: "adviser-03", countyNumber: .oslo)
            let otherUnit = CommandActor(userId: "adviser-5006", countyNumber: .trondelag, unitId: "5006")
            let status = SetStatus(personId: person, statusCode: .otov, effectiveDate: day("2026-03-02"))
            let fromOslo = try await fixture.command(status, actor: oslo)
            #expect(
                fromOslo.status == .rejected && fromOslo.reason == "the youth is in county 50: outside your county (03)"
            )
            let fromOtherUnit = try await fixture.command(status, actor: otherUnit)
            #expect(fromOtherUnit.reason == "the youth is in unit 5001: outside your unit (5006)")

            // No actor at all.
            let anonymous = try CloudEvent(
                status, source: "urn:test", time: fixture.clock.now, correlationID: "anonymous")
            try await fixture.publish(anonymous, to: .registrationCommands, key: person.digits)
            let unnamed = try await fixture.reply(to: anonymous)
            #expect(unnamed.status == .rejected)
            #expect(unnamed.reason == "the command names no valid actor: missing CloudEvents attribute 'actorid'")

            #expect(try await fixture.command(status, actor: unit5001).status == .accepted)
            #expect(
                try await fixture.command(
                    CloseRegistration(personId: person, date: day("2026-03-03"), statusCode: .otarIM), actor: unit5001
                ).status == .accepted)
            let erase = ErasePerson(personId: person)
            let byAdviser = try await fixture.command(erase, actor: unit5001)
            #expect(byAdviser.reason == "erasing a person's data needs the ADMINISTRATOR role")
            let osloAdministrator = CommandActor(userId: "admin-03", countyNumber: .oslo, role: .administrator)
            #expect(
                try await fixture.command(erase, actor: osloAdministrator).reason
                    == "the youth was last registered in county 50, outside your county (03)")

            // Every refusal is on ot.audit.v1 under the youth's key, naming who and why; nothing else is.
            let audit = try await fixture.waitForEvents(on: .audit, key: person.digits, "five refusals") {
                $0.count >= 5
            }.map { try $0.decodePayload(as: CommandRefused.self) }
            #expect(audit.map(\.actorId) == ["adviser-03", "adviser-5006", nil, "adviser-5001", "admin-03"])
            #expect(audit.first?.reason == fromOslo.reason && audit.first?.commandType == SetStatus.eventType)
            #expect(try await fixture.command(erase).status == .accepted)
        }
    }
}
