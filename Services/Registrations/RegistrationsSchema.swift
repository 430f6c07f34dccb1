import GRDB
import OTContract
import OTStore

/// The registrations service's tables, in every partition store.
enum RegistrationsSchema {
    static var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("registrations-1") { db in
            try db.execute(
                sql: """
                    -- What the population register told about each person (person.updated).
                    CREATE TABLE persons (
                        person_id TEXT PRIMARY KEY,
                        birth_date TEXT NOT NULL,
                        gender TEXT,
                        county TEXT NOT NULL,
                        municipality TEXT,
                        known INTEGER NOT NULL,          -- 1 once person.updated arrived
                        enrolled INTEGER NOT NULL DEFAULT 0,
                        completed INTEGER NOT NULL DEFAULT 0
                    ) WITHOUT ROWID;
                    -- Triggers that arrived before the person's person.updated; replayed when it comes.
                    CREATE TABLE pending_triggers (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        person_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        date TEXT NOT NULL
                    );
                    CREATE INDEX pending_triggers_person ON pending_triggers (person_id);
                    CREATE TABLE registrations (
                        registration_id TEXT PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        unit_id TEXT NOT NULL,
                        county TEXT NOT NULL,
                        school_year TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        registered_at TEXT NOT NULL,
                        status_code TEXT NOT NULL,
                        status_date TEXT NOT NULL,
                        ages_out_on TEXT NOT NULL,       -- 31 December of the year the youth turns 24
                        closed_at TEXT,
                        close_cause TEXT,
                        close_status TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX registrations_person ON registrations (person_id);
                    CREATE INDEX registrations_open ON registrations (school_year, ages_out_on) WHERE closed_at IS NULL;
                    CREATE TABLE contacts (
                        registration_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        reached INTEGER NOT NULL
                    );
                    CREATE INDEX contacts_registration ON contacts (registration_id);
                    CREATE TABLE activities (
                        registration_id TEXT NOT NULL,
                        activity_type TEXT NOT NULL,
                        date TEXT NOT NULL
                    );
                    CREATE INDEX activities_registration ON activities (registration_id);
                    """)
        }
        migrations.register("registrations-2-event-time") { db in
            try db.execute(
                sql: """
                    -- Every dated fact about a person's schooling and every trigger (PersonFacts): decisions are made
                    -- as of dates, whatever order the events arrived in.
                    CREATE TABLE person_facts (
                        seq INTEGER PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        kind TEXT NOT NULL,              -- ENROLLED, DROPPED_OUT, COMPLETED, TRIGGER
                        date TEXT NOT NULL,
                        school_year TEXT,                -- the enrollment's or dropout's; the year a trigger is about
                        detail TEXT NOT NULL             -- enrollment kind, dropout reason or registration reason
                    );
                    CREATE INDEX person_facts_person ON person_facts (person_id, date);
                    INSERT INTO person_facts (person_id, kind, date, detail)
                        SELECT person_id, 'TRIGGER', date, reason FROM pending_triggers ORDER BY seq;
                    DROP TABLE pending_triggers;
                    ALTER TABLE persons DROP COLUMN enrolled;
                    ALTER TABLE persons DROP COLUMN completed;
                    -- What made a registration: TRIGGER (an upstream event), COMMAND (a case worker), MOVED (a move to
                    -- another county), CONTINUED (a new school year). superseded: closed as Feil by the service itself,
                    -- because a later-arriving event showed it should not have been made.
                    ALTER TABLE registrations ADD COLUMN origin TEXT NOT NULL DEFAULT 'TRIGGER';
                    ALTER TABLE registrations ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;
                    -- Persons with a fact dated after the day it arrived on: looked at again when that day comes.
                    CREATE TABLE persons_due (
                        date TEXT NOT NULL,
                        person_id TEXT NOT NULL,
                        PRIMARY KEY (date, person_id)
                    ) WITHOUT ROWID;
                    """)
        }
        migrations.register("registrations-3-open-by-age") { db in
            // The tick looks for open registrations of an earlier school year or past the upper age in every batch;
            // with the OR of the two it read every registration of the partition (about 0.6 ms at 1,500), which
            // made a small batch cost more than its events. Each half now has an index.
            try db.execute(
                sql: "CREATE INDEX registrations_open_ages_out ON registrations (ages_out_on) WHERE closed_at IS NULL")
        }
        migrations.register("registrations-4-rowid-table") { db in
            // As a WITHOUT ROWID table keyed by its random id, every insert landed on a page of its own among wide
            // rows, and each of the three indexes carried the 36-character id: an insert cost 1.7 times as much as
            // in a rowid table at 3,000 registrations in a store, 3.3 times at 20,000 (operations.md). The id stays
            // the primary key, as a unique index beside the rowid, so the changelog still records a row by its id
            // (ChangelogTable) and the compacted changelog's records stay as they are. Queries order by the id where
            // the order of equal rows matters: a restore gives rows other rowids.
            try db.execute(
                sql: """
                    CREATE TABLE registrations_new (
                        registration_id TEXT NOT NULL PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        unit_id TEXT NOT NULL,
                        county TEXT NOT NULL,
                        school_year TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        registered_at TEXT NOT NULL,
                        status_code TEXT NOT NULL,
                        status_date TEXT NOT NULL,
                        ages_out_on TEXT NOT NULL,
                        closed_at TEXT,
                        close_cause TEXT,
                        close_status TEXT,
                        origin TEXT NOT NULL DEFAULT 'TRIGGER',
                        superseded INTEGER NOT NULL DEFAULT 0
                    );
                    INSERT INTO registrations_new
                        SELECT registration_id, person_id, unit_id, county, school_year, reason, registered_at,
                            status_code, status_date, ages_out_on, closed_at, close_cause, close_status, origin, superseded
                        FROM registrations ORDER BY registered_at, registration_id;
                    DROP TABLE registrations;
                    ALTER TABLE registrations_new RENAME TO registrations;
                    CREATE INDEX registrations_person ON registrations (person_id);
                    CREATE INDEX registrations_open ON registrations (school_year, ages_out_on) WHERE closed_at IS NULL;
                    CREATE INDEX registrations_open_ages_out ON registrations (ages_out_on) WHERE closed_at IS NULL;
                    """)
        }
        migrations.register("registrations-5-residence") { db in
            // Where a person lives is dated too (ResidenceHistory: every person.updated's county from the day of
            // its time, `date,at,county` entries joined by `;`), so that a move follows the dates of the updates,
            // whatever order they arrive in; the other values are the latest update's (`updated_at`).
            try db.execute(
                sql: """
                    ALTER TABLE persons ADD COLUMN updated_at INTEGER;
                    ALTER TABLE persons ADD COLUMN residences TEXT;
                    """)
            // A person known before it gets the history the stored registrations tell: residences(of:county:in:).
            let persons = try Row.fetchAll(
                db, sql: "SELECT person_id, county FROM persons WHERE known = 1 ORDER BY person_id")
            for person in persons {
                let personId: String = person["person_id"]
                try db.execute(
                    sql: "UPDATE persons SET residences = ? WHERE person_id = ?",
                    arguments: [try residences(of: personId, county: person["county"], in: db), personId])
            }
        }
        migrations.register("registrations-6-residence-from-registrations") { db in
            // Migration 5's first form (landed on 2026-12-06, commit 8341c80; replaced the same day) gave every
            // known person the stored county as far back as anything goes, `1900-01-01,0,<county>`. A store it
            // migrated still has that for each person no person.updated or transfer has reached since: those
            // whose registrations tell another county get the history they tell, as migration 5 now gives it.
            let persons = try Row.fetchAll(
                db,
                sql: """
                    SELECT person_id, county FROM persons
                    WHERE known = 1 AND residences = '1900-01-01,0,' || county ORDER BY person_id
                    """)
            for person in persons {
                let personId: String = person["person_id"]
                let county: String = person["county"]
                let derived = try residences(of: personId, county: county, in: db)
                guard derived.split(separator: ";").contains(where: { !$0.hasSuffix(",\(county)") }) else { continue }
                try db.execute(
                    sql: "UPDATE persons SET residences = ? WHERE person_id = ?", arguments: [derived, personId])
            }
        }
        migrations.register("registrations-7-acted-on") { db in
            // Whether a case worker has acted on the person (any accepted command but an erasure): until then their
            // registrations are derived from the facts alone, whatever order those arrived in (docs/registrations.md,
            // "Event time"). Who has registrations already counts as acted on: whether a case worker did is not
            // kept, and their registrations keep the rules they were made under.
            try db.execute(
                sql: """
                    ALTER TABLE persons ADD COLUMN acted_on INTEGER NOT NULL DEFAULT 0;
                    UPDATE persons SET acted_on = 1 WHERE person_id IN (SELECT person_id FROM registrations);
                    """)
        }
        migrations.register("registrations-8-decided") { db in
            // Which registrations a case worker decided (RegistrationRecord.decided): those change only forward,
            // and a youth's registrations after the last of them closed are derived from the facts again
            // (docs/registrations.md, "Corrections"). Until now that was kept per person (`acted_on`), not per
            // registration: every registration of a person acted on counts as decided and keeps the rules it was
            // made under. `persons.acted_on` is read here for the last time and no longer written.
            try db.execute(
                sql: """
                    ALTER TABLE registrations ADD COLUMN decided INTEGER NOT NULL DEFAULT 0;
                    UPDATE registrations SET decided = 1
                        WHERE person_id IN (SELECT person_id FROM persons WHERE acted_on = 1);
                    """)
        }
        migrations.register("registrations-9-open-due") { db in
            // The tick's two searches (an earlier school year; past the upper age) had an index each, and every
            // registration made or closed updated both. One index on the day an open registration is next due
            // serves both: the last day of its school year (31 July) or the day the youth ages out, the earlier.
            // A registration's school year is earlier than today's exactly when that 31 July is before today.
            // Callgrind, a registration insert in C with this SQLite: about 3,900 instructions fewer.
            try db.execute(
                sql: """
                    DROP INDEX registrations_open;
                    DROP INDEX registrations_open_ages_out;
                    CREATE INDEX registrations_open_due
                        ON registrations (min(substr(school_year, 6) || '-07-31', ages_out_on)) WHERE closed_at IS NULL;
                    """)
        }
        return migrations
    }

    /// The day an open registration is next due for the tick, as SQL over a `registrations` row: the last day of its
    /// school year (`2025-2026` ends on `2026-07-31`) or the day the youth ages out, the earlier. A query uses
    /// `registrations_open_due` only with the expression its migration wrote, written exactly so: this is that
    /// expression (`RegistrationsSchemaTests.openDueIndex` checks that the tick's query uses the index). The
    /// migration keeps its own copy, as a migration that shipped never changes: another expression here needs a
    /// migration of its own.
    static let dueOn = "min(substr(school_year, 6) || '-07-31', ages_out_on)"

    /// The residence history (`date,at,county` entries joined by `;`) that a known person's stored registrations
    /// tell, for the migrations that first kept residences: each registration an upstream event or a move made was
    /// made in the county the youth lived in then; where the person lives now (`county`), if elsewhere, from the day
    /// after the last of them closed (the day they moved is not known). Without such a registration, `county` as far
    /// back as anything goes. Claiming the stored county for the whole past instead would make a registration made
    /// before a move look made in the wrong county.
    ///
    /// - Important: Migrations 5 and 6 run this: what it returns for a store's rows must not change.
    private static func residences(of personId: String, county: String, in db: Database) throws -> String {
        let registrations = try Row.fetchAll(
            db,
            sql: """
                SELECT registered_at, closed_at, county FROM registrations
                WHERE person_id = ? AND origin IN ('TRIGGER', 'MOVED', 'CONTINUED') AND superseded = 0
                    AND (close_status IS NULL OR close_status != 'Feil')
                ORDER BY registered_at, registration_id
                """, arguments: [personId])
        var entries: [(day: String, county: String)] = []
        for registration in registrations where registration["county"] != entries.last?.county {
            entries.append((registration["registered_at"], registration["county"]))
        }
        if let last = registrations.last, entries.last?.county != county {
            let closed: String? = last["closed_at"]
            let registered: String = last["registered_at"]
            let day = try closed.map { try LocalDate($0).adding(days: 1).description } ?? registered
            entries.append((day, county))
        } else if entries.isEmpty {
            entries.append(("1900-01-01", county))
        }
        return entries.map { "\($0.day),0,\($0.county)" }.joined(separator: ";")
    }
}
