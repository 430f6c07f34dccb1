#include "CSQLite.h"

#include <sqlite3.h>

int CSQLite_disableMemoryStatistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

// MARK: - Change notes (the pre-update hook)

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

// Debian's libsqlite3 is built with SQLITE_ENABLE_PREUPDATE_HOOK, but its header declares these only when the
// macro is set for the includer too.
void *sqlite3_preupdate_hook(
    sqlite3 *db,
    void (*xPreUpdate)(void *, sqlite3 *, int, char const *, char const *, sqlite3_int64, sqlite3_int64), void *);
int sqlite3_preupdate_old(sqlite3 *, int, sqlite3_value **);
int sqlite3_preupdate_new(sqlite3 *, int, sqlite3_value **);

typedef struct {
    char *name;
    int keyCount;  // 0: a rowid table
    int keys[CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS];
} NotedTable;

typedef struct {
    int table;
    sqlite3_int64 rowid;
    sqlite3_value *key[CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS];  // copies (sqlite3_value_dup), for WITHOUT ROWID
} Note;

struct CSQLite_ChangeNotes {
    sqlite3 *db;
    NotedTable *tables;
    int tableCount;
    const char *lastName;  // the table name pointer SQLite passed last, and its index: one strcmp per statement
    int lastTable;
    Note *notes;
    int count;
    int capacity;
};

static int findTable(CSQLite_ChangeNotes *notes, const char *name) {
    if (name == notes->lastName) return notes->lastTable;
    int found = -1;
    for (int i = 0; i < notes->tableCount; i++) {
        if (strcmp(notes->tables[i].name, name) == 0) {
            found = i;
            break;
        }
    }
    notes->lastName = name;
    notes->lastTable = found;
    return found;
}

static Note *appendNote(CSQLite_ChangeNotes *notes, int table) {
    if (notes->count == notes->capacity) {
        int capacity = notes->capacity ? notes->capacity * 2 : 256;
        Note *grown = realloc(notes->notes, sizeof(Note) * (size_t)capacity);
        if (!grown) return NULL;
        notes->notes = grown;
        notes->capacity = capacity;
    }
    Note *note = &notes->notes[notes->count++];
    memset(note, 0, sizeof(Note));
    note->table = table;
    return note;
}

// Notes the old (`useNew` 0) or new row's key of a WITHOUT ROWID table.
static void noteKey(CSQLite_ChangeNotes *notes, int table, int useNew) {
    NotedTable *noted = &notes->tables[table];
    Note *note = appendNote(notes, table);
    if (!note) return;
    for (int i = 0; i < noted->keyCount; i++) {
        sqlite3_value *value = NULL;
        int rc = useNew ? sqlite3_preupdate_new(notes->db, noted->keys[i], &value)
                        : sqlite3_preupdate_old(notes->db, noted->keys[i], &value);
        note->key[i] = rc == SQLITE_OK && value ? sqlite3_value_dup(value) : NULL;
    }
}

static int sameKey(CSQLite_ChangeNotes *notes, int table) {
    NotedTable *noted = &notes->tables[table];
    for (int i = 0; i < noted->keyCount; i++) {
        sqlite3_value *old = NULL, *new = NULL;
        if (sqlite3_preupdate_old(notes->db, noted->keys[i], &old) != SQLITE_OK) return 0;
        if (sqlite3_preupdate_new(notes->db, noted->keys[i], &new) != SQLITE_OK) return 0;
        int type = sqlite3_value_type(old);
        if (type != sqlite3_value_type(new)) return 0;
        switch (type) {
        case SQLITE_INTEGER:
            if (sqlite3_value_int64(old) != sqlite3_value_int64(new)) return 0;
            break;
        case SQLITE_FLOAT:
            if (sqlite3_value_double(old) != sqlite3_value_double(new)) return 0;
            break;
        case SQLITE_NULL:
            break;
        default: {
            int length = sqlite3_value_bytes(old);
            if (length != sqlite3_value_bytes(new)) return 0;
            const void *a = type == SQLITE_TEXT ? (const void *)sqlite3_value_text(old) : sqlite3_value_blob(old);
            const void *b = type == SQLITE_TEXT ? (const void *)sqlite3_value_text(new) : sqlite3_value_blob(new);
            if (length && memcmp(a, b, (size_t)length) != 0) return 0;
        }
        }
    }
    return 1;
}

