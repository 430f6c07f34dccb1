import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// The direct statements a store's writer connection made, kept while the store is open and found by the address
/// and length of their SQL text, each checked against the text itself (``DirectStatement/cachingStatements(in:_:)``).
///
/// GRDB's statement cache hashes the whole SQL text on every lookup (2.5 % of `ot-registrations`' samples at full
/// speed, a hot transaction making the same few statements for every event); a literal's text is the same bytes at
/// the same address every time, so here a lookup compares two integers and, for the entry found, the two strings,
/// which for the same literal is one comparison of their storage. A text built at run time may take the address of
/// one freed before it: the string comparison tells them apart; a text built again is kept once; a text not found
/// goes to GRDB's cache.
///
/// - Important: A connection does not close while a statement of it is held: call ``removeAll()`` (on the writer's
///   queue) before the store closes. Used on the writer connection's queue only.
public final class DirectStatementCache: @unchecked Sendable {
    /// The connection whose statements these are.
    let connection: OpaquePointer
    /// Each statement's text by address and length (plain values, scanned without a retain), the text itself and
    /// the statement, at the same index.
    private var places: [(address: UnsafeRawPointer?, count: Int)] = []
    private var texts: [String] = []
    private var statements: [Statement] = []

    /// The most statements kept: more than a store makes (its service's, the runtime's, a restore's two per
    /// changelog table), so that none is left out.
    static let capacity = 128

    /// A cache for the statements of `db`'s connection.
    public init(for db: Database) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE) }
        self.connection = connection
        places.reserveCapacity(16)
    }

    /// How many statements it keeps.
    var count: Int { statements.count }

    /// Lets every statement go, so that the connection can close.
    public func removeAll() {
        places.removeAll()
        texts.removeAll()
        statements.removeAll()
    }

    /// The statement for `sql`: the one taken before, or `make()`'s, kept.
    func statement(_ sql: String, orMake make: () throws -> Statement) rethrows -> Statement {
        let address = sql.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        let count = sql.utf8.count
        for index in places.indices where places[index] == (address, count) && texts[index] == sql {
            return statements[index]
        }
        // The same text at another address: built again at run time. Kept once, found at its latest address.
        if let index = texts.firstIndex(of: sql) {
            places[index] = (address, count)
            return statements[index]
        }
        let statement = try make()
        if places.count < Self.capacity {
            places.append((address, count))
            texts.append(sql)
            statements.append(statement)
        }
        return statement
    }
}

extension DirectStatementCache {
    /// This thread's cache while a ``DirectStatement/cachingStatements(in:_:)`` runs on it.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key for the statement cache")
        return key
    }()

    /// The cache of the transaction running on this thread, if any.
    static var current: DirectStatementCache? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<DirectStatementCache>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Runs `body` with `cache` as this thread's, then puts back the one before.
    static func installing<T>(_ cache: DirectStatementCache, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(cache).toOpaque())
        defer { pthread_setspecific(key, previous) }
        return try withExtendedLifetime(cache) { try body() }
    }
}
