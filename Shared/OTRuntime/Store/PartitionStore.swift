import Foundation
import GRDB
import Kafka
import Logging
import OTContract
import OTStore
import Synchronization

/// The state of one partition number of a worker: one SQLite file holding the service's own tables and the
/// runtime's (consumed offsets, processed event ids, the outbox), every change of which is also recorded for the
/// partition's changelog.
///
/// Input topics are co-partitioned (a person lands on the same partition number in each), so partition `n` of
/// every input topic shares the store of partition `n`, and partition `n` of the service's changelog topic holds
/// its changes. A partition's whole state is this one file: dropping, rebuilding or moving it is one operation on
/// one file.
public final class PartitionStore: Sendable {
    /// The partition number.
    public let partition: Int32
    /// The store.
    public let store: SQLiteStore
    /// This file's identity, written on every changelog record it publishes: a store restored or created anew gets
    /// a new one, so that the changelog tells which file published what.
    let storeID: String
    /// The migrations that built this store, as its changelog records name them.
    let schema: StoreSchema
    /// The tables the changelog records, by name.
    let changelogTables: [String: ChangelogTable]
    /// The keys of the rows changed in them, noted on the writer connection.
    let notes: ChangeNotes
    /// What runs when a write transaction ends (registered on the writer connection for its life).
    private let hooks: TransactionHooks
    /// The direct statements its transactions made, kept until it closes (``DirectStatementCache``).
    private let statements: DirectStatementCache
    /// Held while the store is open, so that no other worker removes its files (``StoreFileLock``).
    private let fileLock: StoreFileLock
    /// The outputs of the write transaction in hand (writer queue only).
    let transaction = TransactionOutputs()
    /// What this store committed that the changelog does not hold yet.
    let unpublished = Mutex(Unpublished())
    /// The relay's view of this store.
    let relay = Mutex(RelayState())
    /// The relay's progress not yet in the file, for its next write.
    let progress = Mutex<RelayProgress?>(nil)
    /// The de-duplication window's event ids, for lookups in memory.
    let processedEvents: ProcessedEventIndex
    /// When the de-duplication records past their window were last deleted (ticks only).
    let lastPrune = Mutex<Date?>(nil)

