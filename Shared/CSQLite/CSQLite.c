#include "CSQLite.h"

#include <sqlite3.h>
#include <stddef.h>

int CSQLite_disableMemoryStatistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

// MARK: - Errors per thread

static _Thread_local unsigned long threadErrors;
static int errorsCounted;

// SQLite's error log: called on the thread where the error happened, for every statement that fails ("statement
// aborts at", "abort at") and for other errors; notices and warnings are not errors.
static void countError(void *context, int code, const char *message) {
    (void)context;
    (void)message;
    int primary = code & 0xFF;
    if (primary != SQLITE_NOTICE && primary != SQLITE_WARNING) threadErrors++;
}

// Installed as the process loads, before anything can have used SQLite (the log can only be set before).
__attribute__((constructor)) static void installErrorLog(void) {
    errorsCounted = sqlite3_config(SQLITE_CONFIG_LOG, countError, NULL) == SQLITE_OK;
}

int CSQLite_errorsCounted(void) { return errorsCounted; }

unsigned long CSQLite_threadErrorCount(void) { return threadErrors; }

void CSQLite_noteThreadRollback(void) { threadErrors++; }

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
    const char *seenName;  // the name pointer SQLite passed for this table last (see findTable)
    char *select;           // the row's record key and current values by its key (see CSQLite_changeNotesInstall)
    sqlite3_stmt *statement;  // `select`, prepared at the first collect
    int keyCount;  // 0: a rowid table
    int keys[CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS];
    int columnCount;  // > 0: a changed row's values are taken from the hook (see CSQLite_changeNotesInstall)
} NotedTable;

typedef struct {
    int table;
    unsigned long long hash;  // of the table and the key, for the set of noted keys
    sqlite3_int64 rowid;
    sqlite3_value *key[CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS];  // copies (sqlite3_value_dup), for WITHOUT ROWID
    int taken;  // TAKEN_NONE, TAKEN_ROW (the values at `valueOffset` in the notes' `taken` bytes) or TAKEN_GONE
    size_t valueOffset;
    int valueLength;
} Note;

enum { TAKEN_NONE, TAKEN_ROW, TAKEN_GONE };

// The most bytes of taken values a store keeps allocated between transactions.
#define TAKEN_KEPT (64 * 1024)
// The most notes (about 80 bytes each, and two slots of the set per note) a store keeps room for between
// transactions.
#define NOTES_KEPT 1024

// A growable byte buffer.
typedef struct {
    unsigned char *bytes;
    size_t length;
    size_t capacity;
} Bytes;

struct CSQLite_ChangeNotes {
    sqlite3 *db;
    NotedTable *tables;
    int tableCount;
    Note *notes;
    int count;
    int capacity;
    // The noted keys as a set (open addressing, linear probing): a row changed many times in one transaction is
    // noted once. Each slot holds a note's index + 1, or 0 when free; `slotCount` is 0 or a power of two.
    int *slots;
    int slotCount;
    int paused;  // while set, changes are not noted
    // The changed rows' values as the hook saw them, one after another (a row changed again gets new bytes): valid
    // for the collect only if no statement failed and no savepoint was rolled back on this thread meanwhile.
    Bytes taken;
    unsigned long errorsAtFirstNote;  // CSQLite_threadErrorCount() when the first note of the transaction was taken
    int takingFailed;  // out of memory while taking values, or errors not counted: read them all back
    unsigned long readBacks;  // rows read back by collects, for tests and diagnostics
    int errorsSeen;  // a failing statement was counted on this thread when the notes were installed
    // What every record's value begins with (the store's schema), given at install.
    unsigned char *valuePrefix;
    int prefixLength;
    // The last collect's records (CSQLite_changeNotesCollect): their bytes one after another, and where each is.
    Bytes records;
    CSQLite_ChangeRecordRange *ranges;
    int rangeCount;
    int rangeCapacity;
};

