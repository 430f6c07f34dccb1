/// An operational failure of an ``SQLiteStore``: the database file, its directory, or the disk it lives on
/// is not in a state the store can work with.
///
/// Every case names the file it concerns, and its ``description`` says what went wrong and what an
/// operator should do about it. Errors that are the caller's business (a constraint violation, an SQL
/// syntax error, an error thrown by the caller's own closure) are not wrapped: they reach the caller
/// unchanged, so a handler can still match on GRDB's `DatabaseError`.
public enum StoreError: Error, Sendable, Equatable {
    /// The store's directory, or one of its parents, is missing and could not be created.
    case cannotCreateDirectory(path: String, reason: String)

    /// The database file could not be created or opened (permissions, a missing mount, a path that is
    /// a directory).
    case cannotOpen(path: String, reason: String)

    /// The file is not an SQLite database, or its content is damaged (`SQLITE_NOTADB`, `SQLITE_CORRUPT`).
    case corrupt(path: String, reason: String)

    /// Another connection held a lock on the database for longer than the busy timeout
    /// (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    case locked(path: String, reason: String)

    /// The database cannot be written: the file, its directory or the file system is read-only
    /// (`SQLITE_READONLY`).
    case readOnly(path: String, reason: String)

    /// The disk holding the database is full (`SQLITE_FULL`).
    case diskFull(path: String, reason: String)

    /// The operating system reported an I/O error while reading or writing the database
    /// (`SQLITE_IOERR`).
    case ioError(path: String, reason: String)

    /// A schema migration failed. Its transaction was rolled back; the migrations registered before it
    /// stay applied.
    case migrationFailed(path: String, migration: String, reason: String)

    /// The database was migrated by a newer version of the service: it records migrations this build
    /// does not know, so this build cannot safely use it.
    case unknownMigrations(path: String, identifiers: [String])

    /// The ``SQLiteStore/Configuration`` is not usable.
    case invalidConfiguration(reason: String)

    /// The store could not close its connections, typically because a statement or cursor is still in use.
    case cannotClose(path: String, reason: String)

    /// The store was used after ``SQLiteStore/close()``.
    case closed(path: String)

    /// The file cannot be rebuilt from its live rows without changing rowids rows are known by
    /// (``SQLiteStore/truncateLog(rebuildingFile:)``).
    case cannotRebuild(path: String, reason: String)
}

extension StoreError: CustomStringConvertible {
    /// What went wrong, and what the operator should do about it.
    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "Cannot create the store directory \(path): \(reason). "
                + "Check that the parent directory exists and is writable by the service's user, "
                + "or point the store at a writable location."
        case .cannotOpen(let path, let reason):
            return "Cannot open the database file \(path): \(reason). "
                + "Check that the path is a regular file (not a directory), that the volume is mounted, "
                + "and that the file and its directory are owned by the service's user."
        case .corrupt(let path, let reason):
            return "The database file \(path) is not a valid SQLite database or is damaged: \(reason). "
                + "Stop the service, keep the file (and any -wal file beside it) for investigation, "
                + "and restore it from a backup, or move it aside to start with an empty store."
        case .locked(let path, let reason):
            return "The database \(path) stayed locked by another connection beyond the busy timeout: \(reason). "
                + "Make sure only one instance of the service uses this file (two replicas sharing a volume "
                + "is the usual cause) and that no tool holds a long transaction on it; "
                + "raise the busy timeout only if the contention is expected."
        case .readOnly(let path, let reason):
            return "The database \(path) cannot be written: \(reason). "
                + "Check that the file, its -wal and -shm files and the directory are writable by the "
                + "service's user and that the file system is not mounted read-only."
        case .diskFull(let path, let reason):
            return "The disk holding the database \(path) is full: \(reason). "
                + "Free space on the volume or grow it; the failed write was rolled back and no committed data "
                + "was lost, so it can simply be tried again."
        case .ioError(let path, let reason):
            return "An I/O error occurred on the database \(path): \(reason). "
                + "Check the kernel log and the health of the disk or network volume, then restart the service."
        case .migrationFailed(let path, let migration, let reason):
            return "Schema migration '\(migration)' failed on \(path): \(reason). "
                + "The migration was rolled back and earlier migrations stay applied. "
                + "This is a defect in the migration or data it did not expect: "
                + "deploy a fixed build, or the previous one."
        case .unknownMigrations(let path, let identifiers):
            return "The database \(path) was migrated by a newer build "
                + "(unknown migrations: \(identifiers.joined(separator: ", "))). "
                + "Deploy the build that created these migrations, or restore a backup taken before them."
        case .invalidConfiguration(let reason):
            return "Invalid store configuration: \(reason). Fix the service's store settings."
        case .cannotClose(let path, let reason):
            return "The store for \(path) could not close its connections: \(reason). "
                + "A statement or cursor is still in use, a defect in the service; the process can still "
                + "exit safely, since SQLite recovers committed data on the next open."
        case .closed(let path):
            return "The store for \(path) was used after it was closed. "
                + "This is a defect in the service: report it with the log leading up to it."
        case .cannotRebuild(let path, let reason):
            return "The store \(path) cannot be rebuilt from its live rows: \(reason). "
                + "This is a defect in the service's schema: give each such table an index or an INTEGER PRIMARY "
                + "KEY in a migration; until then its deleted rows' bytes may stay in the file's unused space."
        }
    }
}
