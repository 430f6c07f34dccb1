import GRDB
import OTStore
import Synchronization

/// The events a store remembers having processed (its de-duplication window), looked up in memory.
///
/// `ot_processed_events` is a rowid table written in arrival order: each new event id is an append, and a commit
/// touches the last pages only. With the event's source and id as its key (ids are random UUIDs), every insert
/// landed on a page of its own: a commit touched more pages the longer the store lived, and after 1,000,000
/// events a store processed at 55–61 % of a fresh one's rate. The lookups go to this index instead: a hash of
/// source and id (this process's own hashing, rebuilt from the table when the store is first used) to the rows
/// that have it, each hit checked against the row itself, so that two ids with the same hash are never confused.
///
/// Changes made in a transaction are held apart and join the index when it commits; a rollback drops them. Every
/// method runs on the store's writer, inside a transaction.
final class ProcessedEventIndex: Sendable {
    private struct State {
        var loaded = false
        var rows = RowsByHash()
        /// Rows inserted by the transaction in hand, and rows it deleted (with their hashes, to take them out of the
        /// index when it commits).
        var added = RowsByHash()
        var removedRows: Set<Int64> = []
        var removed: [(hash: Int, row: Int64)] = []
    }

    private let state = Mutex(State())
    private let hash: @Sendable (String, String) -> Int

    /// An empty index, filled from the table the first time it is used; `hash` is for tests (one that gives every
    /// id the same hash shows that a hit is checked against its row).
    init(hash: @escaping @Sendable (String, String) -> Int = ProcessedEventIndex.hash) {
        self.hash = hash
    }

    /// The statements of one transaction: prepared (or taken from the connection's cache) once per partition group.
    struct Statements {
        let insert: DirectStatement
        let select: DirectStatement
        let delete: DirectStatement

        init(_ db: Database) throws {
            insert = try DirectStatement(
                db, sql: "INSERT INTO ot_processed_events (source, id, processed_at) VALUES (?, ?, ?)")
            select = try DirectStatement(db, sql: "SELECT source, id FROM ot_processed_events WHERE rowid = ?")
            delete = try DirectStatement(db, sql: "DELETE FROM ot_processed_events WHERE rowid = ?")
        }
    }

    /// Records the event `source`/`id` as processed at `processedAt`; `false` when it was already.
    func firstSeen(source: String, id: String, processedAt: Int64, db: Database, _ statements: Statements) throws
        -> Bool
    {
        try loadIfNeeded(db)
        let hash = self.hash(source, id)
        if try row(of: source, id, hash: hash, statements) != nil { return false }
        try statements.insert.bind(source, at: 1)
        try statements.insert.bind(id, at: 2)
        try statements.insert.bind(processedAt, at: 3)
        _ = try statements.insert.execute()
        let row = statements.insert.lastInsertedRowID
        note { $0.added.insert(row, hash: hash) }
        return true
    }

    /// Forgets that the event `source`/`id` was processed.
    func forget(source: String, id: String, db: Database, _ statements: Statements) throws {
        try loadIfNeeded(db)
        let hash = self.hash(source, id)
        guard let row = try row(of: source, id, hash: hash, statements) else { return }
        try statements.delete.bind(row, at: 1)
        _ = try statements.delete.execute()
        noteRemoved([(hash, row)])
    }

    /// Deletes the records of events processed before `cutoff` (seconds since 1970): a full scan, run about hourly
    /// (``Worker``), rather than an index every event would pay to maintain; their tombstones go to the changelog as
    /// any deletion's.
    /// - Returns: The records deleted.
    func prune(before cutoff: Int64, db: Database) throws -> Int {
        try loadIfNeeded(db)
        // A cursor: the first pruning of a store that kept its records for ever (before 2026-12-02) deletes many.
        let rows = try Row.fetchCursor(
            db, sql: "DELETE FROM ot_processed_events WHERE processed_at < ? RETURNING rowid, source, id",
            arguments: [cutoff])
        var removed: [(hash: Int, row: Int64)] = []
        while let row = try rows.next() { removed.append((self.hash(row[1], row[2]), row[0])) }
        if !removed.isEmpty { noteRemoved(removed) }
        return removed.count
    }

    private func noteRemoved(_ removed: [(hash: Int, row: Int64)]) {
        note { state in
            for (hash, row) in removed {
                state.added.remove(row, hash: hash)
                state.removedRows.insert(row)
            }
            state.removed += removed
        }
    }

    /// The row of `source`/`id`, as this transaction sees it.
    private func row(of source: String, _ id: String, hash: Int, _ statements: Statements) throws -> Int64? {
        let candidates = state.withLock { state -> [Int64] in
            var candidates = state.rows.rows(hash)
            if !state.removedRows.isEmpty { candidates.removeAll { state.removedRows.contains($0) } }
            let added = state.added.rows(hash)
            if !added.isEmpty { candidates += added }
            return candidates
        }
        for candidate in candidates {
            try statements.select.bind(candidate, at: 1)
            var matches = false
            try statements.select.forEachRow { row in matches = row.text(0) == source && row.text(1) == id }
            if matches { return candidate }
        }
        return nil
    }

    /// Reads every remembered event into the index, the first time the store is used.
    private func loadIfNeeded(_ db: Database) throws {
        guard !state.withLock({ $0.loaded }) else { return }
        var rows = RowsByHash()
        let cursor = try Row.fetchCursor(db, sql: "SELECT rowid, source, id FROM ot_processed_events")
        while let row = try cursor.next() { rows.insert(row[0], hash: self.hash(row[1], row[2])) }
        state.withLock { state in
            state.rows = rows
            state.loaded = true
        }
    }

    /// Notes a change of the transaction in hand; it joins the index when the transaction commits
    /// (``transactionEnded(committed:)``).
    private func note(_ change: (inout State) -> Void) {
        state.withLock { change(&$0) }
    }

    /// The store's transaction ended: its changes join the index if it committed, and are dropped if not. The
    /// store's ``TransactionHooks`` call it after every transaction.
    func transactionEnded(committed: Bool) {
        state.withLock { state in
            guard !state.added.isEmpty || !state.removed.isEmpty || !state.removedRows.isEmpty else { return }
            if committed {
                for (hash, row) in state.removed { state.rows.remove(row, hash: hash) }
                state.added.forEach { hash, row in state.rows.insert(row, hash: hash) }
            }
            Self.clearTransaction(&state)
        }
    }

    private static func clearTransaction(_ state: inout State) {
        state.added.removeAll()
        state.removedRows.removeAll()
        state.removed.removeAll()
    }

    /// The process's own hashing of an event's source and id.
    static func hash(_ source: String, _ id: String) -> Int {
        var hasher = Hasher()
        hasher.combine(source)
        hasher.combine(id)
        return hasher.finalize()
    }
}