static inline int reserve(Bytes *buffer, size_t more) {
    if (buffer->length + more <= buffer->capacity) return 1;
    size_t capacity = buffer->capacity ? buffer->capacity : 256;
    while (capacity < buffer->length + more) capacity *= 2;
    unsigned char *grown = realloc(buffer->bytes, capacity);
    if (!grown) return 0;
    buffer->bytes = grown;
    buffer->capacity = capacity;
    return 1;
}

static int appendBytes(Bytes *buffer, const void *bytes, size_t length) {
    if (!reserve(buffer, length)) return 0;
    if (length) memcpy(buffer->bytes + buffer->length, bytes, length);
    buffer->length += length;
    return 1;
}

// Writes the low `width` bytes of `value` at `at`, big-endian.
static inline void putBigEndian(unsigned char *at, sqlite3_uint64 value, int width) {
    for (int i = width - 1; i >= 0; i--) {
        at[i] = (unsigned char)value;
        value >>= 8;
    }
}

static int appendBigEndian(Bytes *buffer, sqlite3_uint64 value, int width) {
    if (!reserve(buffer, (size_t)width)) return 0;
    putBigEndian(buffer->bytes + buffer->length, value, width);
    buffer->length += (size_t)width;
    return 1;
}

// Appends a value as the changelog codec writes it: a type tag (0 null, 1 integer, 2 real, 3 text, 4 blob), then 8
// bytes big-endian for numbers, or a 32-bit length and the bytes. Only the fields of `type` are read. Room for the
// whole value is made once: this runs for every column of every changed row.
static int appendTyped(
    Bytes *buffer, int type, sqlite3_int64 integer, double real, const void *bytes, int length) {
    int sized = type == SQLITE_TEXT || type == SQLITE_BLOB;
    size_t size = type == SQLITE_INTEGER || type == SQLITE_FLOAT ? 9 : sized ? 5 + (size_t)length : 1;
    if (!reserve(buffer, size)) return 0;
    unsigned char *at = buffer->bytes + buffer->length;
    switch (type) {
    case SQLITE_INTEGER:
        at[0] = 1;
        putBigEndian(at + 1, (sqlite3_uint64)integer, 8);
        break;
    case SQLITE_FLOAT: {
        sqlite3_uint64 bits;
        memcpy(&bits, &real, sizeof bits);
        at[0] = 2;
        putBigEndian(at + 1, bits, 8);
        break;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB:
        at[0] = type == SQLITE_TEXT ? 3 : 4;
        putBigEndian(at + 1, (sqlite3_uint64)length, 4);
        if (length) memcpy(at + 5, bytes, (size_t)length);
        break;
    default: at[0] = 0;
    }
    buffer->length += size;
    return 1;
}

// Appends a value the pre-update hook gave.
static int appendValue(Bytes *buffer, sqlite3_value *value) {
    int type = value ? sqlite3_value_type(value) : SQLITE_NULL;
    switch (type) {
    case SQLITE_INTEGER: return appendTyped(buffer, type, sqlite3_value_int64(value), 0, NULL, 0);
    case SQLITE_FLOAT: return appendTyped(buffer, type, 0, sqlite3_value_double(value), NULL, 0);
    case SQLITE_TEXT: {
        // The text's bytes as they are (a TEXT value read as a BLOB is unchanged, and the stores are UTF-8):
        // sqlite3_value_text() first copies a string that does not end in NUL, as every value of an inserted row's
        // record does, into memory of its own, which cost about 200 instructions a value.
        const void *bytes = sqlite3_value_blob(value);
        return appendTyped(buffer, type, 0, 0, bytes, sqlite3_value_bytes(value));
    }
    case SQLITE_BLOB:
        return appendTyped(buffer, type, 0, 0, sqlite3_value_blob(value), sqlite3_value_bytes(value));
    default: return appendTyped(buffer, SQLITE_NULL, 0, 0, NULL, 0);
    }
}

// Appends column `column` of the row in hand (read with `sqlite3_column_*`: the values of `sqlite3_column_value`
// SQLite allows only to be bound or copied).
static int appendColumn(Bytes *buffer, sqlite3_stmt *statement, int column) {
    int type = sqlite3_column_type(statement, column);
    switch (type) {
    case SQLITE_INTEGER: return appendTyped(buffer, type, sqlite3_column_int64(statement, column), 0, NULL, 0);
    case SQLITE_FLOAT: return appendTyped(buffer, type, 0, sqlite3_column_double(statement, column), NULL, 0);
    case SQLITE_TEXT:
        return appendTyped(
            buffer, type, 0, 0, sqlite3_column_text(statement, column), sqlite3_column_bytes(statement, column));
    case SQLITE_BLOB:
        return appendTyped(
            buffer, type, 0, 0, sqlite3_column_blob(statement, column), sqlite3_column_bytes(statement, column));
    default: return appendTyped(buffer, SQLITE_NULL, 0, 0, NULL, 0);
    }
}

// The index of the noted table `name`, or -1. SQLite passes a table's name from its schema, the same pointer
// statement after statement, so each table's last pointer is compared first; a match is confirmed by the text, as a
// schema read again can put another table's name at a freed name's address.
static int findTable(CSQLite_ChangeNotes *notes, const char *name) {
    for (int i = 0; i < notes->tableCount; i++) {
        if (notes->tables[i].seenName == name && strcmp(notes->tables[i].name, name) == 0) return i;
    }
    for (int i = 0; i < notes->tableCount; i++) {
        if (strcmp(notes->tables[i].name, name) == 0) {
            notes->tables[i].seenName = name;
            return i;
        }
    }
    return -1;
}

static unsigned long long mixHash(unsigned long long hash, const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    for (size_t i = 0; i < length; i++) hash = (hash ^ p[i]) * 1099511628211ULL;  // FNV-1a
    return hash;
}

static unsigned long long valueHash(unsigned long long hash, sqlite3_value *value) {
    int type = value ? sqlite3_value_type(value) : SQLITE_NULL;
    unsigned char tag = (unsigned char)type;
    hash = mixHash(hash, &tag, 1);
    switch (type) {
    case SQLITE_INTEGER: {
        sqlite3_int64 integer = sqlite3_value_int64(value);
        return mixHash(hash, &integer, sizeof integer);
    }
    case SQLITE_FLOAT: {
        double real = sqlite3_value_double(value);
        return mixHash(hash, &real, sizeof real);
    }
    case SQLITE_TEXT:  // the text's bytes as they are, without the copy sqlite3_value_text() makes (appendValue)
    case SQLITE_BLOB: return mixHash(hash, sqlite3_value_blob(value), (size_t)sqlite3_value_bytes(value));
    default: return hash;
    }
}

static int sameValue(sqlite3_value *a, sqlite3_value *b) {
    int type = a ? sqlite3_value_type(a) : SQLITE_NULL;
    if (type != (b ? sqlite3_value_type(b) : SQLITE_NULL)) return 0;
    switch (type) {
    case SQLITE_INTEGER: return sqlite3_value_int64(a) == sqlite3_value_int64(b);
    case SQLITE_FLOAT: return sqlite3_value_double(a) == sqlite3_value_double(b);
    case SQLITE_NULL: return 1;
    default: {
        int length = sqlite3_value_bytes(a);
        if (length != sqlite3_value_bytes(b)) return 0;
        return length == 0 || memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b), (size_t)length) == 0;
    }
    }
}

