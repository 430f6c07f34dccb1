import Foundation
import GRDB
import OTStore
import Testing

@Suite("SQLiteStore", .timeLimit(.minutes(2)))
struct SQLiteStoreTests {
    // MARK: - Fixtures

    /// Migrations that each append their name to a `log` table, so a test can see which ran and in what order.
    static func loggingMigrations(_ names: [String]) -> StoreMigrations {
        var migrations = StoreMigrations()
        for name in names {
            migrations.register(name) { db in
                try db.execute(
                    sql: "CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)"
                )
                try db.execute(sql: "INSERT INTO log (name) VALUES (?)", arguments: [name])
            }
        }
        return migrations
    }

    /// A schema with one `item` table.
    static let itemMigrations: StoreMigrations = {
        var migrations = StoreMigrations()
        migrations.register("v1-create-item") { db in
            try db.execute(sql: "CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)")
        }
        return migrations
    }()

    static func open(
        _ path: String,
        _ migrations: StoreMigrations = itemMigrations,
        configuration: SQLiteStore.Configuration = .init()
    ) throws(StoreError) -> SQLiteStore {
        try SQLiteStore(path: path, migrations: migrations, configuration: configuration, logger: quietLogger)
    }

    static func log(_ store: SQLiteStore) throws -> [String] {
        try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM log ORDER BY seq") }
    }

    /// A GRDB queue, outside the store, holding `BEGIN EXCLUSIVE` on `path` until `body` returns.
    static func holdingExclusiveLock<T>(on path: String, _ body: () throws -> T) throws -> T {
        var configuration = GRDB.Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE TRANSACTION") }
        defer {
            try? other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try? other.close()
        }
        return try body()
    }

    /// The connection settings a test checks, read with PRAGMAs.
    struct ConnectionSettings {
        var journalMode: String?
        var busyTimeout: Int?
        var synchronous: Int?
        var foreignKeys: Int?
        var tempStore: Int?
    }

    static func connectionSettings(_ db: Database) throws -> ConnectionSettings {
        ConnectionSettings(
            journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode"),
            busyTimeout: try Int.fetchOne(db, sql: "PRAGMA busy_timeout"),
            synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous"),
            foreignKeys: try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
            tempStore: try Int.fetchOne(db, sql: "PRAGMA temp_store")
        )
    }

    // MARK: - Migrations

    @Test("migrations run once, in order; a migration added later runs on reopen")
    func migrationsRunOnceInOrder() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"

            let first = try Self.open(path, Self.loggingMigrations(["m1", "m2"]))
            #expect(try Self.log(first) == ["m1", "m2"])
            #expect(try first.appliedMigrations() == ["m1", "m2"])
            try first.close()

            let reopened = try Self.open(path, Self.loggingMigrations(["m1", "m2"]))
            #expect(try Self.log(reopened) == ["m1", "m2"])
            try reopened.close()

