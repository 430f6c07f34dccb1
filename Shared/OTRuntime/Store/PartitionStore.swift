import Foundation
import GRDB
import Kafka
import Logging
import OTStore

/// The state of one partition number of a worker: one SQLite file holding the service's own tables and the
/// runtime's (consumed offsets, processed event ids, the outbox).
///
/// Input topics are co-partitioned (a person lands on the same partition number in each), so partition `n` of
/// every input topic shares the store of partition `n`. A partition's whole state is this one file: dropping,
/// rebuilding or moving it is one operation on one file.
public final class PartitionStore: Sendable {
    /// The partition number.
    public let partition: Int32
    /// The store.
    public let store: SQLiteStore

    init(partition: Int32, directory: URL, serviceMigrations: StoreMigrations, logger: Logger) throws(StoreError) {
        self.partition = partition
        var migrations = Self.runtimeMigrations
        migrations.append(contentsOf: serviceMigrations)
        let path = directory.appendingPathComponent(String(format: "partition-%03d.sqlite", partition)).path
        var logger = logger
        logger[metadataKey: "partition"] = "\(partition)"
        self.store = try SQLiteStore(path: path, migrations: migrations, logger: logger)
    }

    /// The next offset to consume of each input topic for this partition number, as last committed.
    func consumedOffsets() throws -> [String: Int64] {
        try store.read { db in
            var offsets: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT topic, next_offset FROM ot_offsets") {
                offsets[row["topic"]] = row["next_offset"]
            }
            return offsets
        }
    }

    /// The runtime's own tables, created before the service's.
    static let runtimeMigrations: StoreMigrations = {
        var migrations = StoreMigrations()
        migrations.register("ot-runtime-1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE ot_offsets (
                        topic TEXT NOT NULL PRIMARY KEY,
                        next_offset INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE ot_processed_events (
                        source TEXT NOT NULL,
                        id TEXT NOT NULL,
                        processed_at INTEGER NOT NULL,
                        PRIMARY KEY (source, id)
                    ) WITHOUT ROWID;
                    CREATE INDEX ot_processed_events_age ON ot_processed_events(processed_at);
                    CREATE TABLE ot_outbox (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        outbox_id TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        partition INTEGER NOT NULL,
                        key BLOB,
                        value BLOB,
                        headers BLOB NOT NULL,
                        attempted INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE ot_outbox_positions (
                        topic TEXT NOT NULL,
                        partition INTEGER NOT NULL,
                        delivered_offset INTEGER NOT NULL,
                        PRIMARY KEY (topic, partition)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrations
    }()
}
