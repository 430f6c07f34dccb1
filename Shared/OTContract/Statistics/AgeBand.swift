/// The age bands statistics count by: age at the end of the period's calendar year (domain.md).
public enum AgeBand: String, CaseIterable, Codable, Sendable, Hashable {
    case age15to16 = "15-16"
    case age17 = "17"
    case age18 = "18"
    case age19 = "19"
    case age20 = "20"
    case age21to24 = "21-24"

    /// The band of a youth born `birthDate`, by age at the end of `year`. Ages outside 15–24 (which an open
    /// registration cannot have) fall into the nearest band, so that the bands always add up to the total.
    public init(birthDate: LocalDate, endOfYear year: Int) {
        switch birthDate.ageAtEndOfYear(year) {
        case ...16: self = .age15to16
        case 17: self = .age17
        case 18: self = .age18
        case 19: self = .age19
        case 20: self = .age20
        default: self = .age21to24
        }
    }
}
