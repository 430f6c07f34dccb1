import GRDB
import OTStore

/// The plans service's tables, in every partition store.
enum FollowUpPlansSchema {
    static var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("followup-plans-1") { db in
            try db.execute(
                sql: """
                    -- The registrations ot.registrations.v1 told of: a plan needs an open one.
                    CREATE TABLE registrations (
                        registration_id TEXT PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        unit_id TEXT NOT NULL,
                        county TEXT NOT NULL,
                        registered_at TEXT NOT NULL,
                        closed_at TEXT,
                        close_cause TEXT,
                        close_status TEXT,
                        since TEXT NOT NULL,             -- first day of the youth's unbroken stretch in OT
                        missing_due TEXT                 -- last day a plan is due; NULL once planned, reported or in error
                    ) WITHOUT ROWID;
                    CREATE INDEX registrations_person ON registrations (person_id, registered_at);
                    CREATE INDEX registrations_missing ON registrations (missing_due) WHERE missing_due IS NOT NULL;
                    CREATE INDEX registrations_closed ON registrations (closed_at) WHERE closed_at IS NOT NULL;
                    CREATE TABLE plans (
                        plan_id TEXT PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        registration_id TEXT NOT NULL,   -- the registration it belongs to now
                        created_on TEXT NOT NULL,
                        next_review TEXT NOT NULL,
                        overdue_reported_for TEXT,       -- the next-review date no.ot.plan.review-overdue was sent for
                        awaiting_since TEXT,             -- the day its registration's closing arrived, when a continuation may follow
                        closed_on TEXT,
                        close_cause TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX plans_person ON plans (person_id);
                    CREATE INDEX plans_review ON plans (next_review) WHERE closed_on IS NULL;
                    CREATE INDEX plans_awaiting ON plans (awaiting_since) WHERE awaiting_since IS NOT NULL;
                    CREATE TABLE goals (
                        plan_id TEXT NOT NULL,
                        goal_id TEXT NOT NULL,
                        description TEXT NOT NULL,
                        PRIMARY KEY (plan_id, goal_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE measures (
                        plan_id TEXT NOT NULL,
                        measure_id TEXT NOT NULL,
                        goal_id TEXT,
                        measure_type TEXT NOT NULL,
                        agency TEXT NOT NULL,
                        due_date TEXT,
                        description TEXT NOT NULL,
                        status TEXT NOT NULL,
                        status_date TEXT NOT NULL,
                        PRIMARY KEY (plan_id, measure_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE reviews (
                        plan_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        next_review TEXT NOT NULL,
                        summary TEXT
                    );
                    CREATE INDEX reviews_plan ON reviews (plan_id);
                    -- Commands that arrived before the registration they need: decided when it arrives, or
                    -- rejected once their wait is over (docs/followup-plans.md, "Order of arrival").
                    CREATE TABLE waiting_commands (
                        seq INTEGER PRIMARY KEY,
                        person_id TEXT NOT NULL,
                        expires_at REAL NOT NULL,        -- the command's time plus the wait, in seconds since 1970
                        command TEXT NOT NULL            -- the command as a structured CloudEvent
                    );
                    CREATE INDEX waiting_commands_person ON waiting_commands (person_id, seq);
                    CREATE INDEX waiting_commands_expiry ON waiting_commands (expires_at);
                    """)
        }
        return migrations
    }
}
