import GRDB

/// What a service's migration calls so that the changelog follows what it did. Migrations run before a store's
/// change notes are installed, so the rows a migration writes or deletes reach the changelog only when they are
/// next changed, and a restore brings back the rows of the schema it started from and runs the migration over them
/// again. That is enough while a migration keeps its rows where they were. A migration that moves rows to another
/// table uses these, so that the changelog holds the rows where they are now, and none of the old ones: a restore
/// must not bring back, even for a moment, a row (with a person's data) that was moved and later erased.
public enum ChangelogMigration {
    /// Publishes every row of `table` in the store's first relay round: for a table a migration filled.
    public static func publishAll(_ table: String, in db: Database) throws {
        try changelogTable(table, in: db).notePendingAll(in: db)
    }

    /// Drops `table`, and publishes a tombstone for each of its rows in the store's first relay round (a restore
    /// skips a tombstone of a table its store does not have).
    public static func dropTable(_ table: String, in db: Database) throws {
        try changelogTable(table, in: db).notePendingAll(in: db)
        try db.execute(sql: "DROP TABLE \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\"")
    }

    private static func changelogTable(_ name: String, in db: Database) throws -> ChangelogTable {
        guard let table = try ChangelogTable.all(in: db).first(where: { $0.name == name }) else {
            throw ChangelogError.unknownTable(name)
        }
        return table
    }
}
