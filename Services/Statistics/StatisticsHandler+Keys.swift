import Foundation
import GRDB
import OTContract
import OTRuntime

/// Stage 2: the sums per statistics key.
extension StatisticsHandler {
    /// The keys whose sums changed in the batch, with their county.
    final class ChangedKeys {
        var keys: [StatisticsKey: County?] = [:]
    }

    func add(_ delta: StatisticsDelta, context: HandlerContext) throws {
        let statement = try context.database.cachedStatement(
            sql: """
                INSERT INTO stat_cells (stat_key, cell, value) VALUES (?, ?, ?)
                ON CONFLICT (stat_key, cell) DO UPDATE SET value = value + excluded.value
                """)
        let key = delta.key.description
        for (cell, change) in delta.cells { try statement.execute(arguments: [key, cell, change]) }
        context.batch.value(ChangedKeys.init).keys[delta.key] = delta.countyNumber
    }

    /// Sends the changed keys' sums on to stage 3, keyed by period.
    func sendAggregates(context: HandlerContext) throws {
        guard let changed = context.batch.existing(ChangedKeys.self) else { return }
        let db = context.database
        for (key, county) in changed.keys.sorted(by: { $0.key < $1.key }) {
            let text = key.description
            try db.cachedStatement(sql: "DELETE FROM stat_cells WHERE stat_key = ? AND value = 0")
                .execute(arguments: [text])
            var cells: [String: Int] = [:]
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT cell, value FROM stat_cells WHERE stat_key = ?"), arguments: [text])
            while let row = try rows.next() { cells[row[0]] = row[1] }
            let version =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: """
                            INSERT INTO stat_aggregates (stat_key, county, version) VALUES (?, ?, 1)
                            ON CONFLICT (stat_key) DO UPDATE SET version = version + 1, county = excluded.county
                            RETURNING version
                            """),
                    arguments: [text, county?.rawValue]) ?? 1
            let aggregate = StatisticsAggregate(key: key, countyNumber: county, version: version, cells: cells)
            try context.emit(aggregate, key: aggregate.partitionKey)
        }
    }
}
