import Foundation
import GRDB
import Logging
import OTContract
import OTStore
import Testing

@testable import OTRuntime
@testable import Statistics

/// The statistics store's migrations on a store that holds data: what a running service's partition stores hold
/// when a release with a new migration starts.
@Suite("Statistics store migrations", .timeLimit(.minutes(2)))
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

        // Through migration 4: migration 5 needs the runtime's tables (its own test, below).
        let through4 = StatisticsSchema.migrations.identifiers.firstIndex(of: "statistics-5-one-row-per-person")!
        let store = try SQLiteStore(
            path: path, migrations: StatisticsSchema.migrations.prefix(through4), logger: logger)
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

    @Test("versions keep their seq and values without AUTOINCREMENT; a new version comes after every row there is")
    func versionsWithoutAutoincrement() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stat-schema-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let before = StatisticsSchema.migrations.identifiers.firstIndex(
            of: "statistics-4-versions-without-autoincrement")!
        let columns = """
            person_id, registration_id, school_year, effective_date, unit_id, county, status_code, status_group,
            reason, birth_date, gender, is_open, aspects
            """
        let old = try SQLiteStore(path: path, migrations: StatisticsSchema.migrations.prefix(before), logger: logger)
        try old.write { db in
            for (person, registration, status, aspects) in [
                ("p1", "r1", "OTUK", 7), ("p2", "r2", "OTUK", 7), ("p1", "r1", "OTLL_IM", 1), ("p3", "r3", nil, 4),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO stat_versions (\(columns))
                        VALUES (?, ?, '2026-2027', '2026-09-01', 'u1', '50', ?, 1, 'SLUTTET', '2008-01-01', NULL, 1, ?)
                        """,
                    arguments: [person, registration, status, aspects])
            }
            try db.execute(sql: "DELETE FROM stat_versions WHERE person_id = 'p3'")  // the highest seq, 4, is gone
        }
        let rows = "SELECT seq, \(columns) FROM stat_versions ORDER BY seq"
        let stored = try old.read { db in try Row.fetchAll(db, sql: rows) }
        try old.close()

        // Migration 5 moves the versions on into one row per person (its own test, below).
        let store = try SQLiteStore(
            path: path, migrations: StatisticsSchema.migrations.prefix(before + 1), logger: logger)
        defer { try? store.close() }
        #expect(try store.read { db in try Row.fetchAll(db, sql: rows) } == stored)
        #expect(stored.map { $0["seq"] as Int } == [1, 2, 3])
        let schema = try store.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'stat_versions'")
        }
        #expect(schema?.uppercased().contains("AUTOINCREMENT") == false)
        let indexes = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('stat_versions')")
        }
        #expect(indexes == ["stat_versions_person"])
        // A new version's seq is past every row there is (what ordering a person's versions by seq needs).
        let next = try store.write { db -> Int in
            try db.execute(
                sql: """
                    INSERT INTO stat_versions (\(columns))
                    VALUES ('p1', 'r1', '2026-2027', '2026-10-01', 'u1', '50', 'OTUK', 1, 'SLUTTET', '2008-01-01',
                        NULL, 1, 1)
                    """)
            return Int(db.lastInsertedRowID)
        }
        #expect(next == 4)
    }

    @Test(
        "a store from before one row per person keeps every version in its order and every contribution, per person; the changelog gets the new rows and a tombstone for each old one"
    )
    func versionsMoveToOneRowPerPerson() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stat-schema-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let before = StatisticsSchema.migrations.identifiers.firstIndex(of: "statistics-5-one-row-per-person")!
        let old = try PartitionStore(
            partition: 0, directory: directory, serviceMigrations: StatisticsSchema.migrations.prefix(before),
            logger: logger)
        try await old.write { db in
            // p1: registered in unit 5001 on 1 September, then in activity on 1 October, then (arriving last, dated
            // before the second) a transfer to unit 5002; p2: registered, then closed as moved. A registration id
            // with a comma, which the row's text must keep apart from its fields.
            for (person, registration, date, unit, status, group, open, aspects) in [
                ("p1", "r-1", "2026-09-01", "5001", "OTUK", 1, 1, 7),
                ("p2", "r,2", "2026-09-02", "4601", "OTUK", 1, 1, 7),
                ("p1", "r-1", "2026-10-01", "5001", "OTOA", 3, 1, 1),
                ("p2", "r,2", "2026-11-01", "4601", "OTFA_IM", 5, 0, 5),
                ("p1", "r-1", "2026-09-15", "5002", "OTUK", 1, 1, 2),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO stat_versions (person_id, registration_id, school_year, effective_date, unit_id,
                            county, status_code, status_group, reason, birth_date, gender, is_open, aspects)
                        VALUES (?, ?, '2026-2027', ?, ?, ?, ?, ?, 'SLUTTET', '2008-01-01', 'K', ?, ?)
                        """,
                    arguments: [
                        person, registration, date, unit, unit.prefix(2).description, status, group, open, aspects,
                    ])
            }
            try db.execute(
                sql: """
                    INSERT INTO stat_contributions (person_id, period, contribution) VALUES
                        ('p1', 'current', 'O,5001,50,OTOA,SLUTTET,18,K;F,5001,50,1,0'),
                        ('p1', '2027-02-01', 'O,5001,50,OTOA,SLUTTET,19,K;F,5001,50,1,0'),
                        ('p2', 'current', 'F,4601,46,0,0')
                    """)
        }
        try old.close()

        let store = try PartitionStore(
            partition: 0, directory: directory, serviceMigrations: StatisticsSchema.migrations, logger: logger)
        defer { try? store.close() }
        let rows = try store.store.read { db -> [Row] in
            try Row.fetchAll(db, sql: "SELECT person_id, versions, contributions FROM stat_persons ORDER BY person_id")
        }
        #expect(rows.map { $0[0] as String } == ["p1", "p2"])
        let p1 = PersonState(versions: rows[0][1], contributions: rows[0][2])
        let p2 = PersonState(versions: rows[1][1], contributions: rows[1][2])
        // In the order they arrived, each numbered by its place.
        let first = try p1.versions()
        #expect(first.map(\.sequence) == [0, 1, 2])
        #expect(first.map(\.effectiveDate) == [date("2026-09-01"), date("2026-10-01"), date("2026-09-15")])
        #expect(first.map(\.unitId) == ["5001", "5001", "5002"])
        #expect(first.map(\.statusCode) == [.otuk, .otoa, .otuk])
        #expect(first.map(\.aspects.rawValue) == [7, 1, 2])
        #expect(first.allSatisfy { $0.gender == .kvinne && $0.reason == .sluttet && $0.isOpen })
        let second = try p2.versions()
        #expect(second.map(\.registrationId) == ["r,2", "r,2"])
        #expect(second.map(\.county) == [.vestland, .vestland])
        #expect(second.map(\.isOpen) == [true, false])
        #expect(second.last?.statusGroup == .ikkeIMalgruppen)
        #expect(p1.contribution(in: .current) == "O,5001,50,OTOA,SLUTTET,18,K;F,5001,50,1,0")
        #expect(
            p1.contribution(in: .reportingDate(date("2027-02-01"))) == "O,5001,50,OTOA,SLUTTET,19,K;F,5001,50,1,0")
        #expect(p1.contribution(in: .reportingDate(date("2027-06-15"))) == "")
        #expect(p2.contribution(in: .current) == "F,4601,46,0,0")
        let tables = try await store.store.read { db -> [String] in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE name IN ('stat_versions', 'stat_contributions')")
        }
        #expect(tables.isEmpty)

        // Taken into use, the store publishes both new rows, and a tombstone for each of the five versions (by
        // rowid) and three contributions (by person and period) the changelog held.
        let count = store.unpublished.withLock { $0.records.count }
        try await store.beginUse()
        var records: [String: Bool] = [:]
        for record in store.unpublished.withLock({ $0.records })[count...] {
            let key = String(decoding: record.key, as: UTF8.self).replacingOccurrences(of: "\u{1F}", with: " ")
            if key.hasPrefix("stat_") { records[key] = record.value != nil }
        }
        let expected: [String: Bool] = [
            "stat_persons [\"p1\"]": true, "stat_persons [\"p2\"]": true,
            "stat_versions 1": false, "stat_versions 2": false, "stat_versions 3": false, "stat_versions 4": false,
            "stat_versions 5": false, "stat_contributions [\"p1\",\"current\"]": false,
            "stat_contributions [\"p1\",\"2027-02-01\"]": false, "stat_contributions [\"p2\",\"current\"]": false,
        ]
        #expect(records == expected)
    }
}