    /// Opens (creating or migrating) the store of `partition`: with every migration, or only those of `schema`
    /// (for a restore of records written before later migrations).
    init(
        partition: Int32, directory: URL, serviceMigrations: StoreMigrations, schema: StoreSchema? = nil,
        processedEvents: ProcessedEventIndex = ProcessedEventIndex(), logger: Logger
    ) throws(StoreError) {
        self.partition = partition
        self.processedEvents = processedEvents
        let schema = schema ?? StoreSchema(runtime: Self.runtimeMigrations.count, service: serviceMigrations.count)
        self.schema = schema
        var migrations = Self.runtimeMigrations.prefix(schema.runtime)
        migrations.append(contentsOf: serviceMigrations.prefix(schema.service))
        let path = Self.path(partition: partition, directory: directory)
        var logger = logger
        logger[metadataKey: "partition"] = "\(partition)"
        // The lock first: no other worker may remove the files once this one opens them.
        try SQLiteStore.createDirectory(forStoreAt: path)
        do {
            fileLock = try StoreFileLock.shared(storeAt: path)
        } catch {
            throw StoreError.cannotOpen(path: StoreFileLock.path(ofStoreAt: path), reason: "\(error)")
        }
        let store = try SQLiteStore(path: path, migrations: migrations, logger: logger)
        let hooks = TransactionHooks { committed in processedEvents.transactionEnded(committed: committed) }
        self.hooks = hooks
        do {
            (storeID, changelogTables, notes, statements) = try store.write { db in
                db.add(transactionObserver: hooks, extent: .observerLifetime)
                let tables = try ChangelogTable.all(in: db)
                let notes = try ChangeNotes(tables: tables, on: db, valuePrefix: schema.valuePrefix)
                let statements = try DirectStatementCache(for: db)
                do {
                    let storeID: String
                    if let existing = try String.fetchOne(db, sql: "SELECT store_id FROM ot_store_meta") {
                        storeID = existing
                    } else {
                        storeID = CloudEvent.newID()
                        try db.execute(
                            sql: "INSERT INTO ot_store_meta (id, store_id) VALUES (1, ?)", arguments: [storeID])
                        // A store that has state from before it had a changelog publishes all of it (a new one is
                        // empty).
                        for table in tables { try table.notePendingAll(in: db) }
                    }
                    return (
                        storeID, Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) }), notes, statements
                    )
                } catch {
                    notes.release()  // the hook goes with the store that failed to open
                    throw error
                }
            }
        } catch {
            try? store.close()
            throw StoreError.mapping(error, path: path)
                ?? .migrationFailed(
                    path: path, migration: "changelog notes", reason: "\(error)")
        }
        self.store = store
    }

    /// Runs `body` in a write transaction of the store; at its end, still inside it, the events it recorded as
    /// processed are written (``ProcessedEventIndex/flush(db:)``) and the rows it changed are read as changelog
    /// records, and when it commits they join ``unpublished`` with the messages it emitted. The relay's progress not
    /// yet in the file goes with it (``RelayProgress``). Every write of the runtime goes through here.
    ///
    /// The transaction runs on the calling thread, inside the store's writer queue (a `DispatchQueue.sync`, which runs
    /// the work in place when the queue is idle, as it is but for a store's own maintenance), not as a job handed to
    /// the queue's thread and a task resumed after it: those two thread switches per partition group were 5–8 % of the
    /// services' CPU per event at a steady 1,000 events/s and a tenth of `ot-registrations`' rate at full speed. The
    /// work is CPU-bound (a store in use commits without a sync), and a batch runs at most one group per core
    /// (``Worker/parallelCommits``), so the executor's threads are busy with the batch's own work, never left waiting
    /// on another task.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try writeOnThisThread { [notes, transaction, statements] db in
            do {
                let result = try DirectStatement.cachingStatements(in: statements) {
                    try self.writeProgress(db)
                    let result = try body(db)
                    try self.processedEvents.flush(db: db)
                    return result
                }
                let records = try notes.collect()
                let (messages, offsets, scrub) = transaction.take()
                if !records.isEmpty || !messages.isEmpty || offsets != nil || scrub {
                    self.hooks.afterNextTransaction {
                        self.unpublished.withLock {
                            $0.append(records: records, messages: messages, offsets: offsets, scrub: scrub)
                        }
                    }
                }
                return result
            } catch {
                notes.clear()
                transaction.reset()
                throw error
            }
        }
    }

    /// The store's blocking write, named apart: in an `async` function the compiler picks the `async` overload.
    private func writeOnThisThread<T>(_ body: (Database) throws -> T) throws -> T { try store.write(body) }

    /// Runs `body` in a write transaction of the store without noting its changes: a restore's rows, which the
    /// changelog has (noting each cost about a microsecond, for nothing).
    func writeUnnoted<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await store.write { [notes, statements] db in
            notes.setPaused(true)
            defer { notes.setPaused(false) }
            return try DirectStatement.cachingStatements(in: statements) { try body(db) }
        }
    }

    /// Takes the store into use once it is current (kept or restored) and its outbox recovered: what an earlier
    /// release or a restore left in its tables to publish (`ot_changelog_pending`, `ot_outbox`) moves to memory
    /// and the relay's state is read; from now until ``markReleased()`` the file counts as in use, and a worker that
    /// finds it so (a crash, a lost partition: what it committed but never published is gone with the process)
    /// restores it from the changelog rather than keep it.
    func beginUse() async throws {
        try await store.write { [notes, changelogTables, schema] db in
            var records: [ChangeRecord] = []
            var droppedRows = false
            for name in try String.fetchAll(db, sql: "SELECT DISTINCT tbl FROM ot_changelog_pending ORDER BY tbl") {
                guard let table = changelogTables[name] else {
                    // A table a migration dropped (ChangelogMigration.dropTable): each of its rows is deleted.
                    droppedRows = true
                    for key in try String.fetchAll(
                        db, sql: "SELECT DISTINCT pk FROM ot_changelog_pending WHERE tbl = ? ORDER BY pk",
                        arguments: [name])
                    {
                        records.append(ChangeRecord(key: ChangelogRecord.key(table: name, rowKey: key), value: nil))
                    }
                    continue
                }
                for (key, values) in try table.pendingRows(in: db) {
                    records.append(
                        ChangeRecord(
                            key: ChangelogRecord.key(table: name, rowKey: key),
                            value: values.map { schema.valuePrefix + ChangelogRowCodec.encode($0) }))
                }
            }
            // The messages a restore gave back, in the order they were emitted: rows of `ot_outbox` (from before
            // chunks) and the messages of `ot_outbox_chunks`' rows. Each is recorded again in a chunk of the first
            // round, and its old record's tombstone goes with that round.
            var messages = try Row.fetchAll(
                db, sql: "SELECT seq, outbox_id, topic, partition, key, value, headers FROM ot_outbox ORDER BY seq"
            ).map { row in
                let encodedHeaders = Array(row["headers"] as Data)
                return OutboxMessage(
                    seq: row["seq"], restoredKey: ChangelogRecord.outboxKey(row["seq"]), outboxID: row["outbox_id"],
                    topic: row["topic"], partition: row["partition"], key: (row["key"] as Data?).map(Array.init),
                    value: (row["value"] as Data?).map(Array.init), headers: OutboxHeaders.decode(encodedHeaders),
                    encodedHeaders: encodedHeaders)
            }
            var lastChunk: Int64 = 0
            for row in try Row.fetchAll(db, sql: "SELECT seq, messages FROM \(OutboxChunk.table) ORDER BY seq") {
                let chunk: Int64 = row["seq"]
                guard let chunkMessages = OutboxChunk.decode(Array(row["messages"] as Data)) else {
                    throw ChangelogError.malformedRecord("the outbox chunk \(chunk) does not decode")
                }
                let key = OutboxChunk.key(chunk)
                messages += chunkMessages.map { message in
                    var message = message
                    message.restoredKey = key
                    return message
                }
                lastChunk = chunk
            }
            messages.sort { $0.seq < $1.seq }
            let lastSeq = max(
                messages.last?.seq ?? 0,
                try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ot_outbox'") ?? 0)
            let meta = try Row.fetchOne(db, sql: "SELECT round, marker_offset, scrub_requested FROM ot_store_meta")!
            let offsets = try Self.consumedOffsets(in: db)
            try db.execute(sql: "DELETE FROM ot_changelog_pending")
            try db.execute(sql: "DELETE FROM ot_outbox")
            try db.execute(sql: "DELETE FROM \(OutboxChunk.table)")
            try db.execute(sql: "UPDATE ot_store_meta SET in_use = 1")
            // The deleted outbox rows and chunks go on in memory: the changelog keeps them until they are delivered.
            notes.clear()
            var relay = RelayState()
            relay.nextSeq = lastSeq + 1
            relay.nextChunk = lastChunk + 1
            relay.round = meta["round"]
            relay.markerOffset = meta["marker_offset"]
            // The dropped table's rows (and their keys, noted here until now) are deleted as an erasure's are: the
            // log is checkpointed into the file and truncated once their tombstones are out, so that no page of
            // them stays in either file (stores run with secure_delete).
            relay.scrub = (meta["scrub_requested"] as Int) == 1 || droppedRows
            if records.isEmpty && relay.markerOffset != nil { relay.offsets = offsets }
            self.relay.withLock { $0 = relay }
            // After what the recovery committed (the tombstones of rows it found delivered). Every consumed offset
            // goes with the first round: a restored store's first round (a marker alone) tells the group's mirror
            // what the changelog holds.
            self.unpublished.withLock {
                $0.append(records: records, messages: messages, offsets: offsets, scrub: false)
            }
        }
        try await store.deferSyncs(true)
    }

    /// Marks the store released with everything published and delivered, and the relay's last round written: a
    /// worker on this disk may keep it.
    func markReleased() async throws {
        try await store.deferSyncs(false)
        // Unnoted: the store publishes nothing more, and notes left in memory would go with a later write.
        try await writeUnnoted { db in
            try self.writeProgress(db)
            try db.execute(sql: "UPDATE ot_store_meta SET in_use = 0")
        }
    }

    /// Notes the progress of a relay round, for the store's next write.
    func noteProgress(_ latest: RelayProgress) {
        progress.withLock { $0 = $0.map { $0.merging(latest) } ?? latest }
    }

    /// Writes the relay's progress not yet in the file in the transaction of `db`; should it roll back, the
    /// progress waits for the next write again.
    private func writeProgress(_ db: Database) throws {
        guard
            let taken = progress.withLock({ progress in
                defer { progress = nil }; return progress
            })
        else { return }
        do {
            try taken.write(db)
        } catch {
            noteProgress(taken)
            throw error
        }
        hooks.afterNextTransaction {
        } onRollback: { [self] in
            noteProgress(taken)
        }
    }

    /// Stops noting, lets its statements go and closes the file.
    func close() throws {
        try? store.write { [notes, statements] _ in
            notes.release()
            statements.removeAll()
        }
        try store.close()
        fileLock.release()
    }

    /// The file of partition `partition`'s store in `directory`.
    static func path(partition: Int32, directory: URL) -> String {
        directory.appendingPathComponent(String(format: "partition-%03d.sqlite", partition)).path
    }

    /// The partition whose store a file of the folder belongs to (the database, its WAL or shared-memory file), as
    /// ``path(partition:directory:)`` names them; `nil` for any other file.
    static func partition(ofFileNamed name: String) -> Int32? {
        var rest = Substring(name)
        for suffix in ["-wal", "-shm"] where rest.hasSuffix(suffix) { rest = rest.dropLast(suffix.count) }
        guard rest.hasPrefix("partition-"), rest.hasSuffix(".sqlite") else { return nil }
        let digits = rest.dropFirst("partition-".count).dropLast(".sqlite".count)
        guard digits.count >= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int32(digits) else {
            return nil
        }
        return String(format: "partition-%03d.sqlite", number) == String(rest) ? number : nil
    }

    /// Removes the files of a partition's store (the database, its WAL and shared-memory files), which must be
    /// closed.
    static func removeFiles(partition: Int32, directory: URL) throws {
        let path = Self.path(partition: partition, directory: directory)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.removeItem(atPath: file)
        }
    }

    /// The next offset to consume of each input topic for this partition number, as last committed.
    func consumedOffsets() throws -> [String: Int64] {
        try store.read { db in try Self.consumedOffsets(in: db) }
    }

    /// The next offset to consume of each input topic, as the transaction of `db` sees them.
    static func consumedOffsets(in db: Database) throws -> [String: Int64] {
        var offsets: [String: Int64] = [:]
        // Direct: the batch asks it in most transactions of a service with two input topics, and GRDB's rows
        // (a copy of each, its columns found by name) cost more than the read.
        let select = try DirectStatement(db, sql: "SELECT topic, next_offset FROM ot_offsets")
        try select.forEachRow { row in
            if let topic = row.text(0), let offset = row.int64(1) { offsets[topic] = offset }
        }
        return offsets
    }

    /// The consumed offsets the changelog holds, when known (once the store is in use).
    var publishedOffsets: [String: Int64]? { relay.withLock { $0.offsets } }

    /// The changelog offset of the last round marker this file published, if it ever did.
    func publishedMarkerOffset() async throws -> Int64? {
        try await store.read { db in
            try Int64.fetchOne(db, sql: "SELECT marker_offset FROM ot_store_meta")
        }
    }

    /// Whether the file was in use and never released (``beginUse()``): the worker that used it stopped without
    /// publishing everything it committed.
    func wasLeftInUse() async throws -> Bool {
        try await store.read { db in try Bool.fetchOne(db, sql: "SELECT in_use FROM ot_store_meta") ?? false }
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
        migrations.register("ot-runtime-2-changelog") { db in
            try db.execute(
                sql: """
                    -- The keys of rows changed since the changelog last published them (filled by triggers).
                    CREATE TABLE ot_changelog_pending (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        tbl TEXT NOT NULL,
                        pk TEXT NOT NULL
                    );
                    -- This file's identity and what of it the changelog holds.
                    CREATE TABLE ot_store_meta (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        store_id TEXT NOT NULL,
                        round INTEGER NOT NULL DEFAULT 0,
                        marker_offset INTEGER
                    );
                    """)
        }
        migrations.register("ot-runtime-3-scrub") { db in
            // Set by a transaction that erased personal data (HandlerContext.scrubAfterPublishing()); cleared once
            // the log was checkpointed and truncated after the erasure and its outputs were published.
            try db.execute(sql: "ALTER TABLE ot_store_meta ADD COLUMN scrub_requested INTEGER NOT NULL DEFAULT 0")
        }
        migrations.register("ot-runtime-4-pending-without-autoincrement") { db in
            // AUTOINCREMENT updated sqlite_sequence on every note (each trigger firing is a statement of its own).
            // Plain rowids serve: a round deletes only notes up to the largest it read, and notes written since
            // have larger rowids, as the rows it read are still there when they are written.
            try db.execute(
                sql: """
                    CREATE TABLE ot_changelog_pending_new (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, pk TEXT NOT NULL);
                    INSERT INTO ot_changelog_pending_new SELECT seq, tbl, pk FROM ot_changelog_pending;
                    DROP TABLE ot_changelog_pending;
                    ALTER TABLE ot_changelog_pending_new RENAME TO ot_changelog_pending;
                    """)
        }
        migrations.register("ot-runtime-5-in-use") { db in
            // Set while a worker uses the store (its unpublished changes live in that worker's memory); cleared when
            // it is released with everything published. A store found in use is restored from the changelog.
            try db.execute(sql: "ALTER TABLE ot_store_meta ADD COLUMN in_use INTEGER NOT NULL DEFAULT 0")
        }
        migrations.register("ot-runtime-6-dedupe-without-age-index") { db in
            // Maintaining it was half the cost of a de-duplication record (about 7 µs of 15 measured); the window's
            // pruning (hourly) scans the table instead.
            try db.execute(sql: "DROP INDEX IF EXISTS ot_processed_events_age")
        }
        migrations.register("ot-runtime-7-dedupe-in-arrival-order") { db in
            // Keyed by source and id (random UUIDs), every insert landed on a page of its own and a long-lived
            // store slowed down (ProcessedEventIndex): a rowid table is appended to, and looked up in memory. The
            // rows keep their order of processing (ties by source and id: the same rows get the same rowids in every
            // copy of the store, a restored one included).
            try db.execute(
                sql: """
                    CREATE TABLE ot_processed_events_new (
                        source TEXT NOT NULL,
                        id TEXT NOT NULL,
                        processed_at INTEGER NOT NULL
                    );
                    INSERT INTO ot_processed_events_new (source, id, processed_at)
                        SELECT source, id, processed_at FROM ot_processed_events ORDER BY processed_at, source, id;
                    DROP TABLE ot_processed_events;
                    ALTER TABLE ot_processed_events_new RENAME TO ot_processed_events;
                    """)
        }
        migrations.register("ot-runtime-8-dedupe-in-batches") { db in
            // A row per event cost an insert and a changelog record each (8 % of `ot-registrations`' instructions
            // per event): a row holds a transaction's events now (ProcessedEventIndex). The old rows move in the order
            // they were processed, one row per processing time, and the changelog gets the new rows and a tombstone
            // for each old one.
            try db.execute(
                sql: "CREATE TABLE ot_processed_batches (processed_at INTEGER NOT NULL, events BLOB NOT NULL)")
            let insert = try db.makeStatement(
                sql: "INSERT INTO ot_processed_batches (processed_at, events) VALUES (?, ?)")
            var batches = ProcessedEventList.Rows()
            func write(_ row: (processedAt: Int64, bytes: [UInt8])?) throws {
                guard let row else { return }
                try insert.execute(arguments: [row.processedAt, Data(row.bytes)])
            }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT source, id, processed_at FROM ot_processed_events ORDER BY rowid")
            while let row = try rows.next() {
                try write(batches.append(source: row[0], id: row[1], processedAt: row[2]))
            }
            try write(batches.take())
            try ChangelogMigration.publishAll("ot_processed_batches", in: db)
            try ChangelogMigration.dropTable("ot_processed_events", in: db)
        }
        migrations.register("ot-runtime-9-outbox-in-chunks") { db in
            // A record and a tombstone per emitted message were two of the three messages an output cost: the relay
            // records a round's messages in chunks now (OutboxChunk). The table holds only what a restore gives back;
            // `ot_outbox` stays for the rows of changelogs written before.
            try db.execute(
                sql: "CREATE TABLE \(OutboxChunk.table) (seq INTEGER PRIMARY KEY, messages BLOB NOT NULL)")
        }
        migrations.register("ot-runtime-10-dedupe-batches-indexed") { db in
            // An erasure's scrub rebuilds the file (VACUUM), which keeps a rowid table's rowids only when the table
            // has an index: the de-duplication rows are known by rowid, in ProcessedEventIndex and on the
            // changelog, and would have been renumbered. The index serves the window's pruning too; it costs an
            // insert per row, one per up to 512 events.
            try db.execute(
                sql: "CREATE INDEX ot_processed_batches_processed_at ON ot_processed_batches (processed_at)")
        }
        return migrations
    }()
}
