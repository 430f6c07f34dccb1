/// A youth's answer to an offered school or apprenticeship place.
public enum OfferAnswer: String, CodeList {
    /// ACCEPTED: took the place (takket ja).
    case accepted = "ACCEPTED"
    /// DECLINED: declined the place (takket nei).
    case declined = "DECLINED"
    /// NO_ANSWER: did not answer by the deadline.
    case noAnswer = "NO_ANSWER"

    /// "offer answer".
    public static let codeListName = "offer answer"
}
