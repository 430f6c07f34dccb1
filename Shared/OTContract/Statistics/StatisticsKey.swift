/// What a statistics record covers: one unit, one county, or the nation.
public enum StatisticsScope: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    /// An OT unit (OT-enhet); the id is the unit number.
    case unit
    /// A county; the id is the two-digit county number.
    case county
    /// The whole country; the id is `all`.
    case national

    /// Nation before county before unit.
    public static func < (lhs: StatisticsScope, rhs: StatisticsScope) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .national: 0
        case .county: 1
        case .unit: 2
        }
    }
}

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

/// The key of a statistics record on ``Topic/statistics``: `{scope}:{id}:{period}`, such as `county:50:current`,
/// `unit:5001:current` or `national:all:2026-06-15`.
public struct StatisticsKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, JSONStringValue {
    /// Unit, county or nation.
    public var scope: StatisticsScope
    /// The unit number, the county number, or `all`.
    public var id: String
    /// `current` or a reporting date.
    public var period: StatisticsPeriod

    /// Creates a key.
    public init(scope: StatisticsScope, id: String, period: StatisticsPeriod) {
        self.scope = scope
        self.id = id
        self.period = period
    }

    /// The nation's key for `period`.
    public static func national(_ period: StatisticsPeriod) -> StatisticsKey {
        StatisticsKey(scope: .national, id: "all", period: period)
    }

    /// Reads `{scope}:{id}:{period}`.
    public init(_ text: String) throws(ContractError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let scope = StatisticsScope(rawValue: String(parts[0])), !parts[1].isEmpty else {
            throw .invalidField("key", reason: "\(text) is not {unit|county|national}:{id}:{period}")
        }
        self.init(scope: scope, id: String(parts[1]), period: try StatisticsPeriod(String(parts[2])))
    }

    /// `{scope}:{id}:{period}`.
    public var description: String { "\(scope.rawValue):\(id):\(period)" }

    /// By period, then nation, counties and units, then id.
    public static func < (lhs: StatisticsKey, rhs: StatisticsKey) -> Bool {
        (lhs.period, lhs.scope, lhs.id) < (rhs.period, rhs.scope, rhs.id)
    }

    /// The key's text (``description``).
    public var jsonString: String { description }

    /// Reads a key's text.
    public init(jsonString: String) throws(ContractError) { self = try StatisticsKey(jsonString) }
}

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
