/// Who is responsible for carrying out a measure.
public enum ResponsibleAgency: String, CodeList {
    /// OT: the follow-up service itself.
    case ot = "OT"
    /// NAV: the labour and welfare service.
    case nav = "NAV"
    /// MUNICIPALITY: the municipality (kommune).
    case municipality = "MUNICIPALITY"
    /// SCHOOL: a school.
    case school = "SCHOOL"
    /// EMPLOYER: an employer or training establishment.
    case employer = "EMPLOYER"

    /// "responsible agency".
    public static let codeListName = "responsible agency"
}