            let upgraded = try Self.open(path, Self.loggingMigrations(["m1", "m2", "m3"]))
            #expect(try Self.log(upgraded) == ["m1", "m2", "m3"])
            #expect(try upgraded.appliedMigrations() == ["m1", "m2", "m3"])
            try upgraded.close()
        }
    }

    @Test("a failing migration gives .migrationFailed and leaves earlier migrations applied")
    func failingMigration() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            var migrations = Self.loggingMigrations(["m1"])
            migrations.register("m2-broken") { db in
                try db.execute(sql: "CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO no_such_table VALUES (1)")
            }
            migrations.register("m3") { db in
                try db.execute(sql: "CREATE TABLE never (id INTEGER PRIMARY KEY)")
            }

            let error = #expect(throws: StoreError.self) { try Self.open(path, migrations) }
            guard case .migrationFailed(let errorPath, let migration, let reason) = error else {
                Issue.record("expected .migrationFailed, got \(String(describing: error))")
                return
            }
            #expect(errorPath == path)
            #expect(migration == "m2-broken")
            #expect(reason.contains("no_such_table"))
            #expect(error?.description.contains("m2-broken") == true)

            let store = try Self.open(path, Self.loggingMigrations(["m1"]))
            #expect(try store.appliedMigrations() == ["m1"])
            #expect(try Self.log(store) == ["m1"])
            let leftovers = try store.read { db in
                try ["half_done", "never"].filter { try db.tableExists($0) }
            }
            #expect(leftovers.isEmpty)
            try store.close()
        }
    }

    @Test("a migration throwing its own error gives .migrationFailed naming it")
    func migrationThrowingOwnError() throws {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "refused by test" }
        }
        try withTemporaryDirectory { directory in
            var migrations = StoreMigrations()
            migrations.register("refuses") { _ in throw Refused() }
            let error = #expect(throws: StoreError.self) { try Self.open(directory + "/s.sqlite", migrations) }
            guard case .migrationFailed(_, "refuses", let reason) = error else {
                Issue.record("expected .migrationFailed, got \(String(describing: error))")
                return
            }
            #expect(reason == "refused by test")
        }
    }

    @Test("a database migrated by a newer build gives .unknownMigrations")
    func unknownMigrations() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            try Self.open(path, Self.loggingMigrations(["m1", "m2"])).close()

            let error = #expect(throws: StoreError.self) { try Self.open(path, Self.loggingMigrations(["m1"])) }
            #expect(error == .unknownMigrations(path: path, identifiers: ["m2"]))
        }
    }

    // MARK: - Connection settings

    @Test(
        "WAL, busy timeout, synchronous, foreign keys and temporary data in memory are in effect",
        arguments: [
            (SQLiteStore.Configuration.Durability.full, 2),
            (.extra, 3),
        ])
    func pragmas(durability: SQLiteStore.Configuration.Durability, synchronous: Int) throws {
        try withTemporaryDirectory { directory in
            let configuration = SQLiteStore.Configuration(busyTimeout: .milliseconds(1_500), durability: durability)
            let store = try Self.open(directory + "/store.sqlite", configuration: configuration)
            #expect(durability.pragmaValue == synchronous)

            let writer = try store.write { db in try Self.connectionSettings(db) }
            #expect(writer.journalMode == "wal")
            #expect(writer.busyTimeout == 1_500)
            #expect(writer.synchronous == synchronous)
            #expect(writer.foreignKeys == 1)
            #expect(writer.tempStore == 2)  // MEMORY: savepoints' page copies never go to a temporary file

            let reader = try store.read { db in try Self.connectionSettings(db) }
            #expect(reader.journalMode == "wal")
            #expect(reader.synchronous == synchronous)
            #expect(reader.foreignKeys == 1)
            try store.close()
        }
    }

    @Test("deferred syncs: commits skip the sync until the configured durability is restored, and the data is kept")
    func deferredSyncs() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let store = try Self.open(path, Self.loggingMigrations(["m1"]))
            try await store.deferSyncs(true)
            #expect(try await store.write { db in try Self.connectionSettings(db).synchronous } == 1)  // NORMAL
            try await store.write { db in try db.execute(sql: "INSERT INTO log (name) VALUES ('deferred')") }
            try await store.deferSyncs(false)
            #expect(try await store.write { db in try Self.connectionSettings(db).synchronous } == 2)  // FULL again
            try store.close()

            let reopened = try Self.open(path, Self.loggingMigrations(["m1"]))
            #expect(try Self.log(reopened) == ["m1", "deferred"])
            try reopened.close()
        }
    }

    @Test("the default configuration is FULL durability and a 5 s busy timeout")
    func defaults() throws {
        try withTemporaryDirectory { directory in
            let store = try Self.open(directory + "/store.sqlite")
            #expect(store.configuration.durability == .full)
            let settings = try store.write { db in try Self.connectionSettings(db) }
            #expect(settings.busyTimeout == 5_000)
            #expect(settings.synchronous == 2)
            try store.close()
        }
    }

    @Test("foreign keys are enforced")
    func foreignKeysEnforced() throws {
        try withTemporaryDirectory { directory in
            var migrations = StoreMigrations()
            migrations.register("v1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE parent (id INTEGER PRIMARY KEY);
                        CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES parent(id));
                        """
                )
            }
            let store = try Self.open(directory + "/store.sqlite", migrations)
            let error = #expect(throws: DatabaseError.self) {
                try store.write { db in try db.execute(sql: "INSERT INTO child VALUES (1, 42)") }
            }
            #expect(error?.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY)
            try store.close()
        }
    }

    // MARK: - Files and permissions

    @Test("missing directories are created 0700; the file, -wal and -shm are 0600")
    func permissionsAreOwnerOnly() throws {
        try withTemporaryDirectory { directory in
            let storeDirectory = directory + "/data/status"
            let path = storeDirectory + "/store.sqlite"
            #expect(!FileManager.default.fileExists(atPath: directory + "/data"))

            let store = try Self.open(path)
            try store.write { db in try db.execute(sql: "INSERT INTO item (body) VALUES ('x')") }

            #expect(try permissions(of: directory + "/data") == 0o700)
            #expect(try permissions(of: storeDirectory) == 0o700)
            #expect(try permissions(of: path) == 0o600)
            #expect(try permissions(of: path + "-wal") == 0o600)
            #expect(try permissions(of: path + "-shm") == 0o600)
            try store.close()
        }
    }

    @Test("a file where the directory should be gives .cannotCreateDirectory")
    func directoryBlockedByFile() throws {
        try withTemporaryDirectory { directory in
            let blocker = directory + "/blocker"
            #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
            let error = #expect(throws: StoreError.self) { try Self.open(blocker + "/sub/store.sqlite") }
            guard case .cannotCreateDirectory(let path, _) = error else {
                Issue.record("expected .cannotCreateDirectory, got \(String(describing: error))")
                return
            }
            #expect(path == blocker)
        }
    }

    @Test("a directory where the file should be gives .cannotOpen")
    func pathIsADirectory() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            let error = #expect(throws: StoreError.self) { try Self.open(path) }
            guard case .cannotOpen(path, _) = error else {
                Issue.record("expected .cannotOpen, got \(String(describing: error))")
                return
            }
        }
    }

    // MARK: - Damaged and locked files

    @Test("a file of garbage bytes gives .corrupt and is left untouched")
    func garbageFileIsCorrupt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let garbage = Data((0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            #expect(FileManager.default.createFile(atPath: path, contents: garbage))

            let error = #expect(throws: StoreError.self) { try Self.open(path) }
            guard case .corrupt(path, let reason) = error else {
                Issue.record("expected .corrupt, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("26"))  // SQLITE_NOTADB
            #expect(FileManager.default.contents(atPath: path) == garbage)
        }
    }

    @Test("a damaged table page gives .corrupt when read, not a crash")
    func damagedPageIsCorrupt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let store = try Self.open(path)
            try store.write { db in
                for index in 0..<200 {
                    try db.execute(
                        sql: "INSERT INTO item (body) VALUES (?)",
                        arguments: [String(repeating: "row \(index) ", count: 20)]
                    )
                }
            }
            let (rootPage, pageSize) = try store.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'item'") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                )
            }
            // Move every page into the main file, so the damage below is what SQLite reads.
            try store.databasePool.writeWithoutTransaction { db in
                _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            try store.close()

            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            try handle.seek(toOffset: UInt64((rootPage - 1) * pageSize))
            try handle.write(contentsOf: Data(repeating: 0xFF, count: pageSize))
            try handle.close()

            let damaged = try Self.open(path)
            let error = #expect(throws: StoreError.self) {
                try damaged.read { db in try Int.fetchOne(db, sql: "SELECT sum(length(body)) FROM item") }
            }
            guard case .corrupt(path, _) = error else {
                Issue.record("expected .corrupt, got \(String(describing: error))")
                return
            }
            try damaged.close()
        }
    }

    @Test("opening a database another connection holds exclusively gives .locked after the busy timeout")
    func lockedAtOpen() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            // A rollback-journal database: an exclusive lock there keeps even readers out.
            try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER)") }

            let clock = ContinuousClock()
            let start = clock.now
            let error = try Self.holdingExclusiveLock(on: path) {
                #expect(throws: StoreError.self) {
                    try Self.open(path, configuration: .init(busyTimeout: .milliseconds(200)))
                }
            }
            let waited = clock.now - start
            guard case .locked(path, _) = error else {
                Issue.record("expected .locked, got \(String(describing: error))")
                return
            }
            #expect(waited >= .milliseconds(150))
            #expect(waited < .seconds(4))

            // Once the lock is gone the store opens.
            try Self.open(path).close()
        }
    }

    @Test("a write while another connection holds BEGIN EXCLUSIVE gives .locked; reads go on")
    func lockedAtWrite() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let store = try Self.open(path, configuration: .init(busyTimeout: .milliseconds(200)))
            try store.write { db in try db.execute(sql: "INSERT INTO item (body) VALUES ('before')") }

            let clock = ContinuousClock()
            var waited = Duration.zero
            try Self.holdingExclusiveLock(on: path) {
                let start = clock.now
                let error = #expect(throws: StoreError.self) {
                    try store.write { db in try db.execute(sql: "INSERT INTO item (body) VALUES ('during')") }
                }
                waited = clock.now - start
                guard case .locked(path, _) = error else {
                    Issue.record("expected .locked, got \(String(describing: error))")
                    return
                }
                let count = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") }
                #expect(count == 1)
            }
            #expect(waited >= .milliseconds(150))
            #expect(waited < .seconds(4))

            try store.write { db in try db.execute(sql: "INSERT INTO item (body) VALUES ('after')") }
            #expect(
                try store.read { db in try String.fetchAll(db, sql: "SELECT body FROM item ORDER BY id") }
                    == ["before", "after"])
            try store.close()
        }
    }

    // MARK: - Reading and writing

    @Test("data written survives close and reopen")
    func dataSurvivesReopen() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let store = try Self.open(path)
            try store.write { db in
                try db.execute(sql: "INSERT INTO item (body) VALUES ('one'), ('two')")
            }
            try store.close()

            let reopened = try Self.open(path)
            #expect(
                try reopened.read { db in try String.fetchAll(db, sql: "SELECT body FROM item ORDER BY id") }
                    == ["one", "two"])
            try reopened.close()
        }
    }

    @Test("async write and read")
    func asyncAccess() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let store = try Self.open(path)
            let id = try await store.write { db in
                try db.execute(sql: "INSERT INTO item (body) VALUES ('async')")
                return db.lastInsertedRowID
            }
            let body = try await store.read { db in
                try String.fetchOne(db, sql: "SELECT body FROM item WHERE id = ?", arguments: [id])
            }
            #expect(body == "async")
            try store.close()

            let reopened = try Self.open(path)
            #expect(try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == 1)
            try reopened.close()
        }
    }

    @Test("a throwing write rolls back and rethrows the caller's error unchanged")
    func throwingWriteRollsBack() throws {
        struct HandlerFailed: Error, Equatable {}
        try withTemporaryDirectory { directory in
            let store = try Self.open(directory + "/store.sqlite")
            #expect(throws: HandlerFailed()) {
                try store.write { db in
                    try db.execute(sql: "INSERT INTO item (body) VALUES ('rolled back')")
                    throw HandlerFailed()
                }
            }
            let constraint = #expect(throws: DatabaseError.self) {
                try store.write { db in
                    try db.execute(sql: "INSERT INTO item (body) VALUES ('dup'), ('dup')")
                }
            }
            #expect(constraint?.resultCode == .SQLITE_CONSTRAINT)
            #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == 0)
            try store.close()
        }
    }

    @Test("a write from a read gives .readOnly")
    func writeInReadIsReadOnly() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let store = try Self.open(path)
            let error = #expect(throws: StoreError.self) {
                try store.read { db in try db.execute(sql: "INSERT INTO item (body) VALUES ('no')") }
            }
            guard case .readOnly(path, _) = error else {
                Issue.record("expected .readOnly, got \(String(describing: error))")
                return
            }
            try store.close()
        }
    }

    @Test("use after close gives .closed; closing twice is harmless")
    func useAfterClose() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let store = try Self.open(path)
            try store.close()
            try store.close()

            #expect(throws: StoreError.closed(path: path)) {
                try store.write { db in try db.execute(sql: "INSERT INTO item (body) VALUES ('x')") }
            }
            #expect(throws: StoreError.closed(path: path)) {
                try store.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
            }
            await #expect(throws: StoreError.closed(path: path)) {
                try await store.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
            }
        }
    }

    @Test(
        "an unusable configuration gives .invalidConfiguration",
        arguments: [
            SQLiteStore.Configuration(maximumReaderCount: 0),
            SQLiteStore.Configuration(busyTimeout: .milliseconds(-1)),
        ])
    func invalidConfiguration(configuration: SQLiteStore.Configuration) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/store.sqlite"
            let error = #expect(throws: StoreError.self) { try Self.open(path, configuration: configuration) }
            guard case .invalidConfiguration = error else {
                Issue.record("expected .invalidConfiguration, got \(String(describing: error))")
                return
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
