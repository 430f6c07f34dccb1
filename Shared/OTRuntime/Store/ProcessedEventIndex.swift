import Foundation
import GRDB
import OTStore
import Synchronization

/// The events a store remembers having processed (its de-duplication window), looked up in memory.
///
/// `ot_processed_batches` holds them a transaction at a time: the events a transaction records as new wait in memory
/// and are written when it ends (``flush(db:)``), up to 512 events or 64 KiB per row (``ProcessedEventList``) with
/// their processing time (the transaction's). So a partition group's records are one insert and one changelog
/// record: one of each per event were 8 % of `ot-registrations`' instructions per event (callgrind, operations.md).
/// Rows are appended in the order they are written, so a commit touches the table's last pages only, however long the
/// store has lived.
///
/// The lookups go to this index: a hash of source and id (this process's own hashing, rebuilt from the table when the
/// store is first used) to the rows holding an event with that hash, each hit checked against the row itself, so
/// that two ids with the same hash are never confused.
///
/// Changes made in a transaction are held apart and join the index when it commits; a rollback drops them. Every
/// method runs on the store's writer, inside a transaction.
final class ProcessedEventIndex: Sendable {
    /// An event recorded by the transaction in hand and not written yet.
    private struct Pending {
        let source: String
        let id: String
        let hash: Int
        let processedAt: Int64
    }

    private struct State {
        var loaded = false
        /// The committed rows, by the hashes of the events they hold.
        var rows = RowsByHash()
        /// The events the transaction in hand recorded and has not written (`nil`: forgotten again), and their
        /// positions (from 1) by hash.
        var pending: [Pending?] = []
        var pendingByHash = RowsByHash()
        /// The rows the transaction in hand wrote, with their events' hashes: a list, which joins ``rows`` at the
        /// commit (in the runtime a transaction writes its events at its end, and looks none up after that).
        var written: [(hash: Int, row: Int64)] = []
        /// Events the transaction in hand took out of committed rows, with their rows.
        var removed: [(hash: Int, row: Int64)] = []
    }

    private let state = Mutex(State())
    private let hash: @Sendable (String, String) -> Int

    /// An empty index, filled from the table the first time it is used; `hash` is for tests (one that gives every
    /// id the same hash shows that a hit is checked against its row).
    init(hash: @escaping @Sendable (String, String) -> Int = ProcessedEventIndex.hash) {
        self.hash = hash
    }

    /// The statements, each prepared (or taken from the connection's cache) where it is used: a transaction that
    /// looks up a hit reads a row, one that ends writes rows, and only forgetting changes one.
    private enum SQL {
        static let insert = "INSERT INTO ot_processed_batches (processed_at, events) VALUES (?, ?)"
        static let select = "SELECT events FROM ot_processed_batches WHERE rowid = ?"
        static let update = "UPDATE ot_processed_batches SET events = ? WHERE rowid = ?"
        static let delete = "DELETE FROM ot_processed_batches WHERE rowid = ?"
    }

    /// Records the event `source`/`id` as processed at `processedAt`; `false` when it was already. It is written
    /// when the transaction ends (``flush(db:)``).
    func firstSeen(source: String, id: String, processedAt: Int64, db: Database) throws -> Bool {
        try loadIfNeeded(db)
        let hash = self.hash(source, id)
        let (recorded, candidates) = state.withLock { state -> (Bool, [Int64]) in
            if Self.pendingPosition(of: source, id, hash: hash, in: state) != nil { return (true, []) }
            return (false, Self.rows(hash, in: state))
        }
        if recorded { return false }
        for row in candidates where try events(of: row, db)?.contains(where: { $0 == (source, id) }) == true {
            return false
        }
        state.withLock { state in
            state.pending.append(Pending(source: source, id: id, hash: hash, processedAt: processedAt))
            state.pendingByHash.insert(Int64(state.pending.count), hash: hash)
        }
        return true
    }

    /// Forgets that the event `source`/`id` was processed.
    func forget(source: String, id: String, db: Database) throws {
        try loadIfNeeded(db)
        let hash = self.hash(source, id)
        let candidates = state.withLock { state -> [Int64] in
            if let position = Self.pendingPosition(of: source, id, hash: hash, in: state) {
                state.pending[position - 1] = nil
                state.pendingByHash.remove(Int64(position), hash: hash)
                return []
            }
            return Self.rows(hash, in: state)
        }
        for row in candidates {
            guard var events = try events(of: row, db),
                let index = events.firstIndex(where: { $0 == (source, id) })
            else { continue }
            events.remove(at: index)
            if events.isEmpty {
                let delete = try DirectStatement(db, sql: SQL.delete)
                try delete.bind(row, at: 1)
                _ = try delete.execute()
            } else {
                let update = try DirectStatement(db, sql: SQL.update)
                try update.bind(ProcessedEventList.encode(events), at: 1)
                try update.bind(row, at: 2)
                _ = try update.execute()
            }
            noteRemoved([(hash, row)])
            return
        }
    }

