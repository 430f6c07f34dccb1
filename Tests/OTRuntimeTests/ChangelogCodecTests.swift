import Foundation
import GRDB
import Kafka
import Logging
import OTStore
import Testing

@testable import OTRuntime

/// The changelog's row form is written in two places (C when a transaction ends, Swift for the notes an earlier
/// release or a restore's repair left in `ot_changelog_pending`, and for outbox rows) and read in one (C, when a
/// restore binds it): they must agree byte for byte, for every storage class.
@Suite("The changelog's row form, written in C and in Swift, read back in C", .timeLimit(.minutes(2)))
struct ChangelogCodecTests {
    private static var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("codec-1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE kinds (k TEXT PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, e BLOB, n TEXT)
                        WITHOUT ROWID;
                    CREATE TABLE plain (x TEXT);
                    -- A rowid table with a primary key of its own: recorded by that key, whatever rowid a row has.
                    CREATE TABLE keyed (id TEXT NOT NULL PRIMARY KEY, v TEXT, n INTEGER);
                    """)
        }
        return migrations
    }

    /// Every row of both tables, each value with its storage class.
    private static func contents(_ store: PartitionStore) throws -> [String] {
        try store.store.read { db -> [String] in
            try String.fetchAll(
                db,
                sql: """
                    SELECT quote(k) || typeof(i) || quote(i) || typeof(r) || quote(r) || typeof(s) || quote(s)
                        || typeof(b) || quote(b) || typeof(e) || quote(e) || typeof(n) FROM kinds
                    UNION ALL SELECT rowid || quote(x) FROM plain
                    UNION ALL SELECT quote(id) || quote(v) || typeof(n) || quote(n) FROM keyed ORDER BY 1
                    """)
        }
    }

    @Test("a rowid table whose primary key may be NULL is refused: rows with NULL keys would share one record")
    func nullablePrimaryKeyRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var migrations = StoreMigrations()
        migrations.register("nullable-1") { db in
            try db.execute(sql: "CREATE TABLE loose (id TEXT PRIMARY KEY, v TEXT)")
        }
        #expect {
            _ = try PartitionStore(
                partition: 0, directory: directory.url, serviceMigrations: migrations, logger: Logger(label: "codec"))
        } throws: { error in
            "\(error)".contains("loose") && "\(error)".contains("not declared NOT NULL")
        }
    }

    @Test("an outbox row's record key is the table, the separator and the row's seq in decimal digits")
    func outboxKey() {
        for seq: Int64 in [0, 1, 9, 10, 99, 100, 12_345, 1 << 40, .max, -1, -10, .min] {
            let expected = Array("ot_outbox".utf8) + [0x1F] + Array(String(seq, radix: 10).utf8)
            #expect(ChangelogRecord.outboxKey(seq) == expected, "seq \(seq)")
            #expect(ChangelogRecord.key(table: "ot_outbox", rowKey: String(seq)) == expected, "seq \(seq)")
        }
    }

    @Test("a transaction's records equal the Swift encoding of the same rows, and restore them exactly")
    func agreement() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let logger = Logger(label: "codec")
        let source = try PartitionStore(
            partition: 0, directory: directory.url.appendingPathComponent("a"), serviceMigrations: Self.migrations,
            logger: logger)
        try await source.write { db in
            try db.execute(
                sql:
                    "INSERT INTO kinds VALUES ('å', -7, 1.5, 'tekst ø', x'00ff10', x'', NULL), ('gone', 1, 0, '', NULL, NULL, 'x')"
            )
            try db.execute(sql: "INSERT INTO plain (rowid, x) VALUES (41, 'y'), (42, NULL)")
            try db.execute(
                sql: "INSERT INTO keyed (id, v, n) VALUES ('r-1', 'a', 1), ('r-2', 'b', 2), ('r-3', 'c', NULL)")
        }
        try await source.write { db in
            try db.execute(sql: "DELETE FROM kinds WHERE k = 'gone'")
            try db.execute(sql: "UPDATE kinds SET i = 9 WHERE k = 'å'")
            try db.execute(sql: "UPDATE keyed SET id = 'r-4', v = 'moved' WHERE id = 'r-1'")
            try db.execute(sql: "INSERT OR REPLACE INTO keyed (id, v, n) VALUES ('r-2', 'replaced', 7)")
            try db.execute(sql: "DELETE FROM keyed WHERE id = 'r-3'")
        }
        let records = source.unpublished.withLock { $0.records }
        var latest: [[UInt8]: [UInt8]?] = [:]
        for record in records { latest.updateValue(record.value.map { Array($0) }, forKey: Array(record.key)) }
        #expect(latest.count == 8)
        #expect(latest[ChangelogRecord.key(table: "kinds", rowKey: #"["gone"]"#)] == .some(nil), "a tombstone")
        // The rowid table with a primary key of its own: by that key, never by rowid.
        let keyedKeys = Set(
            latest.keys.map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix("keyed\u{1F}") })
        #expect(keyedKeys == Set([#"["r-1"]"#, #"["r-2"]"#, #"["r-3"]"#, #"["r-4"]"#].map { "keyed\u{1F}\($0)" }))
        #expect(latest[ChangelogRecord.key(table: "keyed", rowKey: #"["r-1"]"#)] == .some(nil), "the old key is gone")
        #expect(latest[ChangelogRecord.key(table: "keyed", rowKey: #"["r-3"]"#)] == .some(nil), "a tombstone")

        // Every row's value begins with the store's schema: 0xFF, then its two counts in two bytes each.
        let prefix = [0xFF, 0, UInt8(source.schema.runtime), 0, UInt8(source.schema.service)]
        #expect(source.schema == StoreSchema(runtime: PartitionStore.runtimeMigrations.count, service: 1))
        for value in latest.values.compactMap({ $0 }) { #expect(value.starts(with: prefix)) }

        // The same rows as the Swift encoder reads them.
        let swift = try await source.write { [tables = source.changelogTables] db -> [[UInt8]: [UInt8]?] in
            var encoded: [[UInt8]: [UInt8]?] = [:]
            for (name, table) in tables where ["kinds", "plain", "keyed"].contains(name) {
                try table.notePendingAll(in: db)
                for (key, values) in try table.pendingRows(in: db) {
                    encoded[ChangelogRecord.key(table: name, rowKey: key)] = values.map {
                        prefix + ChangelogRowCodec.encode($0)
                    }
                }
            }
            return encoded
        }
        for (key, value) in swift { #expect(latest[key] == .some(value), "\(String(decoding: key, as: UTF8.self))") }
        #expect(swift.count == 5)

        // Bound back in C into an empty store: the same rows, the same storage classes. The keyed table's rows get
        // other rowids (a row there first, then replaced by its record), which changes none of its keys.
        let target = try PartitionStore(
            partition: 0, directory: directory.url.appendingPathComponent("b"), serviceMigrations: Self.migrations,
            logger: logger)
        try await target.writeUnnoted { db in
            try db.execute(sql: "INSERT INTO keyed (id, v, n) VALUES ('r-2', 'stale', 0), ('r-3', 'stale', 0)")
        }
        try await target.writeUnnoted { [tables = target.changelogTables, latest] db in
            for (key, value) in latest.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }).reversed() {
                let split = key.firstIndex(of: ChangelogRecord.separator)!
                let table = String(decoding: key[..<split], as: UTF8.self)
                let row = try value.map { value in
                    let split = try #require(StoreSchema.split(value: value[...]))
                    #expect(split.schema == source.schema)
                    return split.row
                }
                try tables[table]!.applyStatements(in: db)(
                    key: String(decoding: key[(split + 1)...], as: UTF8.self), encoded: row)
            }
        }
        let restored = try Self.contents(target)
        #expect(restored == (try Self.contents(source)))
        #expect(restored.count == 5)
        #expect(restored.contains("'r-2''replaced'integer7") && restored.contains("'r-4''moved'integer1"))

        // An outbox chunk as the relay records it reads back as the row a recovery expects, every message whole.
        var first = OutboxMessage(
            outboxID: "id-1", topic: "t", partition: 3, key: Array("k".utf8), value: nil,
            headers: [KafkaHeader(name: "h", string: "v")],
            encodedHeaders: OutboxHeaders.encode([KafkaHeader(name: "h", string: "v")]))
        first.seq = 17
        var second = OutboxMessage(
            outboxID: "id-2 æ", topic: "other", partition: 0, key: nil, value: Array("{\"a\":1}".utf8),
            headers: [KafkaHeader(name: "n", value: nil)],
            encodedHeaders: OutboxHeaders.encode([KafkaHeader(name: "n", value: nil)]))
        second.seq = 18
        let chunkValue = OutboxChunk.recordValue(5, [first, second], after: target.schema.valuePrefix)
        #expect(chunkValue.starts(with: prefix))
        #expect(OutboxChunk.key(5) == Array("ot_outbox_chunks".utf8) + [0x1F] + Array("5".utf8))
        try await target.writeUnnoted { [tables = target.changelogTables] db in
            try tables[OutboxChunk.table]!.applyStatements(in: db)(
                key: "5", encoded: chunkValue.dropFirst(prefix.count))
        }
        let row = try target.store.read { db -> Row? in
            try Row.fetchOne(db, sql: "SELECT seq, messages FROM ot_outbox_chunks")
        }
        let chunkRow = try #require(row)
        #expect(chunkRow["seq"] as Int64 == 5)
        let messages = try #require(OutboxChunk.decode(Array(chunkRow["messages"] as Data)))
        #expect(messages.map(\.seq) == [17, 18])
        #expect(messages.map(\.outboxID) == ["id-1", "id-2 æ"])
        #expect(messages.map(\.topic) == ["t", "other"])
        #expect(messages.map(\.partition) == [3, 0])
        #expect(messages.map(\.key) == [Array("k".utf8), nil])
        #expect(messages.map(\.value) == [nil, Array("{\"a\":1}".utf8)])
        #expect(messages.map(\.headers) == [first.headers, second.headers])
        #expect(OutboxChunk.decode(Array(chunkRow["messages"] as Data).dropLast()) == nil, "a cut chunk")
        try source.close()
        try target.close()
    }
}
