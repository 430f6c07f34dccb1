/// What kind of measure a follow-up plan holds.
public enum MeasureType: String, CodeList {
    /// EDUCATION: school, apprenticeship or another education.
    case education = "EDUCATION"
    /// WORK: work or work practice.
    case work = "WORK"
    /// NAV_MEASURE: a measure run by NAV.
    case navMeasure = "NAV_MEASURE"
    /// HEALTH: health or treatment.
    case health = "HEALTH"
    /// OTHER: another measure.
    case other = "OTHER"

    /// "measure type".
    public static let codeListName = "measure type"
}
