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

    /// What the qualification is, in words.
    public var meaning: String {
        switch self {
        case .studiekompetanse: "general university admissions certification (studiekompetanse)"
        case .yrkeskompetanse: "vocational qualification (yrkeskompetanse)"
        case .fagbrev: "trade certificate (fagbrev)"
        case .svennebrev: "journeyman's certificate (svennebrev)"
        case .kompetansebevis: "certificate of partial competence (kompetansebevis)"
        }
    }
}
