// CSQLite: the C side of the store layer's few direct calls into SQLite that Swift cannot make itself.
//
// SQLite's process-wide configuration (`sqlite3_config`) is a variadic C function, which Swift does not import.
// Every function this target exports starts with `CSQLite_`.

#ifndef CSQLITE_H
#define CSQLITE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Turns off SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`) for the whole process.
///
/// With statistics on, which is SQLite's default, every allocation and free SQLite makes takes one process-wide
/// mutex to count it; connections writing on several threads then contend for it on every statement. Without them,
/// `sqlite3_memory_used`, `sqlite3_memory_highwater`, `sqlite3_status64` and the heap limits do not work; nothing
/// here uses them.
///
/// Takes effect only before SQLite initialises (before the process's first connection).
///
/// @return `SQLITE_OK`, or `SQLITE_MISUSE` when SQLite was already initialised (the setting is then unchanged).
int CSQLite_disableMemoryStatistics(void);

/// Whether the errors SQLite reports are counted per thread: SQLite's error log (process-wide) is installed when this
/// library loads, before anything can use SQLite. Every statement that fails is an error, so that what it changed
/// before it failed, which SQLite undid, can be told from what stands (``CSQLite_changeNotesInstall``).
int CSQLite_errorsCounted(void);

/// The errors SQLite reported on the calling thread so far (with ``CSQLite_noteThreadRollback``'s).
unsigned long CSQLite_threadErrorCount(void);

/// Counts a rollback to a savepoint on the calling thread as an error: what was changed since the savepoint was
/// undone.
void CSQLite_noteThreadRollback(void);

/// An opaque SQLite connection handle (`sqlite3 *`), as every SQLite binding passes it.
typedef struct sqlite3 sqlite3;

/// An opaque SQLite prepared statement (`sqlite3_stmt *`).
typedef struct sqlite3_stmt sqlite3_stmt;

/// The keys of the rows a connection changes, noted by SQLite's pre-update hook as the changes happen: the cheap
/// way to know what a transaction changed in tables one does not write oneself (triggers cost a sub-program and a
/// statement journal per statement). One per connection; used only on that connection's thread.
typedef struct CSQLite_ChangeNotes CSQLite_ChangeNotes;

/// The most primary-key columns a noted `WITHOUT ROWID` table may have.
#define CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS 4

/// Starts noting changes on `db` to the `tableCount` tables named in `tables` (of the `main` schema): a rowid table
/// when `keyColumnCounts[i]` is 0 (noted by rowid), else a `WITHOUT ROWID` table whose primary key is the columns
/// `keyColumns[i][0..<keyColumnCounts[i]]` (by position in the table). Changes to other tables are ignored.
///
/// `selects[i]` reads a noted row of table `i` for ``CSQLite_changeNotesCollect``: bound to the rowid (`?1`) or the
/// key's values (`?1`...), it returns exactly one row: the row key as text, whether the row exists (0 or 1), then
/// the values to record (all NULL when it does not exist).
///
/// `columnCounts[i]` > 0 (the table's column count: no hidden or generated columns, none of REAL affinity, whose
/// integral values SQLite stores as integers) has the hook take a changed row's new values as it changes, so that
/// the collect reads no row back, unless anything was undone on the connection's thread meanwhile (a statement
/// failed or a savepoint was rolled back: ``CSQLite_threadErrorCount``; installing runs a statement that fails, and
/// if it is not counted, the error log was replaced and nothing is taken); 0
/// reads every noted row back with `selects[i]`.
///
/// Every record's value begins with the `prefixLength` bytes of `valuePrefix` (the store's schema).
///
/// Replaces any pre-update hook of the connection. Requires SQLite built with `SQLITE_ENABLE_PREUPDATE_HOOK`.
/// @return The notes, or NULL when out of memory or a table has more than `CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS`
///   key columns.
CSQLite_ChangeNotes *CSQLite_changeNotesInstall(
    sqlite3 *db, const char *const *tables, const int *keyColumnCounts, const int *const *keyColumns,
    const char *const *selects, const int *columnCounts, int tableCount, const unsigned char *valuePrefix,
    int prefixLength);

/// Where one changed row's record is in the bytes ``CSQLite_changeNotesCollect`` returns: its key (`<table>` 0x1F
/// `<row key>`) at `keyOffset`, `keyLength` bytes, then its value (the value prefix and the row's current values in
/// the changelog's row codec), `valueLength` bytes, or `valueLength` -1 when the row no longer exists.
typedef struct {
    long long keyOffset;
    int keyLength;
    int valueLength;
} CSQLite_ChangeRecordRange;

/// The records of every noted row (in the order first noted, each row once), its values as the hook took them or
/// read back, each value after the install's value prefix; then clears the notes. Run inside the transaction that
/// made the changes, before its commit. On success the records' `*length` bytes at `*bytes` and the `*count` ranges
/// at `*ranges` are valid until ``CSQLite_changeNotesReleaseRecords``, the next collect or
/// ``CSQLite_changeNotesFree``.
/// @return `SQLITE_OK` or SQLite's error code (the notes are kept then).
int CSQLite_changeNotesCollect(
    CSQLite_ChangeNotes *notes, const unsigned char **bytes, size_t *length, const CSQLite_ChangeRecordRange **ranges,
    int *count);

/// Lets the last collect's records go (a large collect's memory is freed, a small one's kept for the next).
void CSQLite_changeNotesReleaseRecords(CSQLite_ChangeNotes *notes);

/// Forgets the notes taken since the last collect or clear (a rolled-back transaction's, or changes that need no
/// note).
void CSQLite_changeNotesClear(CSQLite_ChangeNotes *notes);

/// Stops (`paused` non-zero) or resumes noting changes: for changes that need no note (a restore's).
void CSQLite_changeNotesSetPaused(CSQLite_ChangeNotes *notes, int paused);

/// The number of notes waiting.
int CSQLite_changeNotesCount(const CSQLite_ChangeNotes *notes);

/// How many noted rows the collects have read back with their table's select (not taken by the hook) so far.
unsigned long CSQLite_changeNotesReadBackCount(const CSQLite_ChangeNotes *notes);

/// How many notes there is room for without growing, for tests and diagnostics.
int CSQLite_changeNotesCapacity(const CSQLite_ChangeNotes *notes);

/// Binds the values of a row in the changelog's row codec (a 16-bit big-endian count, then per value a tag: 0 null,
/// 1 integer and 2 real with 8 big-endian bytes, 3 text and 4 blob with a 32-bit big-endian length and the bytes) to
/// parameters 1... of `statement`, copying texts and blobs.
/// @return The number of values bound, or -1 when the bytes are not such a row, or -2 when binding failed.
int CSQLite_bindRow(sqlite3_stmt *statement, const unsigned char *bytes, int length);

/// Removes the hook from the connection and frees the notes. Call before the connection closes, on its thread.
void CSQLite_changeNotesFree(CSQLite_ChangeNotes *notes);

#ifdef __cplusplus
}
#endif

#endif