// Puts note `index` into the set of noted keys (which has room).
static void insertSlot(CSQLite_ChangeNotes *notes, int index) {
    int mask = notes->slotCount - 1;
    int slot = (int)(notes->notes[index].hash & (unsigned long long)mask);
    while (notes->slots[slot]) slot = (slot + 1) & mask;
    notes->slots[slot] = index + 1;
}

// Makes room in the set for one more key; 0 when out of memory.
static int reserveSlot(CSQLite_ChangeNotes *notes) {
    if ((notes->count + 1) * 2 <= notes->slotCount) return 1;
    int slotCount = notes->slotCount ? notes->slotCount * 2 : 1024;
    int *slots = calloc((size_t)slotCount, sizeof(int));
    if (!slots) return 0;
    free(notes->slots);
    notes->slots = slots;
    notes->slotCount = slotCount;
    for (int n = 0; n < notes->count; n++) insertSlot(notes, n);
    return 1;
}

static Note *appendNote(CSQLite_ChangeNotes *notes, int table, unsigned long long hash) {
    if (notes->count == notes->capacity) {
        int capacity = notes->capacity ? notes->capacity * 2 : 256;
        Note *grown = realloc(notes->notes, sizeof(Note) * (size_t)capacity);
        if (!grown) return NULL;
        notes->notes = grown;
        notes->capacity = capacity;
    }
    if (!reserveSlot(notes)) return NULL;
    Note *note = &notes->notes[notes->count++];
    memset(note, 0, sizeof(Note));
    note->table = table;
    note->hash = hash;
    insertSlot(notes, notes->count - 1);
    return note;
}

