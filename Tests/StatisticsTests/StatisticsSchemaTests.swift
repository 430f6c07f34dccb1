import Foundation
import GRDB
import Logging
import OTStore
import Testing

@testable import Statistics

/// The statistics store's migrations on a store that holds data: what a running service's partition stores hold
/// when a release with a new migration starts.
@Suite("Statistics store migrations")
struct StatisticsSchemaTests {
    @Test("a store from before one row per key keeps its sums: each key's cells, county and version in stat_sums")
    func sumsMoveToOneRowPerKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stat-schema-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let before = StatisticsSchema.migrations.identifiers.firstIndex(of: "statistics-3-sums")!
        let old = try SQLiteStore(path: path, migrations: StatisticsSchema.migrations.prefix(before), logger: logger)
        try old.write { db in
            for (key, cell, value) in [
                ("county:50:current", "openRegistrations", 3), ("county:50:current", "byStatusGroup.1", 0),
                ("county:50:current", "byStatusGroup.2", 3), ("national:all:current", "openRegistrations", 7),
            ] {
                try db.execute(
                    sql: "INSERT INTO stat_cells (stat_key, cell, value) VALUES (?, ?, ?)",
                    arguments: [key, cell, value])
            }
            try db.execute(
                sql: "INSERT INTO stat_aggregates (stat_key, county, version) VALUES (?, ?, ?), (?, ?, ?)",
                arguments: ["county:50:current", "50", 4, "national:all:current", nil, 9])
        }
        try old.close()

        let store = try SQLiteStore(path: path, migrations: StatisticsSchema.migrations, logger: logger)
        defer { try? store.close() }
        struct Sum: Equatable {
            var key: String
            var county: String?
            var version: Int
            var cells: String
        }
        let sums = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT stat_key, county, version, cells FROM stat_sums ORDER BY stat_key").map {
                Sum(key: $0[0], county: $0[1], version: $0[2], cells: $0[3])
            }
        }
        // The zero is gone; the text is the contract's JSON, keys in byte order.
        let expected = [
            Sum(
                key: "county:50:current", county: "50", version: 4,
                cells: #"{"byStatusGroup.2":3,"openRegistrations":3}"#),
            Sum(key: "national:all:current", county: nil, version: 9, cells: #"{"openRegistrations":7}"#),
        ]
        #expect(sums == expected)
        let tables = try store.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE name IN ('stat_cells', 'stat_aggregates')")
        }
        #expect(tables.isEmpty)
    }
}
