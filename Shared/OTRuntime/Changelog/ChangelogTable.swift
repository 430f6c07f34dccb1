import CSQLite
import GRDB
import OTStore

/// A table of a partition store as the changelog records it: every row by its key, with all its columns as the
/// value. The key is the primary key's values (as a JSON array) where the table declares a primary key of its own:
/// a `WITHOUT ROWID` table, or a rowid table whose primary key is not the rowid (`id TEXT PRIMARY KEY`, which SQLite
/// keeps as a unique index beside the rowid). It is the rowid otherwise: a table without a primary key, or one whose
/// `INTEGER PRIMARY KEY` is the rowid. So a table's changelog keys stay the same when it drops `WITHOUT ROWID` and
/// keeps its primary key, and a restore that gives its rows other rowids changes none of them.
struct ChangelogTable: Sendable {
    /// The table's name.
    let name: String
    /// Every column, in the table's order.
    let columns: [String]
    /// The primary key's columns where the table is keyed by them; `nil` for a table keyed by its rowid.
    let keyColumns: [String]?
    /// Whether a changed row's values can be taken as SQLite's pre-update hook sees them (``ChangeNotes``): not with
    /// a hidden or generated column, which the hook counts differently, nor with a column of REAL affinity, whose
    /// integral values SQLite stores as integers and gives the hook so.
    var valuesTakenInHook = false

    /// Tables the changelog never records: its own bookkeeping, the store's identity, SQLite's and GRDB's.
    static let unrecorded: Set<String> = ["ot_changelog_pending", "ot_store_meta", "grdb_migrations"]

