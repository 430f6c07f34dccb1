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
