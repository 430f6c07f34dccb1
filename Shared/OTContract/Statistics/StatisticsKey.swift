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
