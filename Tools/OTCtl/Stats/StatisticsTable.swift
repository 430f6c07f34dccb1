import Foundation
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
        let (rows, total) = try selection(scope: scope, county: county, period: period)
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

    /// The same records as JSON: an array of the `no.ot.statistics.updated` payloads (rows, then the total),
    /// suppressed cells `null` and listed, as the topic has them.
    func json(scope: Scope, county: County? = nil, period: StatisticsPeriod) throws -> String {
        let (rows, total) = try selection(scope: scope, county: county, period: period)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return String(decoding: try encoder.encode(rows + (total.map { [$0] } ?? [])), as: UTF8.self)
    }

    /// The same records as CSV (RFC 4180, a header line): the table's columns with plain numbers, a suppressed or
    /// absent cell empty, and `suppressed` naming the suppressed cells.
    func csv(scope: Scope, county: County? = nil, period: StatisticsPeriod) throws -> String {
        let (rows, total) = try selection(scope: scope, county: county, period: period)
        let header =
            [
                "key", "scope", "id", "asOf", "open", "group1", "group2", "group3", "group4", "unknownShare",
            ] + RegistrationReason.allCases.map(\.rawValue) + [
                "yearRegistered", "reachedActivity", "registeredPreviousYear", "suppressed",
            ]
        var lines = [header.joined(separator: ",")]
        for record in rows + (total.map { [$0] } ?? []) {
            let hidden = Set(record.suppressed)
            func number(_ path: String, _ value: Int?) -> String {
                hidden.contains(path) ? "" : value.map(String.init) ?? ""
            }
            let flow = record.schoolYearFlow
            var fields = [
                record.key.description, record.key.scope.rawValue, record.key.id, record.asOf.description,
                number("openRegistrations", record.openRegistrations),
            ]
            fields += (1...4).map { number("byStatusGroup.\($0)", record.byStatusGroup["\($0)"] ?? nil) }
            fields.append(
                hidden.contains("byStatusCode.OTUK") || hidden.contains("openRegistrations")
                    ? "" : record.unknownShare.map { String(format: "%.4f", $0) } ?? "")
            fields += RegistrationReason.allCases.map {
                number("byReason.\($0.rawValue)", record.byReason[$0.rawValue] ?? nil)
            }
            fields += [
                number("schoolYearFlow.registered", flow.registered),
                number("schoolYearFlow.reachedActivity", flow.reachedActivity),
                number("schoolYearFlow.registeredPreviousYear", flow.registeredPreviousYear),
                record.suppressed.joined(separator: " "),
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The records of a scope and period: the rows and the total row.
    /// - Throws: ``OTCtlError`` when there are no records for the period or the scope, listing what there is.
    private func selection(
        scope: Scope, county: County?, period: StatisticsPeriod
    ) throws -> (rows: [StatisticsUpdated], total: StatisticsUpdated?) {
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
        return (rows, total)
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
