import Foundation
import GRDB
import Logging
import OTStore
import Testing

@testable import OTRuntime
@testable import Registrations

/// The registrations store's migrations on a store that holds data, as a running service's partition stores do when
/// a release with a new migration starts.
@Suite("Registrations store migrations")
struct RegistrationsSchemaTests {
    private static let columns = """
        registration_id, person_id, unit_id, county, school_year, reason, registered_at, status_code, status_date,
        ages_out_on, closed_at, close_cause, close_status, origin, superseded
        """

    @Test(
        "registrations become a rowid table with the id as its primary key: the same rows, the same changelog keys and values, the indexes again"
    )
    func registrationsByRowid() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reg-schema-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let migrations = RegistrationsSchema.migrations
        let before = try #require(migrations.identifiers.firstIndex(of: "registrations-4-rowid-table"))

        // The release before it writes three registrations (one closed) and records them.
        let old = try PartitionStore(
            partition: 0, directory: directory, serviceMigrations: migrations.prefix(before), logger: logger)
        let already = old.unpublished.withLock { $0.records.count }
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO registrations (\(Self.columns)) VALUES
                        ('c-reg', '01010112345', 'u1', '50', '2026-2027', 'SLUTTET', '2026-09-01', 'OTUK', '2026-09-01',
                            '2034-12-31', NULL, NULL, NULL, 'TRIGGER', 0),
                        ('a-reg', '02020212345', 'u2', '50', '2025-2026', 'IKKE_SOKT', '2025-08-15', 'OTAV', '2025-10-01',
                            '2033-12-31', '2026-01-10', 'STATUS', 'OTAV', 'COMMAND', 0),
                        ('b-reg', '02020212345', 'u2', '50', '2026-2027', 'IKKE_SOKT', '2026-08-15', 'Feil', '2026-08-15',
                            '2033-12-31', '2026-08-15', 'SUPERSEDED', 'Feil', 'TRIGGER', 1)
                    """)
        }
        let oldRecords = Self.registrationRecords(old, since: already)
        let rows = "SELECT \(Self.columns) FROM registrations ORDER BY registration_id"
        let stored = try old.store.read { db -> [Row] in try Row.fetchAll(db, sql: rows) }
        try old.close()
        #expect(oldRecords.count == 3)
        #expect(stored.count == 3)

        // This release migrates it: the same rows in a rowid table, every index there again.
        let store = try PartitionStore(
            partition: 0, directory: directory, serviceMigrations: migrations, logger: logger)
        defer { try? store.close() }
        let migrated = try store.store.read { db -> [Row] in try Row.fetchAll(db, sql: rows) }
        #expect(migrated == stored)
        let schema = try await store.store.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'registrations'")
        }
        #expect(schema?.uppercased().contains("WITHOUT ROWID") == false)
        let indexes = try await store.store.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM pragma_index_list('registrations') WHERE origin = 'c' ORDER BY name")
        }
        #expect(indexes == ["registrations_open", "registrations_open_ages_out", "registrations_person"])
        #expect(store.changelogTables["registrations"]?.keyColumns == ["registration_id"])

        // A row written again is recorded under the key and with the value the release before wrote: a compacted
        // changelog keeps one record per registration across the upgrade, and a restore of either is the same.
        let count = store.unpublished.withLock { $0.records.count }
        try await store.write { db in
            try db.execute(sql: "UPDATE registrations SET unit_id = unit_id")
        }
        #expect(Self.registrationRecords(store, since: count) == oldRecords)
    }

    /// The registrations' records since `count`, by key.
    private static func registrationRecords(_ store: PartitionStore, since count: Int) -> [String: [UInt8]?] {
        var records: [String: [UInt8]?] = [:]
        for record in store.unpublished.withLock({ $0.records })[count...] {
            let key = String(decoding: record.key, as: UTF8.self)
            if key.hasPrefix("registrations\u{1F}") { records[key] = record.value }
        }
        return records
    }
}
