import Kafka
import OTContract

/// The statistics records of `ot.statistics.v1` as a table for a terminal: one row per county (or unit) and a total
/// row, for one period.
///
/// A suppressed cell (a count of 1–4, or one hidden so that such a count cannot be worked out) is shown as `·`,
/// never as a number, even if a record were to carry one.
struct StatisticsTable {
    /// Which records make the rows.
    enum Scope: String, CaseIterable, Sendable {
        /// One row per unit (of one county, with `--county`), then the county or the nation.
        case unit
        /// One row per county, then the nation.
        case county
        /// The nation only.
        case national
    }

    /// The latest record per key.
    var records: [StatisticsKey: StatisticsUpdated]

    /// The latest record per key from the messages of `ot.statistics.v1` in offset order: a later record replaces
    /// an earlier one, a tombstone removes the key; messages that do not decode are counted, not shown.
    static func latest(
        from messages: [(key: String?, value: [UInt8]?, headers: [KafkaHeader])]
    ) -> (table: StatisticsTable, undecodable: Int) {
        var records: [StatisticsKey: StatisticsUpdated] = [:]
        var undecodable = 0
        for message in messages {
            guard let value = message.value else {
                if let text = message.key, let key = try? StatisticsKey(text) { records[key] = nil }
                continue
            }
            do {
                let event = try CloudEvent.decode(value: value, headers: message.headers.map { ($0.name, $0.value) })
                guard case .updated(let record) = try StatisticsEvent(event) else { continue }
                records[record.key] = record
            } catch {
                undecodable += 1
            }
        }
        return (StatisticsTable(records: records), undecodable)
    }

    /// The periods there are records for, in order (reporting dates, then `current`).
    var periods: [StatisticsPeriod] { Set(records.keys.map(\.period)).sorted() }

    /// The table for one period.
    /// - Parameters:
    ///   - scope: Counties (default), units, or the nation.
    ///   - county: Only this county's units (and the county as the total row).
    ///   - period: `current` or a reporting date.
    /// - Throws: ``OTCtlError`` when there are no records for the period or the scope, listing what there is.
    func render(scope: Scope, county: County? = nil, period: StatisticsPeriod) throws -> String {
        guard !records.isEmpty else {
            throw OTCtlError("no statistics on \(Topic.statistics.name) yet: is ot-statistics running?")
        }
        let inPeriod = records.values.filter { $0.key.period == period }
        guard !inPeriod.isEmpty else {
            throw OTCtlError(
                "no statistics for period \(period); the periods on \(Topic.statistics.name) are "
                    + periods.map(\.description).joined(separator: ", "))
        }
        let (rows, total) = selectRows(inPeriod, scope: scope, county: county)
        guard !rows.isEmpty || total != nil else {
            let what =
                county.map { "unit statistics for county \($0.rawValue) \($0.name)" } ?? "\(scope.rawValue) statistics"
            throw OTCtlError("no \(what) for period \(period)")
        }
        var table = TextTable(header: Self.header(scope: scope, county: county))
        for record in rows { table.rows.append(Self.cells(of: record)) }
        if let total {
            if !rows.isEmpty { table.rulesAfter.insert(rows.count - 1) }
            table.rows.append(Self.cells(of: total))
        }
        let reference = total ?? rows[0]
        let title =
            "OT statistics, period \(period): as of \(reference.asOf), school year \(reference.schoolYear)"
            + (period == .current ? "" : " (reporting date)")
        return [title, "", table.render(), ""].joined(separator: "\n") + Self.legend(schoolYear: reference.schoolYear)
    }

    /// The rows and the total row of a scope.
    private func selectRows(
        _ records: [StatisticsUpdated], scope: Scope, county: County?
    ) -> (rows: [StatisticsUpdated], total: StatisticsUpdated?) {
        let national = records.first { $0.key.scope == .national }
        switch (scope, county) {
        case (_, let county?):
            let units = records.filter { $0.key.scope == .unit && $0.countyNumber == county }
            let total = records.first { $0.key.scope == .county && $0.key.id == county.rawValue }
            return (units.sorted { $0.key.id < $1.key.id }, total)
        case (.unit, nil):
            return (records.filter { $0.key.scope == .unit }.sorted { $0.key.id < $1.key.id }, national)
        case (.county, nil):
            return (records.filter { $0.key.scope == .county }.sorted { $0.key.id < $1.key.id }, national)
        case (.national, nil):
            return ([], national)
        }
    }

    private static func header(scope: Scope, county: County?) -> [String] {
        let first = county != nil || scope == .unit ? "unit" : scope == .county ? "county" : ""
        return [
            first, "open", "grp 1", "grp 2", "grp 3", "grp 4", "OTUK %", "IKKE_SOKT", "TAKKET_NEI", "SLUTTET",
            "ANNET", "year reg.", "activity", "prev. year",
        ]
    }

    /// The row label and cells of one record.
    static func cells(of record: StatisticsUpdated) -> [String] {
        let suppressed = Set(record.suppressed)
        func count(_ path: String, _ value: Int??) -> String {
            if suppressed.contains(path) { return "·" }
            switch value {
            case .none: return "–"
            case .some(.none): return "·"
            case .some(.some(let count)): return count.grouped
            }
        }
        func share() -> String {
            if let share = record.unknownShare, !suppressed.contains("openRegistrations"),
                !suppressed.contains("byStatusCode.OTUK")
            {
                let tenths = Int((share * 1000).rounded())
                return "\(tenths / 10).\(tenths % 10) %"
            }
            let hidden =
                suppressed.contains("openRegistrations") || suppressed.contains("byStatusCode.OTUK")
                || record.openRegistrations == nil || record.byStatusCode["OTUK"] == .some(nil)
            return hidden ? "·" : "–"
        }
        let flow = record.schoolYearFlow
        return [
            label(of: record),
            count("openRegistrations", .some(record.openRegistrations)),
        ]
            + (1...4).map { count("byStatusGroup.\($0)", record.byStatusGroup["\($0)"]) }
            + [share()]
            + RegistrationReason.allCases.map { count("byReason.\($0.rawValue)", record.byReason[$0.rawValue]) }
            + [
                count("schoolYearFlow.registered", .some(flow.registered)),
                count("schoolYearFlow.reachedActivity", .some(flow.reachedActivity)),
                count("schoolYearFlow.registeredPreviousYear", .some(flow.registeredPreviousYear)),
            ]
    }

    /// `03 Oslo`, `5001 (Trøndelag)`, `all counties`.
    private static func label(of record: StatisticsUpdated) -> String {
        switch record.key.scope {
        case .national: "all counties"
        case .county: "\(record.key.id) \(County(rawValue: record.key.id)?.name ?? "")"
        case .unit: "\(record.key.id) (\(record.countyNumber?.name ?? "?"))"
        }
    }

    private static func legend(schoolYear: SchoolYear) -> String {
        [
            "open: open registrations; grp 1–4: by status group (1 unknown activity, 2 followed up, 3 in activity,"
                + " 4 clarified); OTUK %: share with unknown activity",
            "IKKE_SOKT, TAKKET_NEI, SLUTTET, ANNET: by registration reason; school year \(schoolYear) from 1 August:"
                + " year reg. registered, activity of them in group 3, prev. year of them registered the year before",
            "· suppressed (a count of 1–4, or hidden so that no suppressed cell can be worked out); – not given",
        ].joined(separator: "\n")
    }
}