static void preupdate(
    void *context, sqlite3 *db, int op, const char *schema, const char *name, sqlite3_int64 oldRowid,
    sqlite3_int64 newRowid) {
    (void)db;
    CSQLite_ChangeNotes *notes = context;
    if (strcmp(schema, "main") != 0) return;
    int table = findTable(notes, name);
    if (table < 0) return;
    if (notes->tables[table].keyCount == 0) {
        if (op != SQLITE_INSERT) {
            Note *note = appendNote(notes, table);
            if (note) note->rowid = oldRowid;
        }
        if (op == SQLITE_INSERT || (op == SQLITE_UPDATE && newRowid != oldRowid)) {
            Note *note = appendNote(notes, table);
            if (note) note->rowid = newRowid;
        }
        return;
    }
    switch (op) {
    case SQLITE_INSERT: noteKey(notes, table, 1); break;
    case SQLITE_DELETE: noteKey(notes, table, 0); break;
    default:
        noteKey(notes, table, 1);
        if (!sameKey(notes, table)) noteKey(notes, table, 0);
    }
}

CSQLite_ChangeNotes *CSQLite_changeNotesInstall(
    sqlite3 *db, const char *const *tables, const int *keyColumnCounts, const int *const *keyColumns, int tableCount) {
    for (int i = 0; i < tableCount; i++) {
        if (keyColumnCounts[i] < 0 || keyColumnCounts[i] > CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS) return NULL;
    }
    CSQLite_ChangeNotes *notes = calloc(1, sizeof(CSQLite_ChangeNotes));
    if (!notes) return NULL;
    notes->db = db;
    notes->tables = calloc((size_t)(tableCount ? tableCount : 1), sizeof(NotedTable));
    if (!notes->tables) {
        free(notes);
        return NULL;
    }
    notes->tableCount = tableCount;
    for (int i = 0; i < tableCount; i++) {
        notes->tables[i].name = strdup(tables[i]);
        notes->tables[i].keyCount = keyColumnCounts[i];
        for (int k = 0; k < keyColumnCounts[i]; k++) notes->tables[i].keys[k] = keyColumns[i][k];
    }
    notes->lastTable = -1;
    sqlite3_preupdate_hook(db, preupdate, notes);
    return notes;
}

void CSQLite_changeNotesClear(CSQLite_ChangeNotes *notes) {
    for (int n = 0; n < notes->count; n++) {
        for (int k = 0; k < CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS; k++) sqlite3_value_free(notes->notes[n].key[k]);
    }
    notes->count = 0;
}

int CSQLite_changeNotesCount(const CSQLite_ChangeNotes *notes) { return notes->count; }

int CSQLite_changeNotesFlush(CSQLite_ChangeNotes *notes, const char *pendingTable) {
    if (notes->count == 0) return SQLITE_OK;
    // One statement per key width: 0 (rowid) and 1...MAX key columns.
    sqlite3_stmt *statements[CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS + 1] = {0};
    int rc = SQLITE_OK;
    for (int n = 0; n < notes->count && rc == SQLITE_OK; n++) {
        Note *note = &notes->notes[n];
        NotedTable *table = &notes->tables[note->table];
        int width = table->keyCount;
        if (!statements[width]) {
            char sql[256];
            if (width == 0) {
                snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (tbl, pk) VALUES (?1, CAST(?2 AS TEXT))", pendingTable);
            } else {
                char args[64] = "";
                for (int k = 0; k < width; k++) strcat(args, k == 0 ? "?2" : (k == 1 ? ", ?3" : (k == 2 ? ", ?4" : ", ?5")));
                snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (tbl, pk) VALUES (?1, json_array(%s))", pendingTable, args);
            }
            rc = sqlite3_prepare_v2(notes->db, sql, -1, &statements[width], NULL);
            if (rc != SQLITE_OK) break;
        }
        sqlite3_stmt *statement = statements[width];
        sqlite3_bind_text(statement, 1, table->name, -1, SQLITE_STATIC);
        if (width == 0) {
            sqlite3_bind_int64(statement, 2, note->rowid);
        } else {
            for (int k = 0; k < width; k++) {
                if (note->key[k]) sqlite3_bind_value(statement, 2 + k, note->key[k]);
                else sqlite3_bind_null(statement, 2 + k);
            }
        }
        rc = sqlite3_step(statement);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        sqlite3_reset(statement);
    }
    for (int w = 0; w <= CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS; w++) sqlite3_finalize(statements[w]);
    if (rc == SQLITE_OK) CSQLite_changeNotesClear(notes);
    return rc;
}

void CSQLite_changeNotesFree(CSQLite_ChangeNotes *notes) {
    if (!notes) return;
    sqlite3_preupdate_hook(notes->db, NULL, NULL);
    CSQLite_changeNotesClear(notes);
    for (int i = 0; i < notes->tableCount; i++) free(notes->tables[i].name);
    free(notes->tables);
    free(notes->notes);
    free(notes);
}
