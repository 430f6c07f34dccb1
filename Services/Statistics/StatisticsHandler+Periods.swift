import Foundation
import GRDB
import OTContract
import OTRuntime

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
        let stored = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT version FROM stat_period_figures WHERE period = ? AND stat_key = ?"),
            arguments: [period, key])
        guard (stored ?? 0) < aggregate.version else { return }  // an older sum, overtaken
        try db.cachedStatement(
            sql: """
                INSERT INTO stat_period_figures (period, stat_key, county, version, cells) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (period, stat_key) DO UPDATE SET
                    county = excluded.county, version = excluded.version, cells = excluded.cells
                """
        ).execute(arguments: [
            period, key, aggregate.countyNumber?.rawValue, aggregate.version, try Self.json(aggregate.cells),
        ])
        context.batch.value(ChangedPeriods.init).periods.insert(aggregate.key.period)
    }

    /// Publishes, for each period that changed, every record of the period whose published form changed.
    func publishPeriods(context: HandlerContext) throws {
        guard let changed = context.batch.existing(ChangedPeriods.self) else { return }
        let db = context.database
        for period in changed.periods.sorted() {
            var entries: [Suppression.Entry] = []
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT stat_key, county, cells FROM stat_period_figures WHERE period = ?"),
                arguments: [period.description])
            while let row = try rows.next() {
                let county: String? = row["county"]
                entries.append(
                    Suppression.Entry(
                        key: try StatisticsKey(row["stat_key"] as String),
                        county: try county.map { try County(code: $0) },
                        cells: try ContractJSON.decode([String: Int].self, from: Array((row["cells"] as String).utf8))))
            }
            let suppressed = Suppression(entries).run()
            let asOf: LocalDate
            switch period {
            case .current: asOf = LocalDate.day(of: context.now)
            case .reportingDate(let date): asOf = date
            }
            for entry in entries.sorted(by: { $0.key < $1.key }) {
                let (record, text) = try records.record(entry, suppressed: suppressed[entry.key] ?? [], asOf: asOf)
                let key = entry.key.description
                let published = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT record FROM stat_published WHERE stat_key = ?"), arguments: [key])
                guard published != text else { continue }
                try db.cachedStatement(
                    sql: """
                        INSERT INTO stat_published (stat_key, record) VALUES (?, ?)
                        ON CONFLICT (stat_key) DO UPDATE SET record = excluded.record
                        """
                ).execute(arguments: [key, text])
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
    static func make(_ entry: Suppression.Entry, suppressed: Set<String>, asOf: LocalDate) -> StatisticsUpdated {
        func value(_ cell: String) -> Int? { suppressed.contains(cell) ? nil : entry.cells[cell] ?? 0 }
        func table(_ cells: [String], prefix: String) -> [String: Int?] {
            Dictionary(uniqueKeysWithValues: cells.map { (String($0.dropFirst(prefix.count + 1)), value($0)) })
        }
        let open = value(Cell.open)
        let unknown = value(Cell.code(.otuk))
        var share: Double?
        if let open, let unknown, open > 0 { share = Double(unknown) / Double(open) }
        return StatisticsUpdated(
            key: entry.key, countyNumber: entry.county, asOf: asOf, openRegistrations: open,
            byStatusGroup: table(OTStatusGroup.allCases.map(Cell.group), prefix: "byStatusGroup"),
            byStatusCode: table(OTStatusCode.allCases.map(Cell.code), prefix: "byStatusCode"),
            byReason: table(RegistrationReason.allCases.map(Cell.reason), prefix: "byReason"),
            byAgeBand: table(AgeBand.allCases.map(Cell.ageBand), prefix: "byAgeBand"),
            byGender: table(Cell.genders.map(Cell.gender(code:)), prefix: "byGender"),
            unknownShare: share,
            schoolYearFlow: .init(
                registered: value(Cell.registered), reachedActivity: value(Cell.reachedActivity),
                registeredPreviousYear: value(Cell.registeredPreviousYear)),
            suppressed: suppressed.subtracting(Cell.hidden).sorted())
    }
}
