import Foundation
import GRDB
import Testing

@testable import OTStore

@Suite("DirectStatement", .timeLimit(.minutes(2)))
struct DirectStatementTests {
    static let migrations: StoreMigrations = {
        var migrations = StoreMigrations()
        migrations.register("v1") { db in
            try db.execute(
                sql: "CREATE TABLE seen (source TEXT NOT NULL, id TEXT NOT NULL, at INTEGER, PRIMARY KEY (source, id))")
            try db.execute(sql: "CREATE TABLE counts (key TEXT PRIMARY KEY, count INTEGER NOT NULL)")
        }
        return migrations
    }()

    static func withStore<T>(_ body: (SQLiteStore) throws -> T) throws -> T {
        try withTemporaryDirectory { directory in
            let store = try SQLiteStore(
                path: directory + "/direct.sqlite", migrations: migrations, logger: quietLogger)
            defer { try? store.close() }
            return try body(store)
        }
    }

    @Test("binds texts and integers, reports changes, and keeps bindings across executions")
    func insertOrIgnore() throws {
        try Self.withStore { store in
            let inserted = try store.write { db in
                let insert = try DirectStatement(
                    db, sql: "INSERT OR IGNORE INTO seen (source, id, at) VALUES (?, ?, ?)")
                try insert.bind(Int64(1_700_000_000), at: 3)
                var inserted: [Int] = []
                for (source, id) in [("urn:a", "1"), ("urn:a", "2"), ("urn:a", "1"), ("urn:b", "1"), ("", "")] {
                    try insert.bind(source, at: 1)
                    try insert.bind(id, at: 2)
                    inserted.append(try insert.execute())
                }
                return inserted
            }
            #expect(inserted == [1, 1, 0, 1, 1])
            let rows = try store.read { db in
                try Row.fetchAll(db, sql: "SELECT source, id, at FROM seen ORDER BY source, id").map {
                    [$0["source"] as String? ?? "NULL", $0["id"] as String? ?? "NULL", "\($0["at"] as Int64)"]
                }
            }
            // An empty text is bound as '' (not NULL, which the NOT NULL columns would refuse).
            #expect(
                rows == [
                    ["", "", "1700000000"], ["urn:a", "1", "1700000000"], ["urn:a", "2", "1700000000"],
                    ["urn:b", "1", "1700000000"],
                ])
        }
    }

    @Test("gives the rowid of the row its insert made, and keeps it past an insert that was ignored")
    func lastInsertedRowID() throws {
        try Self.withStore { store in
            let (rowids, stored) = try store.write { db in
                let insert = try DirectStatement(db, sql: "INSERT OR IGNORE INTO seen (source, id) VALUES (?, ?)")
                var rowids: [Int64] = []
                for id in ["1", "2", "1", "3"] {
                    try insert.bind("urn:a", at: 1)
                    try insert.bind(id, at: 2)
                    try insert.execute()
                    rowids.append(insert.lastInsertedRowID)
                }
                let stored = try Row.fetchAll(db, sql: "SELECT rowid, id FROM seen ORDER BY rowid").map {
                    "\($0[0] as Int64):\($0[1] as String)"
                }
                return (rowids, stored)
            }
            // A rowid table numbers its rows 1, 2, ...; the ignored insert of "1" again leaves the last rowid as it was.
            #expect(rowids == [1, 2, 2, 3])
            #expect(stored == ["1:1", "2:2", "3:3"])
        }
    }

    @Test("fetches the first column of an UPDATE ... RETURNING, and nil without a row")
    func returning() throws {
        try Self.withStore { store in
            let counts = try store.write { db in
                let upsert = try DirectStatement(
                    db,
                    sql: """
                        INSERT INTO counts (key, count) VALUES (?, 1)
                        ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count
                        """)
                var counts: [Int64?] = []
                for key in ["a", "b", "a", "a"] {
                    try upsert.bind(key, at: 1)
                    counts.append(try upsert.fetchInt64())
                }
                let missing = try DirectStatement(db, sql: "SELECT count FROM counts WHERE key = ?")
                try missing.bind("none", at: 1)
                counts.append(try missing.fetchInt64())
                return counts
            }
            #expect(counts == [1, 1, 2, 3, nil])
            #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count FROM counts WHERE key = 'a'") } == 3)
        }
    }

    @Test("binds blobs: bytes, an empty blob (not NULL) and NULL")
    func blobs() throws {
        try Self.withStore { store in
            try store.write { db in
                try db.execute(sql: "CREATE TABLE blobs (n INTEGER PRIMARY KEY, value BLOB)")
                let insert = try DirectStatement(db, sql: "INSERT INTO blobs (n, value) VALUES (?, ?)")
                for (n, value) in [(1, [0, 1, 255] as [UInt8]?), (2, []), (3, nil)] {
                    try insert.bind(n, at: 1)
                    try insert.bind(value, at: 2)
                    try insert.execute()
                }
            }
            let rows = try store.read { db in
                try Row.fetchAll(db, sql: "SELECT typeof(value) AS type, value FROM blobs ORDER BY n").map {
                    ($0["type"] as String, ($0["value"] as Data?).map(Array.init))
                }
            }
            #expect(rows.map(\.0) == ["blob", "blob", "null"])
            #expect(rows.map(\.1) == [[0, 1, 255], [], nil])
        }
    }

    @Test("a failing step throws GRDB's DatabaseError with SQLite's code, and the statement can run again")
    func errors() throws {
        try Self.withStore { store in
            try store.write { db in
                let insert = try DirectStatement(db, sql: "INSERT INTO seen (source, id) VALUES (?, ?)")
                try insert.bind("urn:a", at: 1)
                try insert.bind("1", at: 2)
                #expect(try insert.execute() == 1)
                do {
                    try insert.execute()
                    Issue.record("a duplicate key was inserted")
                } catch let error as DatabaseError {
                    #expect(error.resultCode == .SQLITE_CONSTRAINT)
                    #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY)
                }
                try insert.bind("2", at: 2)
                #expect(try insert.execute() == 1)
            }
            #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM seen") } == 2)
        }
    }

    @Test("an optional integer binds as the integer, or as NULL")
    func optionalInteger() throws {
        try Self.withStore { store in
            let values = try store.write { db in
                let select = try DirectStatement(db, sql: "SELECT coalesce(?, -1)")
                return try [Int64(5), nil].map { value in
                    try select.bind(value, at: 1)
                    return try select.fetchInt64()
                }
            }
            #expect(values == [5, -1])
        }
    }

    @Test("in a statement cache each SQL text gets its own statement, texts built at run time too, across transactions")
    func cachedStatements() throws {
        try withTemporaryDirectory { directory in
            let store = try SQLiteStore(
                path: directory + "/cached.sqlite", migrations: Self.migrations, logger: quietLogger)
            let cache = try store.write { db in try DirectStatementCache(for: db) }
            for _ in 0..<2 {
                let (values, literal) = try store.write { db in
                    try DirectStatement.cachingStatements(in: cache) {
                        // Texts built and freed one after another, long and short (a short one lives inside the
                        // string value): the next may take the last one's address, but it is other SQL.
                        var values: [Int64?] = []
                        for value in 0..<300 {
                            let sql =
                                value.isMultiple(of: 2)
                                ? "SELECT \(value) AS value, 'a text longer than a short string holds'"
                                : "SELECT \(value)"
                            values.append(try DirectStatement(db, sql: sql).fetchInt64())
                        }
                        // The same literal again and again: the same statement, as GRDB's cache gives it.
                        var literal: [Int64?] = []
                        for value in Int64(0)..<3 {
                            let select = try DirectStatement(db, sql: "SELECT ? + 1")
                            try select.bind(value, at: 1)
                            literal.append(try select.fetchInt64())
                        }
                        return (values, literal)
                    }
                }
                #expect(values == (0..<300).map { Int64($0) })
                #expect(literal == [1, 2, 3])
            }
            // Up to its capacity: the first 128 texts (the literal came after them).
            #expect(cache.count == DirectStatementCache.capacity)
            // Each text once, whether a literal or built again for every call (as a restore builds its statements
            // for every batch: a text like another, at another address).
            let fresh = try store.write { db in try DirectStatementCache(for: db) }
            let table = "seen"
            // Each text kept alive, so that the next one built is at another address.
            let texts = (0..<100).map { _ in "SELECT count(*) FROM \(table) WHERE source = 'x'" }
            for text in texts {
                try store.write { db in
                    try DirectStatement.cachingStatements(in: fresh) {
                        _ = try DirectStatement(db, sql: text).execute()
                        _ = try DirectStatement(db, sql: "SELECT 1 + 1").execute()
                    }
                }
            }
            #expect(fresh.count == 2)
            try store.write { _ in fresh.removeAll() }
            // Outside the cache, on a reader: as before.
            #expect(try store.read { db in try DirectStatement(db, sql: "SELECT 7").fetchInt64() } == 7)
            // With its statements let go, the store closes: SQLite refuses to close a connection with one held.
            try store.write { _ in cache.removeAll() }
            try store.close()
        }
    }

    @Test("in a statement cache texts are kept in its memory: grown, kept across executions, and unbound when let go")
    func cachedTexts() throws {
        try Self.withStore { store in
            let cache = try store.write { db in try DirectStatementCache(for: db) }
            let insert = "INSERT INTO seen (source, id) VALUES (?, ?)"
            // Short (inside the string value), empty, long (which outgrows the buffer), then short again in the
            // grown buffer; non-ASCII and a NUL byte; the source bound once for all ids.
            let ids = ["1", "", String(repeating: "å", count: 200), "2", "a\u{0}b", String(repeating: "x", count: 33)]
            try store.write { db in
                try DirectStatement.cachingStatements(in: cache) {
                    let statement = try DirectStatement(db, sql: insert)
                    try statement.bind("urn:source:kept", at: 1)
                    for id in ids {
                        try statement.bind(id, at: 2)
                        #expect(try statement.execute() == 1)
                    }
                    // A parameter the statement does not have: SQLite's error, as outside a cache.
                    #expect(throws: DatabaseError.self) { try statement.bind("x", at: 3) }
                    #expect(throws: DatabaseError.self) { try statement.bind("x", at: 0) }
                }
            }
            let rows = try store.read { db in
                // The id's bytes as a blob: GRDB reads a text up to its first NUL.
                try Row.fetchAll(db, sql: "SELECT source, CAST(id AS BLOB), typeof(id) FROM seen ORDER BY rowid").map {
                    [$0[0] as String, String(decoding: $0[1] as Data? ?? Data(), as: UTF8.self), $0[2] as String]
                }
            }
            #expect(rows == ids.map { ["urn:source:kept", $0, "text"] })
            // Let go, the statement holds none of the cache's memory: GRDB's cache keeps the statement, and run
            // without binding, its parameters are NULL (which the NOT NULL columns refuse), not the freed bytes.
            try store.write { _ in cache.removeAll() }
            let error = try store.write { db in
                #expect(throws: DatabaseError.self) { try DirectStatement(db, sql: insert).execute() }
            }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT)
        }
    }
}