    /// Every recorded table of the store, in name order.
    static func all(in db: Database) throws -> [ChangelogTable] {
        let tables = try Row.fetchAll(
            db,
            sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return try tables.compactMap { row -> ChangelogTable? in
            let name: String = row["name"]
            guard !unrecorded.contains(name) else { return nil }
            let sql: String = row["sql"]
            let info = try Row.fetchAll(
                db, sql: "SELECT name, type, pk, \"notnull\" FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
            let columns = info.map { $0["name"] as String }
            let hidden =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM pragma_table_xinfo(?) WHERE hidden != 0", arguments: [name]) ?? 0
            let takenInHook = hidden == 0 && !info.contains { hasRealAffinity($0["type"] as String) }
            // A rowid table's own primary key has an index SQLite made for it (origin 'pk'); a rowid alias has none.
            let withoutRowid = sql.uppercased().contains("WITHOUT ROWID")
            let keyedByPrimaryKey =
                try withoutRowid
                || Bool.fetchOne(
                    db, sql: "SELECT count(*) > 0 FROM pragma_index_list(?) WHERE origin = 'pk'", arguments: [name])
                    == true
            guard keyedByPrimaryKey else {
                return ChangelogTable(
                    name: name, columns: columns, keyColumns: nil, valuesTakenInHook: takenInHook)
            }
            let keyInfo = info.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }
            for column in keyInfo {
                let column: (name: String, type: String, notNull: Bool) = (column["name"], column["type"], column[3])
                if column.type.uppercased().contains("BLOB") {
                    throw ChangelogError.unsupportedTable(
                        name, reason: "its primary key column \(column.name) is a BLOB")
                }
                // A rowid table takes NULL in its primary key (SQLite keeps that for old schemas' sake): rows with
                // NULL keys would share one record.
                if !withoutRowid && !column.notNull {
                    throw ChangelogError.unsupportedTable(
                        name, reason: "its primary key column \(column.name) is not declared NOT NULL")
                }
            }
            return ChangelogTable(
                name: name, columns: columns, keyColumns: keyInfo.map { $0["name"] }, valuesTakenInHook: takenInHook)
        }
    }

    /// Whether SQLite gives a column of declared type `type` REAL affinity (its rules, in order: INT is INTEGER;
    /// CHAR, CLOB, TEXT are TEXT; BLOB or none is BLOB; REAL, FLOA, DOUB are REAL).
    static func hasRealAffinity(_ type: String) -> Bool {
        let type = type.uppercased()
        if ["INT", "CHAR", "CLOB", "TEXT", "BLOB"].contains(where: type.contains) || type.isEmpty { return false }
        return ["REAL", "FLOA", "DOUB"].contains(where: type.contains)
    }

    /// Notes every row of the table as pending: for a store that had state before it had a changelog.
    func notePendingAll(in db: Database) throws {
        let key = keyColumns.map { "json_array(\($0.map(quoted).joined(separator: ", ")))" } ?? "rowid"
        try db.execute(
            sql: "INSERT INTO ot_changelog_pending (tbl, pk) SELECT ?, \(key) FROM \(quoted(name))",
            arguments: [name])
    }

    /// The query that reads a noted row's record (see `CSQLite_changeNotesInstall`): bound to the rowid or the key's
    /// values, one row: the row key as text (the rowid, or `json_array` of the key's values: the same text for the
    /// same row, every time, so that compaction keeps only a row's last record), whether the row exists, then its
    /// values as ``pendingRows(in:)`` reads them.
    var recordSelect: String {
        let table = quoted(name)
        let selected = (keyColumns == nil ? ["t.rowid"] : []) + columns.map { "t.\(quoted($0))" }
        guard let keyColumns else {
            return """
                SELECT CAST(?1 AS TEXT), t.rowid IS NOT NULL, \(selected.joined(separator: ", "))
                FROM (SELECT 1) LEFT JOIN \(table) t ON t.rowid = ?1
                """
        }
        let parameters = keyColumns.indices.map { "?\($0 + 1)" }
        let match = zip(keyColumns, parameters).map { "t.\(quoted($0)) = \($1)" }.joined(separator: " AND ")
        return """
            SELECT json_array(\(parameters.joined(separator: ", "))), t.\(quoted(keyColumns[0])) IS NOT NULL,
                \(selected.joined(separator: ", "))
            FROM (SELECT 1) LEFT JOIN \(table) t ON \(match)
            """
    }

    /// The pending rows of this table with their current values (`nil` for a deleted row).
    func pendingRows(in db: Database) throws -> [(key: String, values: [DatabaseValue]?)] {
        let table = quoted(name)
        let match: String
        let present: String
        if let keyColumns {
            match = keyColumns.enumerated().map { "t.\(quoted($1)) = json_extract(p.pk, '$[\($0)]')" }
                .joined(separator: " AND ")
            present = "t.\(quoted(keyColumns[0])) IS NOT NULL"
        } else {
            match = "t.rowid = CAST(p.pk AS INTEGER)"
            present = "t.rowid IS NOT NULL"
        }
        let selected = (keyColumns == nil ? ["t.rowid"] : []) + columns.map { "t.\(quoted($0))" }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT p.pk, \(present) AS present, \(selected.joined(separator: ", "))
                FROM (SELECT pk, max(seq) AS seq FROM ot_changelog_pending WHERE tbl = ? GROUP BY pk) p
                LEFT JOIN \(table) t ON \(match)
                ORDER BY p.seq
                """,
            arguments: [name])
        var result: [(String, [DatabaseValue]?)] = []
        while let row = try rows.next() {
            let key: String = row[0]
            guard row[1] as Bool else {
                result.append((key, nil))
                continue
            }
            result.append((key, (2..<row.count).map { row[$0] as DatabaseValue }))
        }
        return result
    }

    /// Statements that apply this table's records during a restore, prepared once per restore transaction.
    struct Apply {
        let upsert: DirectStatement
        let delete: DirectStatement
        let width: Int

        /// Writes a row from its record's value as the relay encoded it (``ChangelogRowCodec``), bound in C without
        /// decoding it first, or deletes the row.
        func callAsFunction(key: String, encoded: ArraySlice<UInt8>?) throws {
            guard let encoded else {
                try delete.bind(key, at: 1)
                try delete.execute()
                return
            }
            let bound = encoded.withUnsafeBufferPointer { bytes in
                upsert.withHandle { CSQLite_bindRow($0, bytes.baseAddress, Int32(bytes.count)) }
            }
            guard bound >= 0 else {
                throw bound == -1
                    ? ChangelogError.malformedRecord("a row value is not in the changelog's row form")
                    : ChangelogError.malformedRecord("a row value could not be bound")
            }
            guard Int(bound) == width else {
                throw ChangelogError.malformedRecord("a row has \(bound) values, the table \(width) columns")
            }
            try upsert.execute()
        }
    }

    func applyStatements(in db: Database) throws -> Apply {
        let table = quoted(name)
        let targets = (keyColumns == nil ? ["rowid"] : []) + columns.map(quoted)
        let upsert = try DirectStatement(
            db,
            sql:
                "INSERT OR REPLACE INTO \(table) (\(targets.joined(separator: ", "))) VALUES (\(targets.map { _ in "?" }.joined(separator: ", ")))"
        )
        let condition =
            keyColumns.map { keys in
                keys.enumerated().map { "\(quoted($1)) = json_extract(?1, '$[\($0)]')" }.joined(separator: " AND ")
            } ?? "rowid = CAST(?1 AS INTEGER)"
        let delete = try DirectStatement(db, sql: "DELETE FROM \(table) WHERE \(condition)")
        return Apply(upsert: upsert, delete: delete, width: targets.count)
    }

    private func quoted(_ identifier: String) -> String {
        "\"\(identifier.replacingOccurrences(of: "\"", with: "\"\""))\""
    }
}
