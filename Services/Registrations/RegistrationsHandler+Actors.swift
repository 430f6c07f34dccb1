import GRDB
import OTContract
import OTRuntime

extension RegistrationsHandler {
    /// Why the command's actor may not send it, if they may not (docs/registrations.md, "Who may do what"): every
    /// command names its actor; an adviser acts on youths registered in their county (their unit, when
    /// unit-scoped), registers youths only in units they cover, and only an administrator erases a person, of their
    /// own county. A command the rules would reject anyway (no open registration, an unknown unit) is left to them.
    func refusal(
        of command: RegistrationCommand, cloudEvent: CloudEvent, db: Database
    ) throws -> (actor: CommandActor?, reason: String)? {
        let actor: CommandActor
        do {
            actor = try CommandActor(of: cloudEvent)
        } catch {
            return (nil, "the command names no valid actor: \(error)")
        }
        switch command {
        case .register(let register):
            guard let unit = units.unit(register.unitId) else { return nil }
            return actor.refusal(unit: unit.unitId, county: unit.countyNumber).map { (actor, $0) }
        case .erasePerson(let erase):
            guard actor.role == .administrator else {
                return (actor, "erasing a person's data needs the \(ActorRole.administrator.rawValue) role")
            }
            guard let last = try RegistrationRecord.all(db, erase.personId).last, last.county != actor.countyNumber
            else { return nil }
            return (
                actor,
                "the youth was last registered in county \(last.county.rawValue), outside your county "
                    + "(\(actor.countyNumber.rawValue))"
            )
        default:
            guard let personId = (command.payload as? any PersonKeyedPayload)?.personId,
                let open = try RegistrationRecord.open(db, personId)
            else { return nil }
            return actor.refusal(unit: open.unitId, county: open.county).map { (actor, $0) }
        }
    }
}
