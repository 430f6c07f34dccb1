/// The time a statistics record describes: the state now, or the state as of a reporting date.
public enum StatisticsPeriod: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, JSONStringValue {
    /// The state as of today (the service's clock), kept up to date.
    case current
    /// The state as of a reporting date (by default 1 February and 15 June of each school year), by the events'
    /// effective dates: a replay of the log gives the same figures.
    case reportingDate(LocalDate)

    /// Reads `current` or a date `YYYY-MM-DD`.
    public init(_ text: String) throws(ContractError) {
        if text == "current" {
            self = .current
        } else {
            do {
                self = .reportingDate(try LocalDate(text))
            } catch {
                throw .invalidField("period", reason: "\(text) is neither current nor a date YYYY-MM-DD")
            }
        }
    }

    /// `current` or the date.
    public var description: String {
        switch self {
        case .current: "current"
        case .reportingDate(let date): date.description
        }
    }

    /// Reporting dates in date order, then `current`.
    public static func < (lhs: StatisticsPeriod, rhs: StatisticsPeriod) -> Bool {
        switch (lhs, rhs) {
        case (.reportingDate(let left), .reportingDate(let right)): left < right
        case (.reportingDate, .current): true
        default: false
        }
    }

    /// The period's text (``description``).
    public var jsonString: String { description }

    /// Reads a period's text.
    public init(jsonString: String) throws(ContractError) { self = try StatisticsPeriod(jsonString) }

    /// Decodes the period's text (``JSONStringValue``'s coding).
    public init(from decoder: any Decoder) throws { try self.init(jsonStringFrom: decoder) }

    /// Encodes the period's text.
    public func encode(to encoder: any Encoder) throws { try encodeJSONString(to: encoder) }
}
