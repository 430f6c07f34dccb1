import GRDB
import OTContract
import OTRuntime
import OTStore

/// The statistics service's tables, in every partition store: each of the three stages keeps what belongs to the
/// keys of its partition (persons; statistics keys; periods).
enum StatisticsSchema {
    static var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("statistics-1") { db in
            try db.execute(
                sql: """
                    -- Stage 1, keyed by person: every state of every registration, from ot.registrations.v1.
                    CREATE TABLE stat_versions (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        person_id TEXT NOT NULL,
                        registration_id TEXT NOT NULL,
                        school_year TEXT NOT NULL,
                        effective_date TEXT NOT NULL,
                        unit_id TEXT NOT NULL,
                        county TEXT NOT NULL,
                        status_code TEXT,
                        status_group INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        birth_date TEXT NOT NULL,
                        gender TEXT,
                        is_open INTEGER NOT NULL
                    );
                    CREATE INDEX stat_versions_person ON stat_versions (person_id);
                    -- Stage 1: what each person was last counted as, per period (Contribution.stored).
                    CREATE TABLE stat_contributions (
                        person_id TEXT NOT NULL,
                        period TEXT NOT NULL,
                        contribution TEXT NOT NULL,
                        PRIMARY KEY (person_id, period)
                    ) WITHOUT ROWID;
                    -- Stage 1: the day 'current' was last computed for (one row).
                    CREATE TABLE stat_today (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        today TEXT NOT NULL
                    );
                    -- Stage 2, keyed by statistics key: the sums of the deltas.
                    CREATE TABLE stat_cells (
                        stat_key TEXT NOT NULL,
                        cell TEXT NOT NULL,
                        value INTEGER NOT NULL,
                        PRIMARY KEY (stat_key, cell)
                    ) WITHOUT ROWID;
                    CREATE TABLE stat_aggregates (
                        stat_key TEXT PRIMARY KEY,
                        county TEXT,
                        version INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    -- Stage 3, keyed by period: every key's latest sums, and what was last published.
                    CREATE TABLE stat_period_figures (
                        period TEXT NOT NULL,
                        stat_key TEXT NOT NULL,
                        county TEXT,
                        version INTEGER NOT NULL,
                        cells TEXT NOT NULL,
                        PRIMARY KEY (period, stat_key)
                    ) WITHOUT ROWID;
                    CREATE TABLE stat_published (
                        stat_key TEXT PRIMARY KEY,
                        record TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrations.register("statistics-2-aspects") { db in
            // Which parts of its registration a version changes (RegistrationVersion.Aspects: 1 status, 2 unit,
            // 4 open or closed); versions from before changed all three.
            try db.execute(sql: "ALTER TABLE stat_versions ADD COLUMN aspects INTEGER NOT NULL DEFAULT 7")
        }
        migrations.register("statistics-3-sums") { db in
            // Stage 2 keeps a key's sums in one row (its cells as JSON, as stage 3 keeps them) instead of a row per
            // cell: a batch reads and writes each changed key once, and the changelog carries one record per key
            // instead of one per changed cell (a third of all its records before).
            try db.execute(
                sql: """
                    CREATE TABLE stat_sums (
                        stat_key TEXT PRIMARY KEY,
                        county TEXT,
                        version INTEGER NOT NULL,
                        cells TEXT NOT NULL
                    ) WITHOUT ROWID
                    """)
            var sums: [String: (county: String?, version: Int, cells: [String: Int])] = [:]
            let aggregates = try Row.fetchCursor(db, sql: "SELECT stat_key, county, version FROM stat_aggregates")
            while let row = try aggregates.next() { sums[row[0]] = (row[1], row[2], [:]) }
            let cells = try Row.fetchCursor(db, sql: "SELECT stat_key, cell, value FROM stat_cells WHERE value != 0")
            while let row = try cells.next() { sums[row[0], default: (nil, 0, [:])].cells[row[1]] = row[2] }
            for (key, sum) in sums {
                try db.execute(
                    sql: "INSERT INTO stat_sums (stat_key, county, version, cells) VALUES (?, ?, ?, ?)",
                    arguments: [key, sum.county, sum.version, try StatisticsHandler.json(sum.cells)])
            }
            try db.execute(sql: "DROP TABLE stat_cells; DROP TABLE stat_aggregates")
        }
        migrations.register("statistics-4-versions-without-autoincrement") { db in
            // AUTOINCREMENT read and wrote `sqlite_sequence` in every insert (0.5–0.8 µs of about 5, measured with
            // this SQLite). `seq` only orders a person's versions, and a plain rowid is still larger than every row
            // there is. The rows keep their `seq`, so the changelog's records (keyed by it) stay as they are.
            try db.execute(
                sql: """
                    CREATE TABLE stat_versions_rebuilt (
                        seq INTEGER PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        registration_id TEXT NOT NULL,
                        school_year TEXT NOT NULL,
                        effective_date TEXT NOT NULL,
                        unit_id TEXT NOT NULL,
                        county TEXT NOT NULL,
                        status_code TEXT,
                        status_group INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        birth_date TEXT NOT NULL,
                        gender TEXT,
                        is_open INTEGER NOT NULL,
                        aspects INTEGER NOT NULL DEFAULT 7
                    );
                    INSERT INTO stat_versions_rebuilt (seq, person_id, registration_id, school_year, effective_date,
                        unit_id, county, status_code, status_group, reason, birth_date, gender, is_open, aspects)
                    SELECT seq, person_id, registration_id, school_year, effective_date, unit_id, county, status_code,
                        status_group, reason, birth_date, gender, is_open, aspects FROM stat_versions;
                    DROP TABLE stat_versions;
                    ALTER TABLE stat_versions_rebuilt RENAME TO stat_versions;
                    CREATE INDEX stat_versions_person ON stat_versions (person_id);
                    """)
        }
        migrations.register("statistics-5-one-row-per-person") { db in
            // The person stage keeps each youth in one row, read and written once per event: the versions in
            // arrival order and the contributions by period, as text (PersonState). A row per version and a row per
            // period cost a B-tree insert or more each, and a changelog record each, for every event.
            try db.execute(
                sql: """
                    CREATE TABLE stat_persons (
                        person_id TEXT PRIMARY KEY,
                        versions TEXT NOT NULL,
                        contributions TEXT NOT NULL
                    ) WITHOUT ROWID
                    """)
            var persons: [String: PersonState] = [:]
            let versions = try DirectStatement(
                db, sql: "SELECT \(RegistrationVersion.columns), person_id FROM stat_versions ORDER BY person_id, seq")
            try versions.forEachRow { row in
                persons[row.text(13) ?? "", default: PersonState()].append(try RegistrationVersion(row: row))
            }
            let contributions = try Row.fetchCursor(
                db, sql: "SELECT person_id, period, contribution FROM stat_contributions")
            while let row = try contributions.next() {
                persons[row[0], default: PersonState()].setContribution(
                    row[2], in: try StatisticsPeriod(row[1] as String))
            }
            for (person, state) in persons { try state.save(person, db: db) }
            // The changelog gets the new rows and a tombstone for each old one in the store's first round: a restore
            // must not bring back the old rows of a youth erased since (they hold the national ID).
            try ChangelogMigration.publishAll("stat_persons", in: db)
            try ChangelogMigration.dropTable("stat_versions", in: db)
            try ChangelogMigration.dropTable("stat_contributions", in: db)
        }
        return migrations
    }
}