// Notes a rowid table's row, unless it is noted already; returns its note's index, or -1 when out of memory.
static int noteRowid(CSQLite_ChangeNotes *notes, int table, sqlite3_int64 rowid) {
    unsigned long long hash = mixHash(mixHash(14695981039346656037ULL, &table, sizeof table), &rowid, sizeof rowid);
    if (notes->slotCount) {
        int mask = notes->slotCount - 1;
        for (int slot = (int)(hash & (unsigned long long)mask); notes->slots[slot]; slot = (slot + 1) & mask) {
            Note *noted = &notes->notes[notes->slots[slot] - 1];
            if (noted->hash == hash && noted->table == table && noted->rowid == rowid) return notes->slots[slot] - 1;
        }
    }
    Note *note = appendNote(notes, table, hash);
    if (!note) return -1;
    note->rowid = rowid;
    return notes->count - 1;
}

// Notes the old (`useNew` 0) or new row's key of a WITHOUT ROWID table, unless it is noted already; returns its
// note's index, or -1 when out of memory.
static int noteKey(CSQLite_ChangeNotes *notes, int table, int useNew) {
    NotedTable *noted = &notes->tables[table];
    sqlite3_value *values[CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS] = {0};
    unsigned long long hash = mixHash(14695981039346656037ULL, &table, sizeof table);
    for (int i = 0; i < noted->keyCount; i++) {
        sqlite3_value *value = NULL;
        int rc = useNew ? sqlite3_preupdate_new(notes->db, noted->keys[i], &value)
                        : sqlite3_preupdate_old(notes->db, noted->keys[i], &value);
        values[i] = rc == SQLITE_OK ? value : NULL;
        hash = valueHash(hash, values[i]);
    }
    if (notes->slotCount) {
        int mask = notes->slotCount - 1;
        for (int slot = (int)(hash & (unsigned long long)mask); notes->slots[slot]; slot = (slot + 1) & mask) {
            Note *candidate = &notes->notes[notes->slots[slot] - 1];
            if (candidate->hash != hash || candidate->table != table) continue;
            int same = 1;
            for (int i = 0; same && i < noted->keyCount; i++) same = sameValue(candidate->key[i], values[i]);
            if (same) return notes->slots[slot] - 1;
        }
    }
    Note *note = appendNote(notes, table, hash);
    if (!note) return -1;
    for (int i = 0; i < noted->keyCount; i++) note->key[i] = values[i] ? sqlite3_value_dup(values[i]) : NULL;
    return notes->count - 1;
}

