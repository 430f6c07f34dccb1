import CSQLite
import Foundation
import GRDB
import Logging
import OTStore
import Testing

@testable import OTRuntime

/// The change notes take a changed row's values in SQLite's pre-update hook, as the row changes, instead of reading
/// each row back when the transaction ends. What they record must still be the rows as they stand at the end,
/// compared here with the rows read from the tables and encoded by the Swift codec, and whatever SQLite undid (a
/// failed statement, a savepoint rolled back) must be read back, never recorded as the hook saw it.
@Suite("Change notes: the values the hook takes are the rows as they stand", .timeLimit(.minutes(2)))
struct ChangeNotesTests {
    private static var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("notes-1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE facts (seq INTEGER PRIMARY KEY, who TEXT NOT NULL, n INTEGER, v, b BLOB);
                    CREATE TABLE people (id TEXT, year INTEGER, name TEXT, PRIMARY KEY (id, year)) WITHOUT ROWID;
                    CREATE TABLE measures (k TEXT PRIMARY KEY, r REAL) WITHOUT ROWID;
                    CREATE TABLE cases (id TEXT NOT NULL PRIMARY KEY, who TEXT);
                    INSERT INTO people (id, year, name) VALUES ('old', 2020, 'Per');
                    """)
        }
        migrations.register("notes-2-added-column") { db in
            try db.execute(sql: "ALTER TABLE people ADD COLUMN note TEXT DEFAULT 'none'")
        }
        return migrations
    }

    /// The records of the last write: by key, the value or `nil` for a tombstone.
    private static func lastRecords(_ store: PartitionStore, since count: Int) -> [String: [UInt8]?] {
        let records = store.unpublished.withLock { $0.records }
        var latest: [String: [UInt8]?] = [:]
        for record in records[count...] {
            latest.updateValue(record.value.map { Array($0) }, forKey: String(decoding: record.key, as: UTF8.self))
        }
        return latest
    }

    /// Every row of the three tables as the Swift codec encodes it, by record key (from first principles: the rows
    /// read from the tables with SQL).
    /// Every row as it stands, as its record's value: the store's schema (0xFF and its two counts in two bytes
    /// each), then the row in the Swift encoder's form.
    private static func standing(_ store: PartitionStore) async throws -> [String: [UInt8]] {
        let schema = store.schema
        let prefix: [UInt8] = [
            0xFF, UInt8(schema.runtime >> 8), UInt8(schema.runtime & 0xFF), UInt8(schema.service >> 8),
            UInt8(schema.service & 0xFF),
        ]
        return try await store.writeUnnoted { [tables = store.changelogTables] db in
            var rows: [String: [UInt8]] = [:]
            for name in ["facts", "people", "measures", "cases"] {
                let table = try #require(tables[name])
                try table.notePendingAll(in: db)
                for (key, values) in try table.pendingRows(in: db) {
                    rows[String(decoding: ChangelogRecord.key(table: name, rowKey: key), as: UTF8.self)] =
                        values.map { prefix + ChangelogRowCodec.encode($0) }
                }
                try db.execute(sql: "DELETE FROM ot_changelog_pending")
            }
            return rows
        }
    }

    private static func key(_ table: String, _ rowKey: String) -> String { "\(table)\u{1F}\(rowKey)" }

    /// Runs `body` with a new store of these tables and the folder it is in; both are gone afterwards.
    private static func withStore(_ body: (PartitionStore, URL) async throws -> Void) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: migrations, logger: Logger(label: "notes"))
        defer { try? store.close() }
        try await body(store, directory.url)
    }

    /// Checks that the records since `count` are exactly `keys`, each the row as it stands or a tombstone.
    private static func expectStanding(
        _ store: PartitionStore, since count: Int, keys: Set<String>, gone: Set<String>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let records = lastRecords(store, since: count)
        let rows = try await standing(store)
        #expect(Set(records.keys) == keys, sourceLocation: sourceLocation)
        for (key, value) in records {
            if gone.contains(key) {
                #expect(value == nil, "\(key) is a tombstone", sourceLocation: sourceLocation)
            } else {
                #expect(value == rows[key], "\(key) is the row as it stands", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("SQLite's errors are counted in this process (the error log was installed as it loaded)")
    func errorsCounted() async throws {
        #expect(CSQLite_errorsCounted() != 0)
        let before = CSQLite_threadErrorCount()
        let db = try DatabaseQueue()
        try db.inDatabase { db in
            try db.execute(sql: "CREATE TABLE t (x INTEGER PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO t VALUES (1)") }
            #expect(CSQLite_threadErrorCount() > before, "the failed insert counted on this thread")
        }
    }

    @Test(
        "inserts, updates, upserts, key changes and deletes, a row older than a column: each changed row once, as it stands, none read back"
    )
    func taken() async throws {
        try await Self.withStore { store, _ in
            let readBacks = store.notes.readBackCount
            var count = store.unpublished.withLock { $0.records.count }

            try await store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO facts (seq, who, n, v, b) VALUES (1, 'a', 1, 1.5, x'00ff'), (2, 'b', NULL, 'text', NULL),
                            (3, 'c', -7, NULL, x'');
                        INSERT INTO people (id, year, name) VALUES ('01010112345', 2026, 'Kari'), ('p2', 2025, NULL);
                        UPDATE facts SET n = n + 1 WHERE seq = 1;
                        UPDATE facts SET n = n + 1, v = 2 WHERE seq = 1;
                        INSERT INTO facts (who) VALUES ('d');
                        DELETE FROM facts WHERE seq = 4;
                        INSERT INTO facts (seq, who) VALUES (-5, 'negative'), (9223372036854775807, 'largest'),
                            (-9223372036854775808, 'smallest');
                        INSERT INTO people (id, year, name) VALUES ('p3', -2026, NULL);
                        INSERT INTO cases (id, who) VALUES ('c1', 'a'), ('c2', 'b'), ('c3', NULL), ('c9', '');
                        """)
            }
            try await Self.expectStanding(
                store, since: count,
                keys: [
                    Self.key("facts", "1"), Self.key("facts", "2"), Self.key("facts", "3"), Self.key("facts", "4"),
                    Self.key("people", #"["01010112345",2026]"#), Self.key("people", #"["p2",2025]"#),
                    Self.key("facts", "-5"), Self.key("facts", "9223372036854775807"),
                    Self.key("facts", "-9223372036854775808"), Self.key("people", #"["p3",-2026]"#),
                    Self.key("cases", #"["c1"]"#), Self.key("cases", #"["c2"]"#), Self.key("cases", #"["c3"]"#),
                    Self.key("cases", #"["c9"]"#),
                ],
                gone: [Self.key("facts", "4")])
            count = store.unpublished.withLock { $0.records.count }

            try await store.write { db in
                try db.execute(
                    sql: """
                        UPDATE people SET year = 2027, note = 'moved' WHERE id = '01010112345';
                        UPDATE facts SET seq = 10 WHERE seq = 2;
                        DELETE FROM facts WHERE seq = 3;
                        INSERT OR REPLACE INTO people (id, year, name) VALUES ('p2', 2025, 'Ola');
                        INSERT INTO facts (seq, who, n) VALUES (1, 'a', 0) ON CONFLICT (seq) DO UPDATE SET n = n * 10;
                        UPDATE people SET name = 'Pål' WHERE id = 'old';
                        UPDATE cases SET id = 'c4' WHERE id = 'c1';
                        INSERT OR REPLACE INTO cases (id, who) VALUES ('c2', 'replaced');
                        DELETE FROM cases WHERE id = 'c3';
                        """)
            }
            try await Self.expectStanding(
                store, since: count,
                keys: [
                    Self.key("people", #"["01010112345",2026]"#), Self.key("people", #"["01010112345",2027]"#),
                    Self.key("facts", "2"), Self.key("facts", "10"), Self.key("facts", "3"),
                    Self.key("people", #"["p2",2025]"#), Self.key("facts", "1"), Self.key("people", #"["old",2020]"#),
                    Self.key("cases", #"["c1"]"#), Self.key("cases", #"["c4"]"#), Self.key("cases", #"["c2"]"#),
                    Self.key("cases", #"["c3"]"#),
                ],
                gone: [
                    Self.key("people", #"["01010112345",2026]"#), Self.key("facts", "2"), Self.key("facts", "3"),
                    Self.key("cases", #"["c1"]"#), Self.key("cases", #"["c3"]"#),
                ])
            // The runtime's own rows of a write (none here) and these: all taken by the hook.
            #expect(store.notes.readBackCount == readBacks)
        }
    }

    @Test(
        "a transaction of thousands of rows, then small ones: each as it stands (a large transaction's room is given back after it)"
    )
    func largeThenSmall() async throws {
        try await Self.withStore { store, _ in
            let rows = 3_000
            var count = store.unpublished.withLock { $0.records.count }
            try await store.write { db in
                let insert = try db.makeStatement(sql: "INSERT INTO cases (id, who) VALUES (?, ?)")
                for row in 0..<rows { try insert.execute(arguments: ["c\(row)", "w\(row)"]) }
            }
            try await Self.expectStanding(
                store, since: count, keys: Set((0..<rows).map { Self.key("cases", #"["c\#($0)"]"#) }), gone: [])
            // Room for 3,000 notes while it ran; none of it kept (a store between batches holds only a small room).
            #expect(store.notes.capacity <= 1_024)
            for round in 0..<3 {
                count = store.unpublished.withLock { $0.records.count }
                try await store.write { db in
                    try db.execute(
                        sql: "UPDATE cases SET who = ? WHERE id IN ('c1', 'c2999')", arguments: ["r\(round)"])
                    try db.execute(sql: "DELETE FROM cases WHERE id = ?", arguments: ["c\(10 + round)"])
                }
                try await Self.expectStanding(
                    store, since: count,
                    keys: [
                        Self.key("cases", #"["c1"]"#), Self.key("cases", #"["c2999"]"#),
                        Self.key("cases", #"["c\#(10 + round)"]"#),
                    ],
                    gone: [Self.key("cases", #"["c\#(10 + round)"]"#)])
                #expect(store.notes.capacity > 0, "a small transaction's room is kept")
            }
        }
    }

    @Test("after another connection changed the schema, each change is still recorded under its own table")
    func schemaReadAgain() async throws {
        try await Self.withStore { store, directory in
            try await store.write { db in
                try db.execute(sql: "INSERT INTO facts (seq, who) VALUES (1, 'a')")
                try db.execute(sql: "INSERT INTO people (id, year, name) VALUES ('p', 2026, 'x')")
            }
            // The store's connection reads its schema again at its next statement: its tables' names then live at other
            // addresses (the hook recognises a table by the address of its name first).
            let other = try DatabaseQueue(path: PartitionStore.path(partition: 0, directory: directory))
            try await other.write { db in try db.execute(sql: "CREATE TABLE elsewhere (x INTEGER)") }
            try other.close()

            let count = store.unpublished.withLock { $0.records.count }
            try await store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO cases (id, who) VALUES ('c', 'a');
                        UPDATE facts SET who = 'b' WHERE seq = 1;
                        INSERT INTO elsewhere (x) VALUES (1);
                        INSERT INTO people (id, year, name) VALUES ('q', 2026, 'y');
                        INSERT INTO facts (seq, who) VALUES (2, 'c');
                        """)
            }
            try await Self.expectStanding(
                store, since: count,
                keys: [
                    Self.key("cases", #"["c"]"#), Self.key("facts", "1"), Self.key("people", #"["q",2026]"#),
                    Self.key("facts", "2"),
                ],
                gone: [])
        }
    }

    @Test("keys the hook does not write and tables of REAL affinity are read back, and agree")
    func readBack() async throws {
        try await Self.withStore { store, _ in
            let readBacks = store.notes.readBackCount
            let count = store.unpublished.withLock { $0.records.count }
            try await store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO measures (k, r) VALUES ('m', 3.0);
                        INSERT INTO people (id, year, name) VALUES ('å "q"', 2026, 'x');
                        """)
            }
            try await Self.expectStanding(
                store, since: count,
                keys: [Self.key("measures", #"["m"]"#), Self.key("people", #"["å \"q\"",2026]"#)], gone: [])
            #expect(store.notes.readBackCount == readBacks + 2)
        }
    }

    @Test("rows of a statement that failed, or of a rolled-back savepoint, are read back: never recorded as taken")
    func undone() async throws {
        try await Self.withStore { store, _ in
            try await store.write { db in try db.execute(sql: "INSERT INTO facts (seq, who) VALUES (3, 'c')") }

            // The first two rows go in and are undone when the third fails: caught, and the transaction goes on.
            var count = store.unpublished.withLock { $0.records.count }
            var readBacks = store.notes.readBackCount
            try await store.write { db in
                #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "INSERT INTO facts (seq, who) VALUES (1, 'a'), (2, 'b'), (3, 'duplicate')")
                }
                try db.execute(sql: "INSERT INTO facts (seq, who) VALUES (5, 'e')")
            }
            try await Self.expectStanding(
                store, since: count, keys: [Self.key("facts", "1"), Self.key("facts", "2"), Self.key("facts", "5")],
                gone: [Self.key("facts", "1"), Self.key("facts", "2")])
            #expect(store.notes.readBackCount == readBacks + 3, "everything read back after the failure")

            // A savepoint rolled back as the runtime does it (BatchProcessor, for a handler that threw).
            count = store.unpublished.withLock { $0.records.count }
            readBacks = store.notes.readBackCount
            try await store.write { db in
                try db.execute(sql: "SAVEPOINT s")
                try db.execute(sql: "UPDATE facts SET who = 'changed' WHERE seq = 3")
                try db.execute(sql: "INSERT INTO facts (seq, who) VALUES (6, 'f')")
                try db.execute(sql: "ROLLBACK TO SAVEPOINT s")
                ChangeNotes.savepointRolledBack()
                try db.execute(sql: "RELEASE SAVEPOINT s")
            }
            try await Self.expectStanding(
                store, since: count, keys: [Self.key("facts", "3"), Self.key("facts", "6")],
                gone: [Self.key("facts", "6")])
            #expect(store.notes.readBackCount == readBacks + 2)
            // The next transaction takes values again.
            readBacks = store.notes.readBackCount
            try await store.write { db in try db.execute(sql: "INSERT INTO facts (seq, who) VALUES (7, 'g')") }
            #expect(store.notes.readBackCount == readBacks)
        }
    }
}