    /// Writes the events the transaction in hand recorded: ``PartitionStore`` calls it at the end of every write
    /// transaction, before the transaction's changes are read for the changelog.
    func flush(db: Database) throws {
        // Taken whole: the events are read where they are, not copied.
        let pending = state.withLock { state -> [Pending?] in
            defer {
                state.pending = []
                state.pendingByHash.removeAll()
            }
            return state.pending
        }
        guard !pending.isEmpty else { return }
        let insert = try DirectStatement(db, sql: SQL.insert)
        var rows = ProcessedEventList.Rows()
        // The hashes of the row in hand's events, and of the event that started the next when it was finished.
        var hashes: [Int] = []
        func write(_ row: (processedAt: Int64, bytes: [UInt8])?, hashes: ArraySlice<Int>) throws {
            guard let row else { return }
            try insert.bind(row.processedAt, at: 1)
            try insert.bind(row.bytes, at: 2)
            _ = try insert.execute()
            let rowID = insert.lastInsertedRowID
            state.withLock { state in
                for hash in hashes { state.written.append((hash, rowID)) }
            }
        }
        for case let event? in pending {
            hashes.append(event.hash)
            if let finished = rows.append(source: event.source, id: event.id, processedAt: event.processedAt) {
                try write(finished, hashes: hashes.dropLast())
                hashes.removeFirst(hashes.count - 1)
            }
        }
        try write(rows.take(), hashes: hashes[...])
    }

    /// Deletes the records of events processed before `cutoff` (seconds since 1970): a full scan, run about hourly
    /// (``Worker``), rather than an index every transaction would pay to maintain; their tombstones go to the
    /// changelog as any deletion's.
    /// - Returns: The events forgotten.
    func prune(before cutoff: Int64, db: Database) throws -> Int {
        try loadIfNeeded(db)
        // A cursor: a store's first pruning after a long time deletes many.
        let rows = try Row.fetchCursor(
            db, sql: "DELETE FROM ot_processed_batches WHERE processed_at < ? RETURNING rowid, events",
            arguments: [cutoff])
        var removed: [(hash: Int, row: Int64)] = []
        while let row = try rows.next() {
            let rowID: Int64 = row[0]
            let bytes: Data = row[1]
            for event in try bytes.withUnsafeBytes(ProcessedEventList.decode) {
                removed.append((self.hash(event.source, event.id), rowID))
            }
        }
        if !removed.isEmpty { noteRemoved(removed) }
        return removed.count
    }

    private func noteRemoved(_ removed: [(hash: Int, row: Int64)]) {
        state.withLock { state in
            for (hash, row) in removed {
                // A row this transaction wrote leaves its pairs; a committed one's leave the index at the commit.
                if let index = state.written.firstIndex(where: { $0 == (hash, row) }) {
                    state.written.remove(at: index)
                } else {
                    state.removed.append((hash, row))
                }
            }
        }
    }

    /// The committed rows and those the transaction in hand wrote that hold an event with `hash`.
    private static func rows(_ hash: Int, in state: State) -> [Int64] {
        var rows = state.rows.rows(hash)
        for (written, row) in state.written where written == hash { rows.append(row) }
        return rows
    }

    /// The position (from 1) of `source`/`id` among the transaction's unwritten events.
    private static func pendingPosition(of source: String, _ id: String, hash: Int, in state: State) -> Int? {
        guard !state.pendingByHash.isEmpty else { return nil }
        for position in state.pendingByHash.rows(hash) {
            if let event = state.pending[Int(position) - 1], event.source == source, event.id == id {
                return Int(position)
            }
        }
        return nil
    }

    /// The events of `row`, as this transaction sees it; `nil` if it has none (deleted).
    private func events(of row: Int64, _ db: Database) throws -> [(source: String, id: String)]? {
        let select = try DirectStatement(db, sql: SQL.select)
        try select.bind(row, at: 1)
        var events: [(source: String, id: String)]?
        try select.forEachRow { selected in
            events = try selected.withBlob(0) { bytes throws(ProcessedEventList.Malformed) in
                try ProcessedEventList.decode(bytes)
            }
        }
        return events
    }

    /// Reads every remembered event into the index, the first time the store is used.
    private func loadIfNeeded(_ db: Database) throws {
        guard !state.withLock({ $0.loaded }) else { return }
        var rows = RowsByHash()
        let select = try DirectStatement(db, sql: "SELECT rowid, events FROM ot_processed_batches")
        try select.forEachRow { row in
            guard let rowID = row.int64(0), let events = try row.withBlob(1, ProcessedEventList.decode) else {
                throw ProcessedEventList.Malformed()
            }
            for event in events { rows.insert(rowID, hash: self.hash(event.source, event.id)) }
        }
        state.withLock { state in
            state.rows = rows
            state.loaded = true
        }
    }

    /// The store's transaction ended: its changes join the index if it committed, and are dropped if not. The
    /// store's ``TransactionHooks`` call it after every transaction.
    func transactionEnded(committed: Bool) {
        state.withLock { state in
            guard !state.written.isEmpty || !state.removed.isEmpty || !state.pending.isEmpty else { return }
            assert(!committed || state.pending.allSatisfy { $0 == nil }, "a transaction committed unwritten events")
            if committed {
                for (hash, row) in state.removed { state.rows.remove(row, hash: hash) }
                for (hash, row) in state.written { state.rows.insert(row, hash: hash) }
            }
            state.pending.removeAll(keepingCapacity: state.pending.count <= RowsByHash.roomKept)
            state.pendingByHash.removeAll()
            state.written.removeAll(keepingCapacity: state.written.count <= RowsByHash.roomKept)
            state.removed.removeAll()
        }
    }

    /// The process's own hashing of an event's source and id.
    static func hash(_ source: String, _ id: String) -> Int {
        var hasher = Hasher()
        hasher.combine(source)
        hasher.combine(id)
        return hasher.finalize()
    }
}
