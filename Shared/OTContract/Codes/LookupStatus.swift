/// The outcome of an individual lookup: the status of a school-history reply and the outcome of its audit entry.
public enum LookupStatus: String, CodeList {
    /// OK: granted, and the history is in the reply.
    case ok = "OK"
    /// DENIED: the requester may not see this person.
    case denied = "DENIED"
    /// NOT_FOUND: nothing is known about this person.
    case notFound = "NOT_FOUND"
    /// INVALID: the request itself was invalid.
    case invalid = "INVALID"

    /// "lookup status".
    public static let codeListName = "lookup status"
}
