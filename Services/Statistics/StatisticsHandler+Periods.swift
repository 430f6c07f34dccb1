import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// Stage 3: every key of a period in one place; suppression over the whole table; publishing what changed.
extension StatisticsHandler {
    /// The periods whose sums changed in the batch.
    final class ChangedPeriods {
        var periods: Set<StatisticsPeriod> = []
    }

    func receive(_ aggregate: StatisticsAggregate, context: HandlerContext) throws {
        let db = context.database
        let period = aggregate.key.period.description
        let key = aggregate.key.description
        let select = try DirectStatement(
            db, sql: "SELECT version FROM stat_period_figures WHERE period = ? AND stat_key = ?")
        try select.bind(period, at: 1)
        try select.bind(key, at: 2)
        guard try select.fetchInt64() ?? 0 < aggregate.version else { return }  // an older sum, overtaken
        let upsert = try DirectStatement(
            db,
            sql: """
                INSERT INTO stat_period_figures (period, stat_key, county, version, cells) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (period, stat_key) DO UPDATE SET
                    county = excluded.county, version = excluded.version, cells = excluded.cells
                """)
        try upsert.bind(period, at: 1)
        try upsert.bind(key, at: 2)
        try upsert.bind(aggregate.countyNumber?.rawValue, at: 3)
        try upsert.bind(aggregate.version, at: 4)
        try upsert.bind(try Self.json(aggregate.cells), at: 5)
        try upsert.execute()
        context.batch.value(ChangedPeriods.init).periods.insert(aggregate.key.period)
    }

    /// Publishes, for each period that changed, every record of the period whose published form changed.
    func publishPeriods(context: HandlerContext) throws {
        guard let changed = context.batch.existing(ChangedPeriods.self) else { return }
        let db = context.database
        for period in changed.periods.sorted() {
            var entries: [Suppression.Entry] = []
            let select = try DirectStatement(
                db, sql: "SELECT stat_key, county, cells FROM stat_period_figures WHERE period = ?")
            try select.bind(period.description, at: 1)
            try select.forEachRow { row in
                entries.append(
                    Suppression.Entry(
                        key: try StatisticsKey(row.text(0) ?? ""),
                        county: try row.text(1).map { try County(code: $0) },
                        cells: try ContractJSON.decode([String: Int].self, from: Array((row.text(2) ?? "").utf8))))
            }
            let suppressed = Suppression(entries).run()
            let asOf: LocalDate
            switch period {
            case .current: asOf = LocalDate(context.now)
            case .reportingDate(let date): asOf = date
            }
            // Published only when changed: the stored record is compared in SQLite (`IS`, also against no row).
            let unchanged = try DirectStatement(
                db, sql: "SELECT (SELECT record FROM stat_published WHERE stat_key = ?1) IS ?2")
            let upsert = try DirectStatement(
                db,
                sql: """
                    INSERT INTO stat_published (stat_key, record) VALUES (?, ?)
                    ON CONFLICT (stat_key) DO UPDATE SET record = excluded.record
                    """)
            for entry in entries.sorted(by: { $0.key < $1.key }) {
                let (record, text) = try records.record(entry, suppressed: suppressed[entry.key] ?? [], asOf: asOf)
                let key = entry.key.description
                try unchanged.bind(key, at: 1)
                try unchanged.bind(text, at: 2)
                guard try unchanged.fetchInt64() != 1 else { continue }
                try upsert.bind(key, at: 1)
                try upsert.bind(text, at: 2)
                try upsert.execute()
                try context.emit(record, key: key)
            }
        }
    }

    /// The stored form of a value: ``ContractJSON``, keys sorted, the same text for the same value.
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try ContractJSON.encode(value), as: UTF8.self)
    }
}

/// Builds the published record from a key's counts and its suppressed cells.
enum StatisticsRecord {
    /// Each table's cells and the names they are published under (the cell's name after its table's), worked out
    /// once rather than for every record.
    private static let statusGroups = published(OTStatusGroup.allCases.map(Cell.group), table: "byStatusGroup")
    private static let statusCodes = published(OTStatusCode.allCases.map(Cell.code), table: "byStatusCode")
    private static let reasons = published(RegistrationReason.allCases.map(Cell.reason), table: "byReason")
    private static let ageBands = published(AgeBand.allCases.map(Cell.ageBand), table: "byAgeBand")
    private static let genders = published(Cell.genders.map(Cell.gender(code:)), table: "byGender")

    private static func published(_ cells: [String], table: String) -> [(cell: String, name: String)] {
        cells.map { ($0, String($0.dropFirst(table.count + 1))) }
    }

    static func make(_ entry: Suppression.Entry, suppressed: Set<String>, asOf: LocalDate) -> StatisticsUpdated {
        func value(_ cell: String) -> Int? { suppressed.contains(cell) ? nil : entry.cells[cell] ?? 0 }
        func table(_ cells: [(cell: String, name: String)]) -> [String: Int?] {
            Dictionary(uniqueKeysWithValues: cells.lazy.map { ($0.name, value($0.cell)) })
        }
        let open = value(Cell.open)
        let unknown = value(Cell.code(.otuk))
        var share: Double?
        if let open, let unknown, open > 0 { share = Double(unknown) / Double(open) }
        return StatisticsUpdated(
            key: entry.key, countyNumber: entry.county, asOf: asOf, openRegistrations: open,
            byStatusGroup: table(statusGroups), byStatusCode: table(statusCodes), byReason: table(reasons),
            byAgeBand: table(ageBands), byGender: table(genders),
            unknownShare: share,
            schoolYearFlow: .init(
                registered: value(Cell.registered), reachedActivity: value(Cell.reachedActivity),
                registeredPreviousYear: value(Cell.registeredPreviousYear)),
            suppressed: suppressed.subtracting(Cell.hidden).sorted())
    }
}
