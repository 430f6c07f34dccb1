/// What a completed upper-secondary education gave.
public enum Qualification: String, CodeList {
    /// STUDIEKOMPETANSE: general university admissions certification.
    case studiekompetanse = "STUDIEKOMPETANSE"
    /// YRKESKOMPETANSE: vocational qualification (school-based).
    case yrkeskompetanse = "YRKESKOMPETANSE"
    /// FAGBREV: trade certificate.
    case fagbrev = "FAGBREV"
    /// SVENNEBREV: journeyman's certificate (craft trades).
    case svennebrev = "SVENNEBREV"
    /// KOMPETANSEBEVIS: certificate of partial competence (lærekandidat).
    case kompetansebevis = "KOMPETANSEBEVIS"

    /// "qualification".
    public static let codeListName = "qualification"
}