// Takes the new values of the row in hand (an insert's or update's) for note `index`, or marks the row gone
// (`gone`): the collect then needs no query for it.
static void take(CSQLite_ChangeNotes *notes, int index, int gone, sqlite3_int64 rowid) {
    if (index < 0) {
        notes->takingFailed = 1;
        return;
    }
    NotedTable *table = &notes->tables[notes->notes[index].table];
    if (table->columnCount == 0 || notes->takingFailed) return;
    Note *note = &notes->notes[index];
    if (gone) {
        note->taken = TAKEN_GONE;
        return;
    }
    Bytes *taken = &notes->taken;
    size_t start = taken->length;
    int rowidTable = table->keyCount == 0;
    int ok = appendBigEndian(taken, (sqlite3_uint64)(table->columnCount + rowidTable), 2);
    if (ok && rowidTable) ok = appendBigEndian(taken, 1, 1) && appendBigEndian(taken, (sqlite3_uint64)rowid, 8);
    for (int c = 0; ok && c < table->columnCount; c++) {
        sqlite3_value *value = NULL;
        ok = sqlite3_preupdate_new(notes->db, c, &value) == SQLITE_OK && appendValue(taken, value);
    }
    if (!ok) {
        taken->length = start;
        notes->takingFailed = 1;
        return;
    }
    note = &notes->notes[index];
    note->taken = TAKEN_ROW;
    note->valueOffset = start;
    note->valueLength = (int)(taken->length - start);
}

// Whether the row in hand keeps its key (an update that changes none of the key's values).
static int sameKey(CSQLite_ChangeNotes *notes, int table) {
    NotedTable *noted = &notes->tables[table];
    for (int i = 0; i < noted->keyCount; i++) {
        sqlite3_value *old = NULL, *new = NULL;
        if (sqlite3_preupdate_old(notes->db, noted->keys[i], &old) != SQLITE_OK) return 0;
        if (sqlite3_preupdate_new(notes->db, noted->keys[i], &new) != SQLITE_OK) return 0;
        if (!sameValue(old, new)) return 0;
    }
    return 1;
}

static void preupdate(
    void *context, sqlite3 *db, int op, const char *schema, const char *name, sqlite3_int64 oldRowid,
    sqlite3_int64 newRowid) {
    (void)db;
    CSQLite_ChangeNotes *notes = context;
    if (notes->paused || strcmp(schema, "main") != 0) return;
    int table = findTable(notes, name);
    if (table < 0) return;
    if (notes->count == 0) {
        notes->errorsAtFirstNote = threadErrors;
        notes->takingFailed = !notes->errorsSeen;
    }
    if (notes->tables[table].keyCount == 0) {
        if (op == SQLITE_DELETE) {
            take(notes, noteRowid(notes, table, oldRowid), 1, 0);
            return;
        }
        if (op == SQLITE_UPDATE && newRowid != oldRowid) take(notes, noteRowid(notes, table, oldRowid), 1, 0);
        take(notes, noteRowid(notes, table, newRowid), 0, newRowid);
        return;
    }
    switch (op) {
    case SQLITE_INSERT: take(notes, noteKey(notes, table, 1), 0, 0); break;
    case SQLITE_DELETE: take(notes, noteKey(notes, table, 0), 1, 0); break;
    default:
        take(notes, noteKey(notes, table, 1), 0, 0);
        if (!sameKey(notes, table)) take(notes, noteKey(notes, table, 0), 1, 0);
    }
}

// Whether a statement that fails on `db` is counted on this thread: not if something replaced the error log.
static int errorsReachThisThread(sqlite3 *db) {
    unsigned long before = threadErrors;
    sqlite3_stmt *statement = NULL;
    // abs() of the smallest integer fails as the statement runs ("integer overflow").
    if (sqlite3_prepare_v2(db, "SELECT abs(-9223372036854775807 - 1)", -1, &statement, NULL) != SQLITE_OK) return 0;
    int step = sqlite3_step(statement);
    sqlite3_finalize(statement);
    return step == SQLITE_ERROR && threadErrors > before;
}

