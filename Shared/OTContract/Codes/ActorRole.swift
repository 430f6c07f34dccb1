/// What an actor may do (the CloudEvents extension `actorrole` on a command).
public enum ActorRole: String, CodeList {
    /// ADVISER: an OT adviser (case worker): registrations and plans of youths in their county or unit.
    case adviser = "ADVISER"
    /// ADMINISTRATOR: an adviser who may also erase a person's data (`no.ot.person.erase`) in their county.
    case administrator = "ADMINISTRATOR"

    /// "actor role".
    public static let codeListName = "actor role"
}
