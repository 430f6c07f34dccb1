import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C API directly, for statements that run once or more per
/// event inside a transaction in hand.
///
/// GRDB's `execute(arguments:)` and `fetchOne` cost more than SQLite's own work for a one-row statement: an array of
/// `DatabaseValue` existentials per call, a cursor object per fetch, scheduling and observation bookkeeping. A direct
/// statement skips them; SQLite's own checks (constraints, types, the transaction) are unchanged.
///
/// ```swift
/// let insert = try DirectStatement(db, sql: "INSERT OR IGNORE INTO seen (id) VALUES (?)")
/// for id in ids {
///     try insert.bind(id, at: 1)
///     let inserted = try insert.execute() > 0
/// }
/// ```
///
/// - Note: In a hot statement, avoid `RETURNING`: Debian's SQLite 3.40 opens and closes an ephemeral table for it
///   on every execution (2–10 µs measured, against 0.7 µs for a one-row upsert); an upsert and a `SELECT` cost less.
///
/// - Important: Direct statements made from the same SQL on one connection are one SQLite statement, with one set
///   of bindings: bind every parameter right before each `execute()`.
///
/// - Important: GRDB does not see what a direct statement does: changes it makes are not reported to GRDB
///   transaction observers (`ValueObservation`, `DatabaseRegionObservation`), and a `SAVEPOINT` it opens is not
///   known to GRDB's savepoint bookkeeping. Use it only on stores without such observers, and only inside the
///   `write` that created it.
public struct DirectStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    /// Where bound texts are kept, for a statement from a ``DirectStatementCache``; `nil` otherwise (SQLite copies).
    private let texts: DirectStatementTexts?

    private static var transient: sqlite3_destructor_type { DirectStatementTexts.transient }

    /// Prepares `sql` on `db`, or takes it from the connection's statement cache (or, inside
    /// ``cachingStatements(in:_:)``, from that cache).
    ///
    /// - Throws: GRDB's `DatabaseError` when the SQL does not compile.
    public init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE) }
        if let cache = DirectStatementCache.current, cache.connection == connection {
            (self.statement, self.texts) = try cache.statement(sql) { try db.cachedStatement(sql: sql) }
        } else {
            self.statement = try db.cachedStatement(sql: sql)
            self.texts = nil
        }
        self.handle = statement.sqliteStatement
        self.connection = connection
        // GRDB resets a statement before its own next use, not after: start from a clean state.
        sqlite3_reset(handle)
    }

    /// Runs `body`, work on the connection of `cache` on this thread (a write transaction's), with the direct
    /// statements it makes found in `cache`, and kept there for the next: a statement made again (the same literal
    /// SQL, once per event) is found without a lookup in GRDB's cache, which hashes the whole SQL text.
    public static func cachingStatements<T>(in cache: DirectStatementCache, _ body: () throws -> T) rethrows -> T {
        try DirectStatementCache.installing(cache, body)
    }

    /// Binds a text to the parameter at `index` (from 1), copied: into memory the statement's cache keeps for that
    /// parameter (``DirectStatementTexts``), or by SQLite for a statement from outside a cache.
    public func bind(_ value: String, at index: Int32) throws {
        // The bytes where the string keeps them (a small string's copied to the stack), without the copy of the
        // string that `withUTF8` needs to be called on; `withUTF8` only for a string not stored as UTF-8.
        let code =
            value.utf8.withContiguousStorageIfAvailable { bind($0, at: index) }
            ?? {
                var value = value
                return value.withUTF8 { bind($0, at: index) }
            }()
        try check(code)
    }

    private func bind(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32) -> Int32 {
        if let texts { return texts.bind(bytes, at: index, to: handle) }
        // An empty buffer may have no address, and a null pointer would bind NULL rather than ''.
        guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, nil) }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
            sqlite3_bind_text(handle, index, text, Int32(bytes.count), Self.transient)
        }
    }

    /// Binds a text to the parameter at `index` (from 1), copied as ``bind(_:at:)-(String,_)`` copies it, or `NULL`
    /// for `nil`.
    public func bind(_ value: String?, at index: Int32) throws {
        guard let value else { return try bindNull(at: index) }
        try bind(value, at: index)
    }

    /// Binds a boolean to the parameter at `index` (from 1), as SQLite stores one: the integer 1 or 0.
    public func bind(_ value: Bool, at index: Int32) throws {
        try bind(Int64(value ? 1 : 0), at: index)
    }

    /// Binds bytes as a blob to the parameter at `index` (from 1), or `NULL` for `nil`; SQLite keeps a copy.
    public func bind(_ value: [UInt8]?, at index: Int32) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        let code = value.withUnsafeBytes { bytes in
            // An empty buffer may have no address, and a null pointer would bind NULL rather than an empty blob.
            guard let base = bytes.baseAddress else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return sqlite3_bind_blob(handle, index, base, Int32(bytes.count), Self.transient)
        }
        try check(code)
    }

    /// Binds an integer to the parameter at `index` (from 1).
    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds an integer to the parameter at `index` (from 1), or `NULL` for `nil`.
    public func bind(_ value: Int64?, at index: Int32) throws {
        guard let value else { return try bindNull(at: index) }
        try bind(value, at: index)
    }

    /// Binds an integer to the parameter at `index` (from 1).
    public func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    /// Binds a floating-point number to the parameter at `index` (from 1).
    public func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds `NULL` to the parameter at `index` (from 1).
    public func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds a database value of any storage class to the parameter at `index` (from 1).
    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        switch value.storage {
        case .null: try bindNull(at: index)
        case .int64(let integer): try bind(integer, at: index)
        case .double(let double): try bind(double, at: index)
        case .string(let string): try bind(string, at: index)
        case .blob(let data): try bind(Array(data), at: index)
        }
    }

    /// Runs the statement to its end and resets it.
    ///
    /// - Returns: The rows the statement inserted, updated or deleted (`sqlite3_changes`).
    /// - Throws: GRDB's `DatabaseError` with SQLite's result code and message.
    @discardableResult
    public func execute() throws -> Int {
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: continue
            case SQLITE_DONE: return Int(sqlite3_changes(connection))
            case let code: throw error(code)
            }
        }
    }

    /// The rowid of the row the connection's last successful `INSERT` made (`sqlite3_last_insert_rowid`): GRDB's
    /// `lastInsertedRowID` checks on each call that it runs on the database's queue, which costs more than the read.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    /// Runs the statement, calling `body` with each row it returns, then resets it.
    ///
    /// - Throws: GRDB's `DatabaseError` with SQLite's result code and message, or what `body` throws (the statement
    ///   stops there).
    public func forEachRow(_ body: (DirectRow) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: try body(DirectRow(handle))
            case SQLITE_DONE: return
            case let code: throw error(code)
            }
        }
    }

    /// Runs the statement for its first row and resets it.
    ///
    /// - Returns: The first row's first column as an integer, or `nil` when there is no row or the value is `NULL`.
    /// - Throws: GRDB's `DatabaseError` with SQLite's result code and message.
    public func fetchInt64() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            // An INSERT, UPDATE or DELETE ... RETURNING has made all its changes by its first row.
            return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        case SQLITE_DONE: return nil
        case let code: throw error(code)
        }
    }

    /// Calls `body` with SQLite's statement handle (`sqlite3_stmt *`), for bindings made in C; the rules of
    /// ``bind(_:at:)-(String,_)`` hold (bind right before each `execute()`).
    public func withHandle<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(handle) }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let extended = sqlite3_extended_errcode(connection)
        return DatabaseError(
            resultCode: ResultCode(rawValue: extended & 0xFF == code & 0xFF ? extended : code),
            message: String(cString: sqlite3_errmsg(connection)), sql: statement.sql)
    }
}