CSQLite_ChangeNotes *CSQLite_changeNotesInstall(
    sqlite3 *db, const char *const *tables, const int *keyColumnCounts, const int *const *keyColumns,
    const char *const *selects, const int *columnCounts, int tableCount, const unsigned char *valuePrefix,
    int prefixLength) {
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
    notes->valuePrefix = malloc(prefixLength > 0 ? (size_t)prefixLength : 1);
    if (!notes->valuePrefix) {
        free(notes->tables);
        free(notes);
        return NULL;
    }
    if (prefixLength > 0) memcpy(notes->valuePrefix, valuePrefix, (size_t)prefixLength);
    notes->prefixLength = prefixLength;
    for (int i = 0; i < tableCount; i++) {
        notes->tables[i].name = strdup(tables[i]);
        notes->tables[i].select = strdup(selects[i]);
        notes->tables[i].keyCount = keyColumnCounts[i];
        for (int k = 0; k < keyColumnCounts[i]; k++) notes->tables[i].keys[k] = keyColumns[i][k];
        notes->tables[i].columnCount = columnCounts[i] > 0 ? columnCounts[i] : 0;
    }
    notes->errorsSeen = errorsCounted && errorsReachThisThread(db);
    sqlite3_preupdate_hook(db, preupdate, notes);
    return notes;
}

void CSQLite_changeNotesClear(CSQLite_ChangeNotes *notes) {
    for (int n = 0; n < notes->count; n++) {
        for (int k = 0; k < CSQLITE_CHANGE_NOTES_MAX_KEY_COLUMNS; k++) sqlite3_value_free(notes->notes[n].key[k]);
    }
    notes->count = 0;
    notes->taken.length = 0;
    notes->takingFailed = 0;
    // A large transaction's values are not kept for the next: a store would hold its largest batch's for good.
    if (notes->taken.capacity > TAKEN_KEPT) {
        free(notes->taken.bytes);
        notes->taken = (Bytes){0};
    }
    // Nor a large transaction's notes: of a worker's stores only those in a transaction need room for many (at
    // 50,000 youths, 16 stores kept about 5 MiB between batches).
    if (notes->capacity > NOTES_KEPT) {
        free(notes->notes);
        free(notes->slots);
        notes->notes = NULL;
        notes->slots = NULL;
        notes->capacity = 0;
        notes->slotCount = 0;
    }
    if (notes->slots) memset(notes->slots, 0, sizeof(int) * (size_t)notes->slotCount);
}

int CSQLite_changeNotesCount(const CSQLite_ChangeNotes *notes) { return notes->count; }

unsigned long CSQLite_changeNotesReadBackCount(const CSQLite_ChangeNotes *notes) { return notes->readBacks; }

int CSQLite_changeNotesCapacity(const CSQLite_ChangeNotes *notes) { return notes->capacity; }

void CSQLite_changeNotesSetPaused(CSQLite_ChangeNotes *notes, int paused) { notes->paused = paused; }

