import Foundation
import GRDB
import Logging
import OTContract
import OTStore
import Testing

@testable import OTRuntime
@testable import Registrations

/// The registrations store's migrations on a store that holds data, as a running service's partition stores do when
/// a release with a new migration starts.
@Suite("Registrations store migrations", .timeLimit(.minutes(2)))
struct RegistrationsSchemaTests {
    private static let columns = """
        registration_id, person_id, unit_id, county, school_year, reason, registered_at, status_code, status_date,
        ages_out_on, closed_at, close_cause, close_status, origin, superseded
        """

    @Test(
        "registrations become a rowid table with the id as its primary key: the same rows, the same changelog keys and values, the indexes again"
    )
    func registrationsByRowid() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        // The release before it writes three registrations (one closed) and records them.
        let old = try Self.store(in: directory, before: "registrations-4-rowid-table")
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

        // The release of migration 4 migrates it: the same rows in a rowid table, every index there again.
        let store = try Self.store(in: directory, before: "registrations-5-residence")
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

    @Test(
        "persons known before residences were kept get the history their registrations tell, then their stored county"
    )
    func residenceOfKnownPersons() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = try Self.store(in: directory, before: "registrations-5-residence")
        // Known without registrations; made by a case worker's command alone; registered in Trøndelag for 2024-2025
        // (closed when it ended) and living in Nordland now; registered in Trøndelag, then moved to Nordland with
        // an open registration there.
        let plain = try NationalID.synthetic(birthDate: day("2009-01-01"), index: 1)
        let commanded = try NationalID.synthetic(birthDate: day("2009-02-02"), index: 2)
        let movedLater = try NationalID.synthetic(birthDate: day("2008-03-03"), index: 3)
        let moved = try NationalID.synthetic(birthDate: day("2008-04-04"), index: 4)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO persons (person_id, birth_date, gender, county, municipality, known) VALUES
                        (?, '2009-01-01', 'K', '50', '5001', 1),
                        (?, '2009-02-02', NULL, '18', NULL, 0),
                        (?, '2008-03-03', 'M', '18', '1804', 1),
                        (?, '2008-04-04', 'M', '18', '1804', 1);
                    INSERT INTO registrations (\(Self.columns)) VALUES
                        ('r1', ?, '5001', '50', '2024-2025', 'SLUTTET', '2024-10-01', 'OTUK', '2024-10-01',
                            '2032-12-31', '2025-07-31', 'SCHOOL_YEAR_ENDED', NULL, 'TRIGGER', 0),
                        ('r2', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-09-01', 'OTFA_IM', '2025-11-01',
                            '2032-12-31', '2025-11-01', 'STATUS', 'OTFA_IM', 'TRIGGER', 0),
                        ('r3', ?, '1801', '18', '2025-2026', 'SLUTTET', '2025-11-01', 'OTUK', '2025-11-01',
                            '2032-12-31', NULL, NULL, NULL, 'MOVED', 0)
                    """,
                arguments: [plain.digits, commanded.digits, movedLater.digits, moved.digits]
                    + [movedLater.digits, moved.digits, moved.digits])
        }
        try old.close()

        let store = try Self.store(in: directory)
        defer { try? store.close() }
        let persons = try await store.store.read { db in
            try [plain, commanded, movedLater, moved].map { try PersonRecord.fetch(db, $0) }
        }
        func entries(_ index: Int) -> [String] {
            (persons[index]?.residences.entries ?? []).map { "\($0.date) \($0.county.rawValue)" }
        }
        #expect(entries(0) == ["1900-01-01 50"])
        #expect(entries(1).isEmpty && persons[1]?.county == .nordland)
        // The day after the registration closed: the day of the move is not known.
        #expect(entries(2) == ["2024-10-01 50", "2025-08-01 18"])
        #expect(entries(3) == ["2025-09-01 50", "2025-11-01 18"])
        // So each registration was made where the youth lived then, and the open one has no move ahead of it.
        #expect(persons[2]?.residences.county(on: day("2024-10-01")) == .trondelag)
        #expect(persons[3]?.residences.county(on: day("2025-09-01")) == .trondelag)
        #expect(persons[3]?.residences.firstMove(after: day("2025-11-01"), from: .nordland) == nil)
        #expect(persons.allSatisfy { $0?.updatedAt == nil })
    }

    @Test(
        "persons with registrations before the release count as acted on by a case worker; persons without do not"
    )
    func actedOnBefore() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = try Self.store(in: directory, before: "registrations-7-acted-on")
        let waiting = try NationalID.synthetic(birthDate: day("2009-01-01"), index: 1)
        let registered = try NationalID.synthetic(birthDate: day("2008-03-03"), index: 3)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO persons (person_id, birth_date, gender, county, municipality, known) VALUES
                        (?, '2009-01-01', 'K', '50', '5001', 1),
                        (?, '2008-03-03', 'M', '50', '5001', 1);
                    INSERT INTO registrations (\(Self.columns)) VALUES
                        ('r1', ?, '5001', '50', '2024-2025', 'SLUTTET', '2024-10-01', 'OTUK', '2024-10-01',
                            '2032-12-31', NULL, NULL, NULL, 'TRIGGER', 0)
                    """,
                arguments: [waiting.digits, registered.digits, registered.digits])
        }
        try old.close()

        let store = try Self.store(in: directory)
        defer { try? store.close() }
        let actedOn = try await store.store.read { db in
            try [waiting, registered].map {
                try Bool.fetchOne(db, sql: "SELECT acted_on FROM persons WHERE person_id = ?", arguments: [$0.digits])
            }
        }
        // Whether a case worker acted on the registered one was not kept: its registration keeps the rules it was
        // made under. The other's registrations will be derived from the facts.
        #expect(actedOn == [false, true])
    }

    @Test(
        "the registrations of persons acted on before the release count as decided by a case worker; the others do not"
    )
    func decidedBefore() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = try Self.store(in: directory, before: "registrations-8-decided")
        let derived = try NationalID.synthetic(birthDate: day("2009-01-01"), index: 1)
        let actedOn = try NationalID.synthetic(birthDate: day("2008-03-03"), index: 3)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO persons (person_id, birth_date, gender, county, municipality, known, acted_on) VALUES
                        (?, '2009-01-01', 'K', '50', '5001', 1, 0),
                        (?, '2008-03-03', 'M', '50', '5001', 1, 1);
                    INSERT INTO registrations (\(Self.columns)) VALUES
                        ('r1', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-10-01', 'OTUK', '2025-10-01',
                            '2033-12-31', NULL, NULL, NULL, 'TRIGGER', 0),
                        ('r2', ?, '5001', '50', '2024-2025', 'SLUTTET', '2024-10-01', 'OTOV', '2024-11-01',
                            '2032-12-31', '2025-07-31', 'SCHOOL_YEAR_ENDED', NULL, 'TRIGGER', 0),
                        ('r3', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-08-01', 'OTOV', '2024-11-01',
                            '2032-12-31', NULL, NULL, NULL, 'CONTINUED', 0)
                    """,
                arguments: [derived.digits, actedOn.digits, derived.digits, actedOn.digits, actedOn.digits])
        }
        try old.close()

        let store = try Self.store(in: directory)
        defer { try? store.close() }
        let registrations = try await store.store.read { db in
            try [derived, actedOn].map { try RegistrationRecord.all(db, $0).map { "\($0.id) \($0.decided)" } }
        }
        // Which of the acted-on person's registrations a case worker acted on was not kept: all keep the rules they
        // were made under. The other's stay derived from the facts.
        #expect(registrations == [["r1 false"], ["r2 true", "r3 true"]])
    }

    @Test(
        "the open registrations' two indexes become one on the day each is due, and the tick finds the same registrations by it"
    )
    func openDueIndex() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = try Self.store(in: directory, before: "registrations-9-open-due")
        // Open and of the school year before 2025-2026; open and of 2025-2026; open, aged out at the end of 2025;
        // closed, of the year before; open, aging out on 5 January 2026; open, aging out on 4 January 2026.
        let persons = try (1...6).map { try NationalID.synthetic(birthDate: day("2002-06-0\($0)"), index: $0) }
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO registrations (\(Self.columns)) VALUES
                        ('a', ?, '5001', '50', '2024-2025', 'SLUTTET', '2024-10-01', 'OTUK', '2024-10-01',
                            '2032-12-31', NULL, NULL, NULL, 'TRIGGER', 0),
                        ('b', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-10-01', 'OTUK', '2025-10-01',
                            '2032-12-31', NULL, NULL, NULL, 'TRIGGER', 0),
                        ('c', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-10-01', 'OTUK', '2025-10-01',
                            '2025-12-31', NULL, NULL, NULL, 'TRIGGER', 0),
                        ('d', ?, '5001', '50', '2024-2025', 'SLUTTET', '2024-10-01', 'OTUK', '2024-10-01',
                            '2032-12-31', '2025-07-31', 'SCHOOL_YEAR_ENDED', NULL, 'TRIGGER', 0),
                        ('e', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-10-01', 'OTUK', '2025-10-01',
                            '2026-01-05', NULL, NULL, NULL, 'TRIGGER', 0),
                        ('f', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-10-01', 'OTUK', '2025-10-01',
                            '2026-01-04', NULL, NULL, NULL, 'TRIGGER', 0)
                    """,
                arguments: StatementArguments(persons.map(\.digits)))
        }
        try old.close()

        let store = try Self.store(in: directory)
        defer { try? store.close() }
        let (indexes, plan) = try await store.store.read { db in
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM pragma_index_list('registrations') WHERE origin = 'c' ORDER BY name")
            let plan = try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + RegistrationRecord.selectDue, arguments: ["2026-01-05"]
            ).map { $0["detail"] as String }
            return (indexes, plan)
        }
        #expect(indexes == ["registrations_open_due", "registrations_person"])
        // A search of the index by the expression, not a scan of it (a scan would come from another expression).
        #expect(plan == ["SEARCH registrations USING INDEX registrations_open_due (<expr><?)"], "\(plan)")
        /// The registrations due on `today`, by their index in `persons`, each as often as the search gave it.
        func due(_ today: String) async throws -> [Int] {
            let digits = try await store.write { db in try RegistrationRecord.duePersons(db, today: day(today)) }
            return digits.compactMap { found in persons.firstIndex { $0.digits == found } }.sorted()
        }
        // Before the end of the school year: the year before's, and those aged out before today.
        #expect(try await due("2026-01-05") == [0, 2, 5])
        // On its last day the school year has not ended; from 1 August every open registration of it is due.
        #expect(try await due("2026-07-31") == [0, 2, 4, 5])
        #expect(try await due("2026-08-01") == [0, 1, 2, 4, 5])
    }

    private static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test(
        "a store migrated by migration 5's first form gets the history its registrations tell, where they tell another county"
    )
    func residenceAfterTheFirstForm() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The release of 8341c80: migration 5 gave every known person their stored county since 1900.
        var firstForm = RegistrationsSchema.migrations
        firstForm = firstForm.prefix(try #require(firstForm.identifiers.firstIndex(of: "registrations-5-residence")))
        firstForm.register("registrations-5-residence") { db in
            try db.execute(
                sql: """
                    ALTER TABLE persons ADD COLUMN updated_at INTEGER;
                    ALTER TABLE persons ADD COLUMN residences TEXT;
                    UPDATE persons SET residences = '1900-01-01,0,' || county WHERE known = 1;
                    """)
        }
        // Registered in Trøndelag for 2024-2025 and living in Nordland now; registered in Nordland, where they
        // live; moved since the upgrade (a person.updated recorded it).
        let movedBefore = try NationalID.synthetic(birthDate: day("2008-03-03"), index: 1)
        let stayed = try NationalID.synthetic(birthDate: day("2008-04-04"), index: 2)
        let updated = try NationalID.synthetic(birthDate: day("2008-05-05"), index: 3)
        let old = try Self.store(in: directory, migrations: firstForm)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO persons (person_id, birth_date, gender, county, municipality, known, residences) VALUES
                        (?, '2008-03-03', 'M', '18', '1804', 1, '1900-01-01,0,18'),
                        (?, '2008-04-04', 'K', '18', '1804', 1, '1900-01-01,0,18'),
                        (?, '2008-05-05', 'K', '18', '1804', 1, '1900-01-01,0,50;2026-02-01,1769904000000,18');
                    INSERT INTO registrations (\(Self.columns)) VALUES
                        ('r1', ?, '5001', '50', '2024-2025', 'SLUTTET', '2024-10-01', 'OTUK', '2024-10-01',
                            '2032-12-31', '2025-07-31', 'SCHOOL_YEAR_ENDED', NULL, 'TRIGGER', 0),
                        ('r2', ?, '1801', '18', '2025-2026', 'SLUTTET', '2025-09-01', 'OTUK', '2025-09-01',
                            '2032-12-31', NULL, NULL, NULL, 'TRIGGER', 0),
                        ('r3', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-09-01', 'OTUK', '2025-09-01',
                            '2032-12-31', NULL, NULL, NULL, 'TRIGGER', 0)
                    """,
                arguments: [movedBefore.digits, stayed.digits, updated.digits]
                    + [movedBefore.digits, stayed.digits, updated.digits])
        }
        try old.close()

        let store = try Self.store(in: directory)
        defer { try? store.close() }
        let persons = try await store.store.read { db in
            try [movedBefore, stayed, updated].map { try PersonRecord.fetch(db, $0) }
        }
        func entries(_ index: Int) -> [String] {
            (persons[index]?.residences.entries ?? []).map { "\($0.date) \($0.county.rawValue)" }
        }
        // The day after the registration closed: the day of the move is not known.
        #expect(entries(0) == ["2024-10-01 50", "2025-08-01 18"])
        #expect(persons[0]?.residences.county(on: day("2024-10-01")) == .trondelag)
        // Nothing tells another county: the first form's history stands.
        #expect(entries(1) == ["1900-01-01 18"])
        // A history a person.updated has written since is the service's own: it stays.
        #expect(entries(2) == ["1900-01-01 50", "2026-02-01 18"])
    }

    private static func newDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("reg-schema-\(UUID())")
    }

    /// The partition store in `directory` with every migration, or with those before `migration` (a release before
    /// it).
    private static func store(in directory: URL, before migration: String? = nil) throws -> PartitionStore {
        var migrations = RegistrationsSchema.migrations
        if let migration {
            migrations = migrations.prefix(try #require(migrations.identifiers.firstIndex(of: migration)))
        }
        return try store(in: directory, migrations: migrations)
    }

    /// The partition store in `directory` with the service's `migrations`.
    private static func store(in directory: URL, migrations: StoreMigrations) throws -> PartitionStore {
        try PartitionStore(partition: 0, directory: directory, serviceMigrations: migrations, logger: logger)
    }

    /// The registrations' records since `count`, by key.
    /// The registrations' records since the `count`th, by key: each value after the schema it begins with (which
    /// names the store's migrations, so a store of another release writes another).
    private static func registrationRecords(_ store: PartitionStore, since count: Int) -> [String: [UInt8]?] {
        var records: [String: [UInt8]?] = [:]
        for record in store.unpublished.withLock({ $0.records })[count...] {
            let key = String(decoding: record.key, as: UTF8.self)
            guard key.hasPrefix("registrations\u{1F}") else { continue }
            let row = record.value.map { value in
                let split = StoreSchema.split(value: value)
                #expect(split?.schema == store.schema, "\(key)")
                return Array(split?.row ?? value)
            }
            records.updateValue(row, forKey: key)
        }
        return records
    }
}
