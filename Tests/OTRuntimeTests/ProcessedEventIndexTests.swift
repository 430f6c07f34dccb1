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

    /// A batch's view: records each id, in one transaction; the ids already seen, in order.
    private func record(_ ids: [String], in store: PartitionStore, at time: Int64 = 100) async throws -> [String] {
        try await store.write { [processedEvents = store.processedEvents] db in
            let statements = try ProcessedEventIndex.Statements(db)
            return try ids.filter {
                try !processedEvents.firstSeen(source: "urn:test", id: $0, processedAt: time, db: db, statements)
            }
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
            try processedEvents.forget(source: "urn:test", id: "b", db: db, try ProcessedEventIndex.Statements(db))
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
            let statements = try ProcessedEventIndex.Statements(db)
            for id in ["f", "g", "h", "i"] {
                #expect(try processedEvents.firstSeen(source: "urn:test", id: id, processedAt: 300, db: db, statements))
            }
            try processedEvents.forget(source: "urn:test", id: "f", db: db, statements)
            try processedEvents.forget(source: "urn:test", id: "h", db: db, statements)
            #expect(try !processedEvents.firstSeen(source: "urn:test", id: "g", processedAt: 300, db: db, statements))
            #expect(try processedEvents.firstSeen(source: "urn:test", id: "h", processedAt: 300, db: db, statements))
        }
        #expect(try await record(["f", "g", "h", "i", "e"], in: store, at: 300) == ["g", "h", "i", "e"])
    }

    @Test("a transaction rolled back leaves the index as it was")
    func rollback() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), logger: logger)
        defer { try? store.close() }
        #expect(try await record(["kept"], in: store) == [])
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            try await store.write { [processedEvents = store.processedEvents] db in
                let statements = try ProcessedEventIndex.Statements(db)
                _ = try processedEvents.firstSeen(source: "urn:test", id: "lost", processedAt: 1, db: db, statements)
                try processedEvents.forget(source: "urn:test", id: "kept", db: db, statements)
                throw Failure()
            }
        }
        #expect(try await record(["lost", "kept"], in: store) == ["kept"])
    }

    @Test("a store of the keyed table keeps its ids through the migration, in the order they were processed")
    func migration() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let keyed = StoreSchema(runtime: 6, service: 0)
        let old = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), schema: keyed,
            logger: logger)
        try await old.store.write { db in
            for (id, time) in [("z", 1), ("y", 3), ("x", 2)] {
                try db.execute(
                    sql: "INSERT INTO ot_processed_events (source, id, processed_at) VALUES ('urn:test', ?, ?)",
                    arguments: [id, time])
            }
        }
        try old.close()

        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), logger: logger)
        defer { try? store.close() }
        let rows = try await store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, id FROM ot_processed_events ORDER BY rowid").map {
                "\($0["rowid"] as Int64):\($0["id"] as String)"
            }
        }
        #expect(rows == ["1:z", "2:x", "3:y"])
        #expect(try await record(["x", "w", "y", "z"], in: store) == ["x", "y", "z"])
    }
}