// Appends `value` in decimal digits, as SQLite writes an integer as text (`printf`'s `%lld`, without its cost).
static int appendDecimal(Bytes *buffer, sqlite3_int64 value) {
    char digits[20];
    int start = sizeof digits;
    sqlite3_uint64 magnitude = value < 0 ? 0 - (sqlite3_uint64)value : (sqlite3_uint64)value;
    do {
        digits[--start] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    return (value >= 0 || appendBytes(buffer, "-", 1)) && appendBytes(buffer, digits + start, sizeof digits - start);
}

// Appends a noted row's key as the table's select writes it: the rowid as decimal text, or `json_array` of the
// key's values, written here only for integers and texts of printable ASCII other than `"` and `\` (which
// `json_array` writes unchanged); 0 for any other key, whose text the select makes.
static int appendRowKey(Bytes *buffer, const NotedTable *table, const Note *note) {
    if (table->keyCount == 0) return appendDecimal(buffer, note->rowid);
    if (!appendBytes(buffer, "[", 1)) return 0;
    for (int k = 0; k < table->keyCount; k++) {
        sqlite3_value *value = note->key[k];
        if (k > 0 && !appendBytes(buffer, ",", 1)) return 0;
        switch (value ? sqlite3_value_type(value) : SQLITE_NULL) {
        case SQLITE_INTEGER:
            if (!appendDecimal(buffer, sqlite3_value_int64(value))) return 0;
            break;
        case SQLITE_TEXT: {
            const unsigned char *text = sqlite3_value_text(value);
            int length = sqlite3_value_bytes(value);
            for (int i = 0; i < length; i++) {
                if (text[i] < 0x20 || text[i] > 0x7E || text[i] == '"' || text[i] == '\\') return 0;
            }
            if (!appendBytes(buffer, "\"", 1) || !appendBytes(buffer, text, (size_t)length)
                || !appendBytes(buffer, "\"", 1))
                return 0;
            break;
        }
        default: return 0;
        }
    }
    return appendBytes(buffer, "]", 1);
}

// Notes where the record that begins at `start` of the collect's bytes is: its key up to `valueStart`, its value
// after it (`present`) or none.
static int appendRange(CSQLite_ChangeNotes *notes, size_t start, size_t valueStart, int present) {
    if (notes->rangeCount == notes->rangeCapacity) {
        int capacity = notes->rangeCapacity ? notes->rangeCapacity * 2 : 256;
        CSQLite_ChangeRecordRange *grown = realloc(notes->ranges, sizeof(CSQLite_ChangeRecordRange) * (size_t)capacity);
        if (!grown) return 0;
        notes->ranges = grown;
        notes->rangeCapacity = capacity;
    }
    notes->ranges[notes->rangeCount++] = (CSQLite_ChangeRecordRange){
        .keyOffset = (long long)start,
        .keyLength = (int)(valueStart - start),
        .valueLength = present ? (int)(notes->records.length - valueStart) : -1,
    };
    return 1;
}

int CSQLite_changeNotesCollect(
    CSQLite_ChangeNotes *notes, const unsigned char **bytes, size_t *length, const CSQLite_ChangeRecordRange **ranges,
    int *count) {
    const unsigned char *valuePrefix = notes->valuePrefix;
    size_t prefixLength = (size_t)notes->prefixLength;
    int rc = SQLITE_OK;
    Bytes *records = &notes->records;
    CSQLite_changeNotesReleaseRecords(notes);
    const unsigned char separator = 0x1F;
    // The values the hook took stand only if nothing was undone since: a failed statement (SQLite undoes what it
    // changed before it failed) or a savepoint rolled back.
    int takenValid = !notes->takingFailed && notes->errorsAtFirstNote == threadErrors;
    for (int n = 0; n < notes->count && rc == SQLITE_OK; n++) {
        Note *note = &notes->notes[n];
        NotedTable *table = &notes->tables[note->table];
        size_t start = records->length;
        if (!appendBytes(records, table->name, strlen(table->name)) || !appendBytes(records, &separator, 1)) {
            rc = SQLITE_NOMEM;
            break;
        }
        size_t rowKeyStart = records->length;
        if (takenValid && note->taken != TAKEN_NONE && appendRowKey(records, table, note)) {
            int present = note->taken == TAKEN_ROW;
            size_t valueStart = records->length;
            if ((present
                    && !(appendBytes(records, valuePrefix, prefixLength)
                        && appendBytes(records, notes->taken.bytes + note->valueOffset, (size_t)note->valueLength)))
                || !appendRange(notes, start, valueStart, present)) {
                rc = SQLITE_NOMEM;
                break;
            }
            continue;
        }
        records->length = rowKeyStart;
        if (!table->statement) {
            rc = sqlite3_prepare_v3(notes->db, table->select, -1, SQLITE_PREPARE_PERSISTENT, &table->statement, NULL);
            if (rc != SQLITE_OK) break;
        }
        sqlite3_stmt *statement = table->statement;
        if (table->keyCount == 0) {
            sqlite3_bind_int64(statement, 1, note->rowid);
        } else {
            for (int k = 0; k < table->keyCount; k++) {
                if (note->key[k]) sqlite3_bind_value(statement, 1 + k, note->key[k]);
                else sqlite3_bind_null(statement, 1 + k);
            }
        }
        int step = sqlite3_step(statement);
        if (step != SQLITE_ROW) {
            rc = step == SQLITE_DONE ? SQLITE_INTERNAL : step;
            sqlite3_reset(statement);
            break;
        }
        notes->readBacks++;
        int ok = appendBytes(records, sqlite3_column_text(statement, 0), (size_t)sqlite3_column_bytes(statement, 0));
        size_t valueStart = records->length;
        int present = sqlite3_column_int(statement, 1);
        if (ok && present) {
            int columns = sqlite3_column_count(statement) - 2;
            ok = appendBytes(records, valuePrefix, prefixLength)
                && appendBigEndian(records, (sqlite3_uint64)columns, 2);
            for (int c = 0; ok && c < columns; c++) ok = appendColumn(records, statement, 2 + c);
        }
        sqlite3_reset(statement);
        if (!ok || !appendRange(notes, start, valueStart, present)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    if (rc != SQLITE_OK) {
        CSQLite_changeNotesReleaseRecords(notes);
        return rc;
    }
    CSQLite_changeNotesClear(notes);
    *bytes = records->bytes;
    *length = records->length;
    *ranges = notes->ranges;
    *count = notes->rangeCount;
    return SQLITE_OK;
}

void CSQLite_changeNotesReleaseRecords(CSQLite_ChangeNotes *notes) {
    notes->records.length = 0;
    notes->rangeCount = 0;
    // A large transaction's records are not kept for the next (as its taken values, CSQLite_changeNotesClear).
    if (notes->records.capacity > TAKEN_KEPT) {
        free(notes->records.bytes);
        notes->records = (Bytes){0};
    }
    if (notes->rangeCapacity > NOTES_KEPT) {
        free(notes->ranges);
        notes->ranges = NULL;
        notes->rangeCapacity = 0;
    }
}

static sqlite3_uint64 readBigEndian(const unsigned char *bytes, int width) {
    sqlite3_uint64 value = 0;
    for (int i = 0; i < width; i++) value = value << 8 | bytes[i];
    return value;
}

int CSQLite_bindRow(sqlite3_stmt *statement, const unsigned char *bytes, int length) {
    if (length < 2) return -1;
    int count = (int)readBigEndian(bytes, 2);
    int at = 2;
    for (int i = 0; i < count; i++) {
        if (at >= length) return -1;
        int tag = bytes[at++];
        int rc;
        switch (tag) {
        case 0: rc = sqlite3_bind_null(statement, i + 1); break;
        case 1:
        case 2: {
            if (length - at < 8) return -1;
            sqlite3_uint64 bits = readBigEndian(bytes + at, 8);
            at += 8;
            if (tag == 1) {
                rc = sqlite3_bind_int64(statement, i + 1, (sqlite3_int64)bits);
            } else {
                double real;
                memcpy(&real, &bits, sizeof real);
                rc = sqlite3_bind_double(statement, i + 1, real);
            }
            break;
        }
        case 3:
        case 4: {
            if (length - at < 4) return -1;
            sqlite3_uint64 size = readBigEndian(bytes + at, 4);
            at += 4;
            if ((sqlite3_uint64)(length - at) < size) return -1;
            rc = tag == 3 ? sqlite3_bind_text(statement, i + 1, (const char *)bytes + at, (int)size, SQLITE_TRANSIENT)
                          : sqlite3_bind_blob(statement, i + 1, bytes + at, (int)size, SQLITE_TRANSIENT);
            at += (int)size;
            break;
        }
        default: return -1;
        }
        if (rc != SQLITE_OK) return -2;
    }
    return at == length ? count : -1;
}

void CSQLite_changeNotesFree(CSQLite_ChangeNotes *notes) {
    if (!notes) return;
    sqlite3_preupdate_hook(notes->db, NULL, NULL);
    CSQLite_changeNotesClear(notes);
    for (int i = 0; i < notes->tableCount; i++) {
        free(notes->tables[i].name);
        free(notes->tables[i].select);
        sqlite3_finalize(notes->tables[i].statement);
    }
    free(notes->tables);
    free(notes->taken.bytes);
    free(notes->records.bytes);
    free(notes->ranges);
    free(notes->valuePrefix);
    free(notes->notes);
    free(notes->slots);
    free(notes);
}
