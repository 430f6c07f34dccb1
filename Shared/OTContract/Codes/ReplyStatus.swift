/// Whether a command was carried out.
public enum ReplyStatus: String, CodeList {
    /// ACCEPTED: carried out.
    case accepted = "ACCEPTED"
    /// REJECTED: refused; the reply says why.
    case rejected = "REJECTED"

    /// "reply status".
    public static let codeListName = "reply status"
}
