import CSQLite
import Foundation
import GRDB
import Logging
import Synchronization

/// One service's SQLite database: a single file in WAL mode, opened through a GRDB `DatabasePool`,
/// migrated to the service's schema before first use.
///
/// A worker commits a batch's state changes, its outbox rows and the Kafka offsets it consumed in one
/// `write` transaction; with the default ``Configuration/Durability/full`` durability that transaction is
/// on disk when `write` returns.
///
/// ```swift
/// var migrations = StoreMigrations()
/// migrations.register("v1-create-status") { db in
///     try db.execute(sql: "CREATE TABLE status (id TEXT PRIMARY KEY, code TEXT NOT NULL)")
/// }
/// let store = try SQLiteStore(path: "/var/lib/ot/status.sqlite", migrations: migrations, logger: logger)
/// try store.write { db in
///     try db.execute(sql: "INSERT INTO status VALUES (?, ?)", arguments: ["t1", "OTOV"])
/// }
/// ```
///
/// Every connection has foreign keys on, the configured busy timeout (writer) and the configured
/// `PRAGMA synchronous`. The file is created `0600` and its directory `0700` before SQLite opens it;
/// SQLite gives the `-wal` and `-shm` files the same mode as the database.
///
/// Operational failures (a corrupt or locked file, a full disk) are thrown as ``StoreError``; other errors,
/// such as constraint violations or errors thrown by the caller's closure, reach the caller unchanged.
public final class SQLiteStore: Sendable {
    /// The absolute path of the database file.
    public let path: String

    /// The configuration the store was opened with.
    public let configuration: Configuration

    /// The underlying GRDB pool, for what the store's own methods do not cover (observation, snapshots,
    /// transactions of another kind).
    ///
    /// - Important: Errors thrown through the pool are GRDB's own; pass them to
    ///   ``StoreError/mapping(_:path:)`` to get the store's view of them.
    public let databasePool: DatabasePool

    /// The migrations the database was brought up to.
    private let migrations: StoreMigrations

    private let logger: Logger

    /// Set once by ``close()``, so that later use gives ``StoreError/closed(path:)``.
    private let isClosed = Mutex(false)

