import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// Stage 2: the sums per statistics key.
extension StatisticsHandler {
    /// The batch's deltas, summed per key, with the key's county.
    final class ChangedKeys {
        var changes: [StatisticsKey: [String: Int]] = [:]
        var counties: [StatisticsKey: County?] = [:]
    }

    /// Adds a delta to the batch's changes; ``sendAggregates(context:)`` adds them to the stored sums once per key.
    func add(_ delta: StatisticsDelta, context: HandlerContext) throws {
        let changed = context.batch.value(ChangedKeys.init)
        changed.changes[delta.key, default: [:]].merge(delta.cells, uniquingKeysWith: +)
        changed.counties[delta.key] = delta.countyNumber
    }

    /// Adds the batch's changes to each changed key's sums (`stat_sums`, one row per key) and sends the sums on to
    /// stage 3, keyed by period.
    func sendAggregates(context: HandlerContext) throws {
        guard let changed = context.batch.existing(ChangedKeys.self) else { return }
        let db = context.database
        let read = try DirectStatement(db, sql: "SELECT version, cells FROM stat_sums WHERE stat_key = ?")
        let write = try DirectStatement(
            db,
            sql: """
                INSERT INTO stat_sums (stat_key, county, version, cells) VALUES (?, ?, ?, ?)
                ON CONFLICT (stat_key) DO UPDATE SET
                    county = excluded.county, version = excluded.version, cells = excluded.cells
                """)
        for (key, change) in changed.changes.sorted(by: { $0.key < $1.key }) {
            let text = key.description
            let county = changed.counties[key] ?? nil
            var version = 1
            var cells: [String: Int] = [:]
            try read.bind(text, at: 1)
            try read.forEachRow { row in
                version = Int(row.int64(0) ?? 0) + 1
                cells = try ContractJSON.decode([String: Int].self, from: Array((row.text(1) ?? "").utf8))
            }
            cells.merge(change, uniquingKeysWith: +)
            cells = cells.filter { $0.value != 0 }
            try write.bind(text, at: 1)
            try write.bind(county?.rawValue, at: 2)
            try write.bind(version, at: 3)
            try write.bind(try Self.json(cells), at: 4)
            try write.execute()
            let aggregate = StatisticsAggregate(key: key, countyNumber: county, version: version, cells: cells)
            try context.emit(aggregate, key: aggregate.partitionKey)
        }
    }
}
