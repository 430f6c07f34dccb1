import Foundation
import GRDB
import KafkaTesting
import Logging
import OTRuntimeTesting
import OTStore
import Testing

@testable import OTRuntime

@Suite("The de-duplication window's index", .timeLimit(.minutes(2)))
struct ProcessedEventIndexTests {
    private let logger = Logger(label: "processed-event-index-test")

    /// Partition 0's store in `directory`, with the runtime's tables only.
    private func openStore(in directory: TemporaryDirectory) throws -> PartitionStore {
        try PartitionStore(partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), logger: logger)
    }

    /// A batch's view: records each id, in one transaction; the ids already seen, in order.
    private func record(_ ids: [String], in store: PartitionStore, at time: Int64 = 100) async throws -> [String] {
        try await store.write { [processedEvents = store.processedEvents] db in
            try ids.filter { try !processedEvents.firstSeen(source: "urn:test", id: $0, processedAt: time, db: db) }
        }
    }

    @Test("with every id under one hash, each hit is checked against its row: ids are told apart, forgotten and pruned")
    func collisions() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(),
            processedEvents: ProcessedEventIndex { _, _ in 42 }, logger: logger)
        defer { try? store.close() }

        // New ids, one of them twice in the same transaction.
        #expect(try await record(["a", "b", "a", "c"], in: store) == ["a"])
        // Committed: all three are seen; a fourth is new.
        #expect(try await record(["c", "d", "b", "a"], in: store) == ["c", "b", "a"])
        // Forgetting one (a dead-lettered event) leaves the others.
        try await store.write { [processedEvents = store.processedEvents] db in
            try processedEvents.forget(source: "urn:test", id: "b", db: db)
        }
        #expect(try await record(["a", "b", "c", "d"], in: store) == ["a", "c", "d"])
        // "b" was recorded again just now, at time 100 like the rest; an id recorded later survives the pruning.
        #expect(try await record(["e"], in: store, at: 200) == [])
        let pruned = try await store.write { [processedEvents = store.processedEvents] db in
            try processedEvents.prune(before: 150, db: db)
        }
        #expect(pruned == 4)
        #expect(try await record(["e", "a"], in: store, at: 300) == ["e"])
        // Ids recorded and one of them forgotten in the same transaction, the first of the hash's new rows and one
        // after it: the others are seen once it commits.
        try await store.write { [processedEvents = store.processedEvents] db in
            for id in ["f", "g", "h", "i"] {
                #expect(try processedEvents.firstSeen(source: "urn:test", id: id, processedAt: 300, db: db))
            }
            try processedEvents.forget(source: "urn:test", id: "f", db: db)
            try processedEvents.forget(source: "urn:test", id: "h", db: db)
            #expect(try !processedEvents.firstSeen(source: "urn:test", id: "g", processedAt: 300, db: db))
            #expect(try processedEvents.firstSeen(source: "urn:test", id: "h", processedAt: 300, db: db))
        }
        #expect(try await record(["f", "g", "h", "i", "e"], in: store, at: 300) == ["g", "h", "i", "e"])
    }

    @Test("a transaction rolled back leaves the index as it was")
    func rollback() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(in: directory)
        defer { try? store.close() }
        #expect(try await record(["kept"], in: store) == [])
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            try await store.write { [processedEvents = store.processedEvents] db in
                _ = try processedEvents.firstSeen(source: "urn:test", id: "lost", processedAt: 1, db: db)
                try processedEvents.forget(source: "urn:test", id: "kept", db: db)
                throw Failure()
            }
        }
        #expect(try await record(["lost", "kept"], in: store) == ["kept"])
    }

    /// The ids of each row of `ot_processed_batches`, in row order, with the row's processing time.
    private func batches(in store: PartitionStore) async throws -> [String] {
        try await store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT processed_at, events FROM ot_processed_batches ORDER BY rowid").map {
                "\($0["processed_at"] as Int64):" + storedEventIDs($0["events"]).joined(separator: ",")
            }
        }
    }

    @Test(
        "a transaction's events are one row, split at 512 events; an event forgotten later leaves the rest of its row")
    func rows() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(in: directory)
        defer { try? store.close() }
        let ids = (0..<1_100).map { "e\($0)" }
        #expect(try await record(ids + ["e7"], in: store) == ["e7"])
        var rows = try await batches(in: store)
        #expect(rows.map { $0.split(separator: ",").count } == [512, 512, 76])
        #expect(rows.map { $0.prefix(while: { $0 != ":" }) } == ["100", "100", "100"])
        #expect(rows.joined(separator: ",").split(separator: ",").map { String($0.split(separator: ":").last!) } == ids)
        // A later transaction forgets one event of the first row and the only event of its own: the row is rewritten
        // without it, and the transaction's own row is never written.
        try await store.write { [processedEvents = store.processedEvents] db in
            #expect(try processedEvents.firstSeen(source: "urn:test", id: "new", processedAt: 200, db: db))
            try processedEvents.forget(source: "urn:test", id: "e1", db: db)
            try processedEvents.forget(source: "urn:test", id: "new", db: db)
        }
        rows = try await batches(in: store)
        #expect(rows.count == 3)
        #expect(rows[0] == "100:" + (["e0"] + (2..<512).map { "e\($0)" }).joined(separator: ","))
        #expect(try await record(["e0", "e1", "new", "e1099"], in: store, at: 300) == ["e0", "e1099"])
        // Each of the three rows is published once, and so is the rewrite and the last transaction's row.
        #expect(store.unpublished.withLock { $0.records.count } == 5)
    }

    @Test(
        "a row is closed at 64 KiB as well: long ids make rows of fewer events, one longer than that a row of its own")
    func rowsBySize() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(in: directory)
        defer { try? store.close() }
        // An event of a 20,000-byte id from "urn:test" takes 8 + 8 + 20,000 bytes: after the format byte, three fit
        // in 65,536 (60,049), a fourth does not (80,065). An id of 70,000 bytes is over the limit alone.
        let ids = (0..<7).map { String(repeating: "\($0)", count: 20_000) }
        let huge = String(repeating: "h", count: 70_000)
        #expect(try await record(ids + [huge, "small"], in: store) == [])
        let rows = try await store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT events FROM ot_processed_batches ORDER BY rowid").map {
                (events: storedEventIDs($0["events"]), bytes: ($0["events"] as Data).count)
            }
        }
        #expect(rows.map(\.events) == [Array(ids[0..<3]), Array(ids[3..<6]), [ids[6]], [huge], ["small"]])
        #expect(rows.map(\.bytes) == [60_049, 60_049, 20_017, 70_017, 22])
        #expect(try await record(ids + [huge, "small"], in: store, at: 200) == ids + [huge, "small"])
    }

    /// The changelog gets the new rows and a tombstone for each old one.
    @Test("a store of one row per event keeps its ids through the migration to rows of events, in processing order")
    func migration() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // The keyed table of runtime 6 goes through migration 7 (a rowid table in processing order) on the way.
        let keyed = StoreSchema(runtime: 6, service: 0)
        let old = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), schema: keyed,
            logger: logger)
        try await old.store.write { db in
            for (id, time) in [("z", 1), ("y", 3), ("x", 2), ("v", 2)] {
                try db.execute(
                    sql: "INSERT INTO ot_processed_events (source, id, processed_at) VALUES ('urn:test', ?, ?)",
                    arguments: [id, time])
            }
        }
        try old.close()

        let store = try openStore(in: directory)
        defer { try? store.close() }
        // Ordered by time, then by source and id: migration 7's order.
        #expect(try await batches(in: store) == ["1:z", "2:v,x", "3:y"])
        let pending = try await store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT tbl, pk FROM ot_changelog_pending ORDER BY seq").map {
                "\($0["tbl"] as String) \($0["pk"] as String)"
            }
        }
        #expect(
            pending.sorted() == [
                "ot_processed_batches 1", "ot_processed_batches 2", "ot_processed_batches 3",
                "ot_processed_events 1", "ot_processed_events 2", "ot_processed_events 3", "ot_processed_events 4",
            ])
        let tables = try await store.store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ot_processed%'")
        }
        #expect(tables == ["ot_processed_batches"])
        #expect(try await record(["x", "w", "y", "z", "v"], in: store) == ["x", "y", "z", "v"])
    }
}
