// CSQLite: the C side of the store layer's few direct calls into SQLite that Swift cannot make itself.
//
// SQLite's process-wide configuration (`sqlite3_config`) is a variadic C function, which Swift does not import.
// Every function this target exports starts with `CSQLite_`.

#ifndef CSQLITE_H
#define CSQLITE_H

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

#ifdef __cplusplus
}
#endif

#endif