    /// Opens the database at `path`, creating it and its directory if missing, and applies the migrations
    /// it has not seen yet.
    ///
    /// - Parameters:
    ///   - path: The database file. A relative path is taken against the current directory. Missing
    ///     directories are created with mode `0700`, a missing file with mode `0600`.
    ///   - migrations: The service's schema migrations, applied in order, each in its own transaction.
    ///   - configuration: Busy timeout, durability and reader count.
    ///   - logger: Where the store reports opening, migrations and closing.
    /// - Throws: ``StoreError``: ``StoreError/cannotCreateDirectory(path:reason:)``,
    ///   ``StoreError/cannotOpen(path:reason:)``, ``StoreError/corrupt(path:reason:)``,
    ///   ``StoreError/locked(path:reason:)``, ``StoreError/migrationFailed(path:migration:reason:)``,
    ///   ``StoreError/unknownMigrations(path:identifiers:)`` and the other operational cases.
    public init(
        path: String,
        migrations: StoreMigrations,
        configuration: Configuration = Configuration(),
        logger: Logger
    ) throws(StoreError) {
        try configuration.validate()
        guard !path.isEmpty else {
            throw .invalidConfiguration(reason: "the database path is empty")
        }
        let path = DatabaseFile.absolutePath(path)
        var logger = logger
        logger[metadataKey: "store.path"] = "\(path)"

        let isNew = !FileManager.default.fileExists(atPath: path)
        try DatabaseFile.prepare(path: path, logger: logger)
        _ = Self.memoryStatisticsOff

        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.grdbConfiguration(configuration))
        } catch {
            throw StoreError.mapping(error, path: path)
                ?? .cannotOpen(path: path, reason: StoreError.reason(error))
        }

        do {
            if isNew {
                // A new file's migrations commit without a sync each (WAL with `synchronous=NORMAL` stays
                // consistent, it may only lose its last commits on a power loss) and are made durable together by
                // one checkpoint: a partition store restored on a new disk paid a sync per migration, more than
                // applying its records.
                try Self.setSynchronous("NORMAL", on: pool, path: path)
                try Self.migrate(pool, with: migrations, path: path, logger: logger)
                try Self.setSynchronous(nil, on: pool, path: path)
                try Self.applyDurability(configuration.durability, to: pool, path: path)
            } else {
                try Self.applyDurability(configuration.durability, to: pool, path: path)
                try Self.migrate(pool, with: migrations, path: path, logger: logger)
            }
        } catch {
            // Release the file now rather than whenever the pool is deallocated.
            try? pool.close()
            throw error
        }

        self.path = path
        self.configuration = configuration
        self.databasePool = pool
        self.migrations = migrations
        self.logger = logger
        logger.info(
            "Opened store",
            metadata: [
                "store.durability": "\(configuration.durability.rawValue)",
                "store.busyTimeout": "\(configuration.busyTimeout)",
            ]
        )
    }

    // MARK: - Access

    /// Runs `body` in an immediate write transaction, committed when `body` returns and rolled back when
    /// it throws.
    ///
    /// - Parameter body: Reads and writes the database.
    /// - Returns: What `body` returns.
    /// - Throws: A ``StoreError`` for an operational failure (such as ``StoreError/locked(path:reason:)``
    ///   after the busy timeout); otherwise the error `body` or SQLite threw, unchanged.
    /// - Important: Not reentrant: do not call the store from inside `body`.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try checkOpen()
        do {
            return try databasePool.write(body)
        } catch {
            throw mapped(error)
        }
    }

    /// Runs `body` in an immediate write transaction without blocking a thread of the caller's executor,
    /// committed when `body` returns and rolled back when it throws.
    ///
    /// - Parameter body: Reads and writes the database.
    /// - Returns: What `body` returns.
    /// - Throws: A ``StoreError`` for an operational failure; `CancellationError` if the task is
    ///   cancelled before the transaction commits; otherwise the error `body` or SQLite threw, unchanged.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await databasePool.write(body)
        } catch {
            throw mapped(error)
        }
    }

    /// Runs `body` in a read-only transaction on a reader connection: it sees the last committed state
    /// and does not wait for writers.
    ///
    /// - Parameter body: Reads the database.
    /// - Returns: What `body` returns.
    /// - Throws: A ``StoreError`` for an operational failure; otherwise the error `body` or SQLite threw,
    ///   unchanged. Writing from `body` throws `SQLITE_READONLY`, mapped to ``StoreError/readOnly(path:reason:)``.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try checkOpen()
        do {
            return try databasePool.read(body)
        } catch {
            throw mapped(error)
        }
    }

    /// Runs `body` in a read-only transaction on a reader connection without blocking a thread of the
    /// caller's executor.
    ///
    /// - Parameter body: Reads the database.
    /// - Returns: What `body` returns.
    /// - Throws: A ``StoreError`` for an operational failure; `CancellationError` if the task is cancelled;
    ///   otherwise the error `body` or SQLite threw, unchanged.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await databasePool.read(body)
        } catch {
            throw mapped(error)
        }
    }

    /// Lets later commits skip the sync (`PRAGMA synchronous = NORMAL`) until called with `false`, which restores
    /// the configured ``Configuration/durability``: the next commit then syncs the log, and with it every commit
    /// made before it, in order.
    ///
    /// In between, the file stays consistent whatever happens (WAL), but a power loss or an operating-system crash
    /// can take its last commits; only for a caller that never relies on them after such a crash (a store that is
    /// rebuilt from elsewhere when it was not closed properly).
    /// - Throws: A ``StoreError`` for an operational failure.
    public func deferSyncs(_ deferred: Bool) async throws {
        try checkOpen()
        let value = deferred ? "NORMAL" : configuration.durability.rawValue
        do {
            try await databasePool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(value)")
            }
        } catch {
            throw mapped(error)
        }
    }

    /// The rowid tables whose rowids `VACUUM` would change: those with neither an index nor an `INTEGER PRIMARY
    /// KEY` (a single primary-key column declared `INTEGER`, the rowid itself).
    static let tablesVacuumRenumbers = """
        SELECT m.name FROM sqlite_master AS m
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name))
            AND NOT (
                (SELECT count(*) FROM pragma_table_info(m.name) WHERE pk > 0) = 1
                AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE pk = 1 AND upper(type) = 'INTEGER'))
        ORDER BY m.name
        """

    /// Creates the directory a store at `path` would be created in (and any missing parent, owner only), as opening
    /// the store does: for a file kept beside the store that must exist before it opens.
    /// - Throws: ``StoreError/cannotCreateDirectory(path:reason:)``.
    public static func createDirectory(forStoreAt path: String) throws(StoreError) {
        try DatabaseFile.createDirectory(DatabaseFile.parentDirectory(of: path))
    }

    /// Copies the write-ahead log into the database file and truncates the log to zero bytes
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`), so that no earlier version of any page is left in the `-wal` file; with
    /// `rebuildingFile`, first rewrites the database from its live rows (`VACUUM`), so that no deleted row is left in
    /// the file either.
    ///
    /// With `secure_delete` on (always, for a store), a deleted row is zeroed where it lies when it is deleted, and
    /// the log still holds the pages written before the delete until it is checkpointed and truncated. But a row
    /// does not always lie where it was first written: when SQLite balances its tree it moves rows between pages and
    /// leaves their old bytes in the pages' unused space, which the delete never sees. Only a file rebuilt from the
    /// live rows holds none of them: after an erasure, the rebuild is what makes the person gone from the file.
    /// - Parameter rebuildingFile: Whether to `VACUUM` first: a copy of every live page, so only after deletions
    ///   that must leave no trace.
    /// - Returns: Whether the whole log was checkpointed and truncated; `false` when a reader still used an
    ///   earlier snapshot (try again later).
    /// - Throws: A ``StoreError`` for an operational failure.
    public func truncateLog(rebuildingFile: Bool = false) async throws -> Bool {
        try checkOpen()
        do {
            return try await databasePool.writeWithoutTransaction { [path] db in
                if rebuildingFile {
                    // VACUUM copies a rowid table's rowids only when the table has an index or an INTEGER PRIMARY
                    // KEY; the rows of any other get new ones, in order but without the gaps deletions left. A
                    // store whose rows are known by rowid (in memory, on a changelog) would lose track of them.
                    let renumbered = try String.fetchAll(db, sql: Self.tablesVacuumRenumbers)
                    guard renumbered.isEmpty else {
                        throw StoreError.cannotRebuild(
                            path: path,
                            reason:
                                "VACUUM would give new rowids to the rows of \(renumbered.joined(separator: ", ")), "
                                + "which have neither an index nor an INTEGER PRIMARY KEY")
                    }
                    try db.execute(sql: "VACUUM")
                }
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                return (row?[0] as Int?) == 0
            }
        } catch {
            throw mapped(error)
        }
    }

    /// The identifiers of the migrations applied to the database, in registration order.
    ///
    /// - Throws: A ``StoreError`` for an operational failure.
    public func appliedMigrations() throws -> [String] {
        try read { db in try migrations.migrator.appliedMigrations(db) }
    }

    /// Closes every connection. Later calls to the store throw ``StoreError/closed(path:)``; calling
    /// `close()` again does nothing.
    ///
    /// - Throws: ``StoreError/cannotClose(path:reason:)`` when a statement is still in use; the store then
    ///   stays open.
    public func close() throws(StoreError) {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        do {
            try databasePool.close()
        } catch {
            // GRDB closes nothing when the writer cannot close, so the store is still usable.
            isClosed.withLock { $0 = false }
            throw .cannotClose(path: path, reason: StoreError.reason(error))
        }
        logger.info("Closed store")
    }

    // MARK: - Private

    /// SQLite's process-wide memory statistics, turned off before the process's first connection: with them, every
    /// allocation SQLite makes takes one global mutex, which partition stores committing on two threads contended for
    /// on every statement (a quarter of the writers' time in the runtime benchmark). Without effect, and harmless,
    /// if something opened SQLite earlier.
    private static let memoryStatisticsOff = CSQLite_disableMemoryStatistics() == 0

    private func checkOpen() throws(StoreError) {
        if isClosed.withLock({ $0 }) {
            throw .closed(path: path)
        }
    }

    /// The error to give the caller for `error`, thrown while accessing the database.
    private func mapped(_ error: any Error) -> any Error {
        if let storeError = StoreError.mapping(error, path: path) {
            return storeError
        }
        // A use that raced with close() gets GRDB's "connection is closed" misuse error.
        if let databaseError = error as? DatabaseError, databaseError.resultCode == .SQLITE_MISUSE,
            isClosed.withLock({ $0 })
        {
            return StoreError.closed(path: path)
        }
        return error
    }

    private static func grdbConfiguration(_ configuration: Configuration) -> GRDB.Configuration {
        var grdb = GRDB.Configuration()
        grdb.label = "OTStore"
        grdb.foreignKeysEnabled = true
        grdb.journalMode = .wal
        grdb.busyMode = .timeout(configuration.busyTimeoutSeconds)
        grdb.maximumReaderCount = configuration.maximumReaderCount
        let synchronous = configuration.durability.rawValue
        grdb.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            // Deleted content is overwritten with zeros, in the database file and in the log's frames: an erased
            // person's data does not linger in free pages (see truncateLog(rebuildingFile:) for what it misses).
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Temporary data stays in memory, above all the sub-journal of savepoints (a copy of each page a
            // savepoint changes, for its rollback): SQLite keeps it in memory up to 64 KiB and then in a temporary
            // file, which it keeps writing to for the rest of the transaction. With the worker's savepoint per event
            // that was 19 of every 20 writes of ot-registrations (658,000 pwrite calls at 50,000 youths against
            // 32,000), and copies of personal data in an unlinked file.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return grdb
    }

    /// Sets the writer's `PRAGMA synchronous` to `value`, or (`nil`) checkpoints the log into the file and truncates
    /// it, which syncs both.
    private static func setSynchronous(_ value: String?, on pool: DatabasePool, path: String) throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                if let value {
                    try db.execute(sql: "PRAGMA synchronous = \(value)")
                } else {
                    _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
            }
        } catch {
            throw StoreError.mapping(error, path: path) ?? .cannotOpen(path: path, reason: StoreError.reason(error))
        }
    }

    /// Sets the writer's `PRAGMA synchronous`.
    ///
    /// GRDB switches a pool's writer to `NORMAL` when it enables WAL, after `prepareDatabase` has run, so
    /// the setting has to be applied again once the pool is open.
    private static func applyDurability(
        _ durability: Configuration.Durability,
        to pool: DatabasePool,
        path: String
    ) throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)")
                let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode")
                guard journalMode == "wal" else {
                    throw StoreError.cannotOpen(
                        path: path,
                        reason: "journal mode is \(journalMode ?? "unknown"), not WAL"
                    )
                }
            }
        } catch {
            throw StoreError.mapping(error, path: path)
                ?? .cannotOpen(path: path, reason: StoreError.reason(error))
        }
    }

    /// Applies the migrations the database has not seen, after checking that it records none this build
    /// does not know.
    private static func migrate(
        _ pool: DatabasePool,
        with migrations: StoreMigrations,
        path: String,
        logger: Logger
    ) throws(StoreError) {
        let migrator = migrations.migrator
        let applied: Set<String>
        do {
            applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw StoreError.mapping(error, path: path)
                ?? .cannotOpen(path: path, reason: StoreError.reason(error))
        }

        let known = migrations.identifiers
        let unknown = applied.subtracting(known).sorted()
        guard unknown.isEmpty else {
            throw .unknownMigrations(path: path, identifiers: unknown)
        }
        let pending = known.filter { !applied.contains($0) }
        guard let firstPending = pending.first else {
            logger.debug("Store schema is up to date", metadata: ["store.migrations": "\(known.count)"])
            return
        }

        logger.info("Migrating store", metadata: ["store.pendingMigrations": "\(pending)"])
        do {
            try migrator.migrate(pool)
        } catch {
            if let storeError = StoreError.mapping(error, path: path) {
                throw storeError
            }
            // Each migration commits on its own, so the failed one is the first still unapplied.
            let appliedAfter = try? pool.read { db in try migrator.appliedIdentifiers(db) }
            let failed = appliedAfter.flatMap { after in pending.first { !after.contains($0) } } ?? firstPending
            let reason = StoreError.reason(error)
            logger.error(
                "Store migration failed",
                metadata: ["store.migration": "\(failed)", "error": "\(reason)"]
            )
            throw .migrationFailed(path: path, migration: failed, reason: reason)
        }
        logger.info("Migrated store", metadata: ["store.appliedMigrations": "\(pending)"])
    }
}
