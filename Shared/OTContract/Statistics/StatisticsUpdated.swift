/// The figures of one unit, county or the nation for one period: what dashboards read from the compacted
/// ``Topic/statistics``, keyed by ``key`` (`{scope}:{id}:{period}`). The latest record per key is the truth.
///
/// No personal data: counts only. A count from 1 to 4 is published as `null` and its path listed in
/// ``suppressed``, and so are the complementary cells chosen so that no suppressed count can be recovered from
/// totals or other cells (docs/statistics.md).
///
/// CloudEvents type `no.ot.statistics.updated` on ``Topic/statistics``.
public struct StatisticsUpdated: EventPayload {
    /// `no.ot.statistics.updated`.
    public static let eventType = "no.ot.statistics.updated"
    /// ``Topic/statistics``.
    public static var topic: Topic { .statistics }

    /// `{scope}:{id}:{period}`; also the Kafka key.
    public var key: StatisticsKey
    /// The county of a unit or county; absent for the nation.
    public var countyNumber: County?
    /// The date the figures describe: the reporting date, or for `current` the day they were computed.
    public var asOf: LocalDate
    /// The school year of ``asOf`` (1 August – 31 July), which ``schoolYearFlow`` counts.
    public var schoolYear: SchoolYear
    /// Open registrations as of ``asOf``.
    public var openRegistrations: Int?
    /// Open registrations by status group, `"1"` to `"5"`.
    public var byStatusGroup: [String: Int?]
    /// Open registrations by status code, every code of the code list.
    public var byStatusCode: [String: Int?]
    /// Open registrations by registration reason.
    public var byReason: [String: Int?]
    /// Open registrations by age band (age at the end of the calendar year of ``asOf``).
    public var byAgeBand: [String: Int?]
    /// Open registrations by gender, `"K"`, `"M"` and `"UKJENT"` when the population register gave none.
    public var byGender: [String: Int?]
    /// The share of open registrations with unknown activity (`OTUK`), 0 to 1; `null` when either count is
    /// suppressed or nobody is registered.
    public var unknownShare: Double?
    /// The school year's flow, 1 August to ``asOf``.
    public var schoolYearFlow: SchoolYearFlow
    /// The paths of the cells published as `null`, such as `byStatusCode.OTVF` or `schoolYearFlow.reachedActivity`.
    public var suppressed: [String]

    /// The school year's flow of youths through OT, 1 August to the period's date.
    public struct SchoolYearFlow: Codable, Sendable, Equatable {
        /// Youths registered at any time in the school year (including those carried over on 1 August).
        public var registered: Int?
        /// Of those, how many were in status group 3 (in activity) at any time in the school year.
        public var reachedActivity: Int?
        /// Of those, how many were also registered the school year before.
        public var registeredPreviousYear: Int?

        /// Creates a flow.
        public init(registered: Int?, reachedActivity: Int?, registeredPreviousYear: Int?) {
            self.registered = registered
            self.reachedActivity = reachedActivity
            self.registeredPreviousYear = registeredPreviousYear
        }
    }

    /// The gender key for youths without a gender.
    public static let unknownGender = "UKJENT"

    /// Creates a record.
    public init(
        key: StatisticsKey, countyNumber: County?, asOf: LocalDate, openRegistrations: Int?,
        byStatusGroup: [String: Int?], byStatusCode: [String: Int?], byReason: [String: Int?],
        byAgeBand: [String: Int?], byGender: [String: Int?], unknownShare: Double?, schoolYearFlow: SchoolYearFlow,
        suppressed: [String]
    ) {
        self.key = key
        self.countyNumber = countyNumber
        self.asOf = asOf
        self.schoolYear = asOf.schoolYear
        self.openRegistrations = openRegistrations
        self.byStatusGroup = byStatusGroup
        self.byStatusCode = byStatusCode
        self.byReason = byReason
        self.byAgeBand = byAgeBand
        self.byGender = byGender
        self.unknownShare = unknownShare
        self.schoolYearFlow = schoolYearFlow
        self.suppressed = suppressed
    }

    /// Checks that no published count is from 1 to 4, that every suppressed path is `null`, and that the school
    /// year is the one of ``asOf``.
    public func validate() throws(ContractError) {
        guard schoolYear == asOf.schoolYear else {
            throw .invalidField("data.schoolYear", reason: "is \(schoolYear) but asOf \(asOf) is in \(asOf.schoolYear)")
        }
        // Most records pass: check them without spelling out every cell's path, which only an error needs.
        if cellsPass { return }
        for (path, value) in cells where value.map({ (1...4).contains($0) }) ?? false {
            throw .invalidField("data.\(path)", reason: "a count from 1 to 4 must be suppressed")
        }
        let values = Dictionary(cells, uniquingKeysWith: { first, _ in first })
        for path in suppressed where values[path] != .some(nil) {
            throw .invalidField("data.suppressed", reason: "\(path) is listed as suppressed but is not null")
        }
    }

    /// Whether no count is from 1 to 4 and every suppressed path names a `null` cell: the checks of ``validate()``
    /// on the cells, without their paths.
    private var cellsPass: Bool {
        func small(_ value: Int?) -> Bool { value.map { (1...4).contains($0) } ?? false }
        let tables = self.tables  // listed once for every suppressed path
        let flowCells = self.flowCells
        guard !small(openRegistrations), !flowCells.contains(where: { small($0.value) }),
            !tables.contains(where: { $0.table.values.contains(where: small) })
        else { return false }
        return suppressed.allSatisfy { cell(at: $0, tables: tables, flowCells: flowCells) == .some(nil) }
    }

    /// The cell at `path` (`nil` when there is none), as ``cells`` names it, in ``tables`` and ``flowCells``.
    private func cell(
        at path: String, tables: [(name: String, table: [String: Int?])], flowCells: [(name: String, value: Int?)]
    ) -> Int?? {
        // By its bytes, and the name as a `String`: the dot found as a `Character` and the name compared as a
        // `Substring` took three times as long as the rest of the lookup.
        guard let dot = path.utf8.firstIndex(of: UInt8(ascii: ".")) else {
            return path == "openRegistrations" ? .some(openRegistrations) : .none
        }
        let name = String(path[..<dot])
        let cell = String(path[path.index(after: dot)...])
        if name == "schoolYearFlow" { return flowCells.first { $0.name == cell }.map(\.value) }
        return tables.first { $0.name == name }?.table[cell]
    }

    /// The tables of counts, by their names in a cell's path.
    private var tables: [(name: String, table: [String: Int?])] {
        [
            ("byStatusGroup", byStatusGroup), ("byStatusCode", byStatusCode), ("byReason", byReason),
            ("byAgeBand", byAgeBand), ("byGender", byGender),
        ]
    }

    /// The school year's flow, by the names in a cell's path.
    private var flowCells: [(name: String, value: Int?)] {
        [
            ("registered", schoolYearFlow.registered), ("reachedActivity", schoolYearFlow.reachedActivity),
            ("registeredPreviousYear", schoolYearFlow.registeredPreviousYear),
        ]
    }

    /// Every count by its path (`openRegistrations`, `byStatusGroup.1`, `schoolYearFlow.registered`, …).
    public var cells: [(path: String, value: Int?)] {
        var cells: [(String, Int?)] = [("openRegistrations", openRegistrations)]
        for (name, table) in tables {
            for (cell, value) in table.sorted(by: { $0.key < $1.key }) { cells.append(("\(name).\(cell)", value)) }
        }
        for (name, value) in flowCells { cells.append(("schoolYearFlow.\(name)", value)) }
        return cells
    }
}
