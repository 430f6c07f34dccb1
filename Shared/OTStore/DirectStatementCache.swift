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

    private struct Entry {
        /// The text's address and length: plain values, compared first.
        var address: UnsafeRawPointer?
        let count: Int
        let text: String
        let statement: Statement
        /// Where the texts bound to it are kept; `nil` when it has no parameters.
        let texts: DirectStatementTexts?
    }

    /// The entries, the first ``count`` of ``capacity`` initialized, and a table of ``slotCount`` slots that maps
    /// a text's address to the entry last found at it (its index + 1; 0 for none), for a lookup without a scan.
    /// Memory of its own rather than arrays in properties: a property of a class is checked for exclusive access on
    /// every use (`swift_beginAccess`, about 60 instructions), three of them a lookup, which cost more than the rest.
    private let entries: UnsafeMutablePointer<Entry>
    private let used: UnsafeMutablePointer<Int>
    private let slots: UnsafeMutablePointer<Int32>

    /// The most statements kept: more than a store makes (its service's, the runtime's, a restore's two per
    /// changelog table), so that none is left out.
    static let capacity = 128
    /// Twice the capacity, a power of two.
    private static let slotCount = 256

    /// A cache for the statements of `db`'s connection.
    public init(for db: Database) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE) }
        self.connection = connection
        entries = .allocate(capacity: Self.capacity)
        used = .allocate(capacity: 1)
        used.initialize(to: 0)
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: 0, count: Self.slotCount)
    }

    deinit {
        releaseTexts()
        entries.deinitialize(count: used.pointee)
        entries.deallocate()
        used.deallocate()
        slots.deallocate()
    }

    /// How many statements it keeps.
    var count: Int { used.pointee }

    /// Lets every statement go, so that the connection can close.
    public func removeAll() {
        releaseTexts()
        entries.deinitialize(count: used.pointee)
        used.pointee = 0
        slots.update(repeating: 0, count: Self.slotCount)
    }

    /// Clears the bindings of every statement with texts kept here, and frees those texts.
    private func releaseTexts() {
        for index in 0..<used.pointee {
            entries[index].texts?.release(from: entries[index].statement.sqliteStatement)
        }
    }

    /// The slot of a text's address (Fibonacci hashing: addresses share their low bits).
    private static func slot(of address: UnsafeRawPointer?) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: address)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    /// The statement for `sql`: the one taken before, or `make()`'s, kept; and where the texts bound to it are kept,
    /// `nil` for a statement without parameters or not kept (the cache is full).
    func statement(
        _ sql: String, orMake make: () throws -> Statement
    ) rethrows -> (statement: Statement, texts: DirectStatementTexts?) {
        let address = sql.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        let count = sql.utf8.count
        let slot = Self.slot(of: address)
        let candidate = Int(slots[slot]) - 1
        if candidate >= 0, entries[candidate].address == address, entries[candidate].count == count,
            entries[candidate].text == sql
        {
            return (entries[candidate].statement, entries[candidate].texts)
        }
        let used = self.used.pointee
        for index in 0..<used
        where entries[index].address == address && entries[index].count == count && entries[index].text == sql {
            slots[slot] = Int32(index + 1)
            return (entries[index].statement, entries[index].texts)
        }
        // The same text at another address: built again at run time. Kept once, found at its latest address.
        for index in 0..<used where entries[index].text == sql {
            entries[index].address = address
            slots[slot] = Int32(index + 1)
            return (entries[index].statement, entries[index].texts)
        }
        let statement = try make()
        guard used < Self.capacity else { return (statement, nil) }
        let texts = DirectStatementTexts(for: statement.sqliteStatement)
        (entries + used).initialize(
            to: Entry(address: address, count: count, text: sql, statement: statement, texts: texts))
        self.used.pointee = used + 1
        slots[slot] = Int32(used + 1)
        return (statement, texts)
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
