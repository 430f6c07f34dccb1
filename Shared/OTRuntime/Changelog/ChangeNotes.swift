import CSQLite
import Foundation
import GRDB

/// The keys of the rows a store's writer connection changes in the tables the changelog records, noted by
/// SQLite's pre-update hook (CSQLite) as the changes happen; at the end of each write transaction
/// (``PartitionStore/write(_:)``), still inside it, the rows' current values are read as changelog records.
///
/// The hook also takes each changed row's new values as it changes (a row changed again replaces them), so that the
/// end of the transaction reads nothing back; unless something was undone meanwhile on the writer's thread (a
/// statement failed, which SQLite counts, or the runtime rolled back a savepoint: `CSQLite_noteThreadRollback`),
/// then every noted row is read back. Reading back was a query per changed row, 9 % of `ot-registrations`' time.
///
/// Triggers did the same at about 7 µs per noted change (a trigger sub-program and a statement journal for every
/// statement that fires one); with the hook the runtime benchmark went from 52–55 to 49 µs per event. Used on the
/// writer connection's queue only.
final class ChangeNotes: @unchecked Sendable {
    private let notes: OpaquePointer

    /// Starts noting changes to `tables` on the writer connection `db`; each record's value will begin with
    /// `valuePrefix`.
    init(tables: [ChangelogTable], on db: Database, valuePrefix: [UInt8]) throws {
        var names: [UnsafePointer<CChar>?] = []
        var counts: [Int32] = []
        var keyIndexes: [[Int32]] = []
        for table in tables {
            let keys = try (table.keyColumns ?? []).map { column -> Int32 in
                guard let index = table.columns.firstIndex(of: column) else {
                    throw ChangelogError.unsupportedTable(table.name, reason: "no column \(column)")
                }
                return Int32(index)
            }
            counts.append(Int32(keys.count))
            keyIndexes.append(keys)
        }
        let copies = tables.map { strdup($0.name) }
        defer { copies.forEach { free($0) } }
        names = copies.map { UnsafePointer($0) }
        let selects = tables.map { strdup($0.recordSelect) }
        defer { selects.forEach { free($0) } }
        let columnCounts = tables.map { Int32($0.valuesTakenInHook ? $0.columns.count : 0) }
        let installed = withPointers(to: keyIndexes) { keyPointers in
            valuePrefix.withUnsafeBufferPointer { prefix in
                CSQLite_changeNotesInstall(
                    db.sqliteConnection, names, counts, keyPointers, selects.map { UnsafePointer($0) }, columnCounts,
                    Int32(tables.count), prefix.baseAddress, Int32(prefix.count))
            }
        }
        guard let installed else {
            throw ChangelogError.unsupportedTable(
                tables.first { ($0.keyColumns?.count ?? 0) > Int(CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS) }?.name ?? "?",
                reason: "a primary key of more than \(CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS) columns")
        }
        notes = installed
    }

    /// The changed rows' records, with their current values (in the transaction in hand), in the order changed;
    /// the notes are cleared.
    func collect() throws -> [ChangeRecord] {
        guard CSQLite_changeNotesCount(notes) > 0 else { return [] }
        // The C side writes every record into one buffer of its own, which is copied here once: the records share
        // that copy. A callback per record that appended its key and value here cost about 1,000 instructions a
        // record, most of it checks of exclusive access and generic appends; without it `ot-registrations` ran
        // 1.3 % fewer instructions per event (callgrind, 2026-12-07).
        var bytes: UnsafePointer<UInt8>?
        var length = 0
        var ranges: UnsafePointer<CSQLite_ChangeRecordRange>?
        var count: Int32 = 0
        let code = CSQLite_changeNotesCollect(notes, &bytes, &length, &ranges, &count)
        guard code == ResultCode.SQLITE_OK.rawValue else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot read changed rows")
        }
        defer { CSQLite_changeNotesReleaseRecords(notes) }
        guard count > 0, let bytes, let ranges else { return [] }
        // One memcpy (`Array(UnsafeBufferPointer)` copied byte by byte).
        let copy = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            buffer.baseAddress!.initialize(from: bytes, count: length)
            initialized = length
        }
        let records = UnsafeBufferPointer(start: ranges, count: Int(count))
        var changes: [ChangeRecord] = []
        changes.reserveCapacity(records.count)
        for record in records {
            let key = Int(record.keyOffset)..<(Int(record.keyOffset) + Int(record.keyLength))
            let value = record.valueLength < 0 ? nil : copy[key.upperBound..<(key.upperBound + Int(record.valueLength))]
            changes.append(ChangeRecord(key: copy[key], value: value))
        }
        return changes
    }

    /// How many noted rows the collects have read back so far, not taken by the hook.
    var readBackCount: Int { Int(CSQLite_changeNotesReadBackCount(notes)) }

    /// How many notes there is room for between transactions (a large transaction's room is given back after it).
    var capacity: Int { Int(CSQLite_changeNotesCapacity(notes)) }

    /// Tells the notes of any store written on this thread that a savepoint was rolled back: the rows changed since
    /// it are back as they were, so the values the hook took for them no longer stand, and the transaction's notes
    /// are read back.
    static func savepointRolledBack() { CSQLite_noteThreadRollback() }

    /// Stops or resumes noting changes (on the writer's queue): a restore's rows need no notes, the changelog has
    /// them.
    func setPaused(_ paused: Bool) { CSQLite_changeNotesSetPaused(notes, paused ? 1 : 0) }

    /// Forgets the notes: the transaction rolled back, or its changes need none (a restore).
    func clear() { CSQLite_changeNotesClear(notes) }

    /// Removes the hook and frees the notes; on the writer's queue, before the connection closes.
    func release() { CSQLite_changeNotesFree(notes) }
}

/// Calls `body` with a C array of pointers to each of `arrays`' elements.
private func withPointers<R>(to arrays: [[Int32]], _ body: ([UnsafePointer<Int32>?]) -> R) -> R {
    let buffers = arrays.map { array -> UnsafeMutablePointer<Int32> in
        let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: max(array.count, 1))
        buffer.initialize(from: array, count: array.count)
        return buffer
    }
    defer { buffers.forEach { $0.deallocate() } }
    return body(buffers.map { UnsafePointer($0) })
}
