import Foundation
import GRDB
import OTSimulation
import OTStore
import Testing

/// Deleted rows leave no byte in a store's files once its log is truncated with the file rebuilt: what an erasure
/// relies on (docs/operations.md, "Erasure").
@Suite("Erased rows: gone from every file of the store", .timeLimit(.minutes(2)))
struct ErasedRowsTests {
    static let migrations: StoreMigrations = {
        var migrations = StoreMigrations()
        migrations.register("people-1") { db in
            // Shaped as the services' person rows: keyed by the 11-digit ID, a text that grows with every event.
            try db.execute(
                sql: """
                    CREATE TABLE people (person_id TEXT PRIMARY KEY, history TEXT NOT NULL, notes TEXT NOT NULL)
                    WITHOUT ROWID
                    """)
        }
        return migrations
    }()

    @Test(
        "rows deleted after the tree moved them leave nothing in the database or its log once the file is rebuilt",
        // Without the rebuild, the stores of seeds 22, 23 and 39 keep a deleted ID in unused space (3 of seeds 1-40,
        // measured with this SQLite); 1 and 2 are stores where the delete alone happens to leave none.
        arguments: [22, 23, 39, 1, 2] as [UInt64])
    func deletedRowsLeaveNoBytes(seed: UInt64) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/people.sqlite"
            let store = try SQLiteStore(path: path, migrations: Self.migrations, logger: quietLogger)
            var generator = SeededGenerator(seed: seed)
            let ids = (0..<1_500).map {
                String(format: "%011d", 10_000_000_000 + $0 * 7_919 + Int.random(in: 0..<7_000, using: &generator))
            }
            // Rows written in random order and grown in six rounds: pages split and rows move between pages as the
            // tree balances, leaving old copies in unused space.
            for round in 0..<6 {
                var order = ids
                order.shuffle(using: &generator)
                for start in stride(from: 0, to: order.count, by: 50) {
                    let slice = order[start..<min(start + 50, order.count)]
                    let notes = slice.map { _ in
                        String(repeating: "x", count: 5 + Int.random(in: 0..<55, using: &generator))
                    }
                    try await store.write { db in
                        for (id, note) in zip(slice, notes) {
                            // Replaced whole, as a service rewrites a person's row: the row is deleted and inserted.
                            let history =
                                try String.fetchOne(
                                    db, sql: "SELECT history FROM people WHERE person_id = ?", arguments: [id]) ?? ""
                            try db.execute(
                                sql: "INSERT OR REPLACE INTO people VALUES (?, ?, ?)",
                                arguments: [id, history + "round \(round);", note])
                        }
                    }
                }
            }
            var erased: [String] = []
            while erased.count < 100 {
                let id = ids[Int.random(in: 0..<ids.count, using: &generator)]
                if !erased.contains(id) { erased.append(id) }
            }
            func found() throws -> [String] {
                var bytes = Data()
                for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
                    bytes += try Data(contentsOf: URL(fileURLWithPath: file))
                }
                return erased.filter { bytes.range(of: Data($0.utf8)) != nil }
            }
            // The control: the search finds them while they are stored.
            #expect(try found().count == erased.count)

            try await store.write { [erased] db in
                for id in erased { try db.execute(sql: "DELETE FROM people WHERE person_id = ?", arguments: [id]) }
            }
            #expect(try await store.truncateLog(rebuildingFile: true))

            let left = try found()
            #expect(left.isEmpty, "\(left.count) of \(erased.count) deleted IDs still in the files")
            let kept = try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM people") }
            #expect(kept == ids.count - erased.count, "the live rows stay")
            try store.close()
        }
    }

    @Test("a rebuild keeps every rowid, and refuses a store with a table whose rowids VACUUM would change")
    func rebuildKeepsRowids() async throws {
        try await withTemporaryDirectory { directory in
            var migrations = StoreMigrations()
            migrations.register("tables-1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE indexed (a TEXT NOT NULL, b TEXT NOT NULL);
                        CREATE INDEX indexed_a ON indexed (a);
                        CREATE TABLE aliased (id INTEGER PRIMARY KEY, a TEXT NOT NULL);
                        """)
            }
            var bare = migrations
            bare.register("tables-2") { db in try db.execute(sql: "CREATE TABLE bare (a TEXT NOT NULL)") }
            for (name, migrations, rebuilds) in [("kept", migrations, true), ("bare", bare, false)] {
                let store = try SQLiteStore(
                    path: directory + "/\(name).sqlite", migrations: migrations, logger: quietLogger)
                let tables = rebuilds ? ["indexed", "aliased"] : ["indexed", "aliased", "bare"]
                // Rows 1...5, then 2 and 4 deleted: VACUUM would close the gaps of a table it renumbers.
                try await store.write { db in
                    for row in 1...5 {
                        try db.execute(sql: "INSERT INTO indexed (a, b) VALUES ('a\(row)', 'b')")
                        try db.execute(sql: "INSERT INTO aliased (a) VALUES ('a\(row)')")
                        if !rebuilds { try db.execute(sql: "INSERT INTO bare (a) VALUES ('a\(row)')") }
                    }
                    for table in tables { try db.execute(sql: "DELETE FROM \(table) WHERE rowid IN (2, 4)") }
                }
                if rebuilds {
                    #expect(try await store.truncateLog(rebuildingFile: true))
                } else {
                    await #expect {
                        try await store.truncateLog(rebuildingFile: true)
                    } throws: { error in
                        guard case StoreError.cannotRebuild(_, let reason) = error else { return false }
                        return reason.contains("bare") && !reason.contains("indexed") && !reason.contains("aliased")
                    }
                }
                for table in tables {
                    let rows = try await store.read { db in
                        try Row.fetchAll(db, sql: "SELECT rowid, a FROM \(table) ORDER BY rowid").map {
                            "\($0[0] as Int64):\($0[1] as String)"
                        }
                    }
                    #expect(rows == ["1:a1", "3:a3", "5:a5"], "\(name): \(table)")
                }
                try store.close()
            }
        }
    }
}
