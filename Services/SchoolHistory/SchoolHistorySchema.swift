import GRDB
import OTStore

/// The school-history service's tables, in every partition store.
enum SchoolHistorySchema {
    static var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("school-history-1") { db in
            try db.execute(
                sql: """
                    -- Each upstream fact about a person's schooling, as the reply shows it (a SchoolHistory entry
                    -- as JSON); ordered by its own date when answering, whatever order the events came in.
                    CREATE TABLE history (
                        seq INTEGER PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        kind TEXT NOT NULL,              -- APPLICATION, OFFER, ENROLLMENT, DROPOUT, COMPLETION
                        date TEXT NOT NULL,              -- the fact's date (an offer: its school year's first day)
                        at REAL NOT NULL,                -- the event's time, for facts of one date
                        entry TEXT NOT NULL
                    );
                    CREATE INDEX history_person ON history (person_id, date, at);
                    -- Where the population register says the person lives: the latest person.updated by its time.
                    CREATE TABLE persons (
                        person_id TEXT PRIMARY KEY,
                        county TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    -- The person's open OT registration (closed ones are forgotten: no lookup needs them).
                    CREATE TABLE registrations (
                        registration_id TEXT PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        unit_id TEXT NOT NULL,
                        county TEXT NOT NULL,
                        school_year TEXT NOT NULL,
                        registered_at TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        status_code TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX registrations_person ON registrations (person_id);
                    """)
        }
        return migrations
    }
}
