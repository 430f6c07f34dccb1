import Foundation
import OTContract
import Testing

@Suite("Command actors", .timeLimit(.minutes(2)))
struct CommandActorTests {
    @Test("an actor travels as CloudEvents extension attributes, in structured mode and back")
    func roundTrip() throws {
        let actor = CommandActor(userId: "ola", countyNumber: .trondelag, unitId: "5001", role: .administrator)
        let event = try CloudEvent(
            SetStatus(personId: Samples.person, statusCode: .otov, effectiveDate: Samples.date), source: "urn:test",
            extensions: actor.extensions)
        let decoded = try CloudEvent(structuredJSON: event.structuredJSON())
        #expect(try CommandActor(of: decoded) == actor)
        #expect(decoded.extensions["actorcounty"] == .string("50"))
    }

    @Test("a missing or unknown part is an error naming the attribute")
    func errors() throws {
        let payload = SetStatus(personId: Samples.person, statusCode: .otov, effectiveDate: Samples.date)
        #expect(throws: ContractError.missingAttribute("actorid")) {
            try CommandActor(of: try CloudEvent(payload, source: "urn:test"))
        }
        let badRole = try CloudEvent(
            payload, source: "urn:test",
            extensions: ["actorid": "ola", "actorcounty": "50", "actorrole": "BOSS"])
        #expect(throws: ContractError.invalidAttribute("actorrole", reason: "not ADVISER or ADMINISTRATOR")) {
            try CommandActor(of: badRole)
        }
        let badCounty = try CloudEvent(
            payload, source: "urn:test", extensions: ["actorid": "ola", "actorcounty": "99", "actorrole": "ADVISER"])
        #expect(throws: ContractError.invalidAttribute("actorcounty", reason: "not a county number")) {
            try CommandActor(of: badCounty)
        }
    }

    @Test("the scope: the actor's county, and their unit when unit-scoped")
    func scope() {
        let county = CommandActor(userId: "u", countyNumber: .trondelag)
        let unit = CommandActor(userId: "u", countyNumber: .trondelag, unitId: "5001")
        #expect(county.refusal(unit: "5006", county: .trondelag) == nil)
        #expect(unit.refusal(unit: "5001", county: .trondelag) == nil)
        #expect(unit.refusal(unit: "5006", county: .trondelag) == "the youth is in unit 5006: outside your unit (5001)")
        #expect(county.refusal(unit: "0301", county: .oslo) == "the youth is in county 03: outside your county (50)")
    }
}
