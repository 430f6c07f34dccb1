/// Why a youth was registered in OT: Udir's statistics categories, declared in the code list's order, which ranks
/// the reasons of triggers of one day (`allCases`: the first decides).
public enum RegistrationReason: String, CodeList {
    /// IKKE_SOKT (ikke søkt): did not apply by the deadline.
    case ikkeSokt = "IKKE_SOKT"
    /// TAKKET_NEI (takket nei): declined an offered place, or did not answer.
    case takketNei = "TAKKET_NEI"
    /// SLUTTET: left school or an apprenticeship during the year (or did not show up).
    case sluttet = "SLUTTET"
    /// ANNET: other, such as no apprenticeship place or a contract ended without a certificate.
    case annet = "ANNET"

    /// "registration reason".
    public static let codeListName = "registration reason"
}
