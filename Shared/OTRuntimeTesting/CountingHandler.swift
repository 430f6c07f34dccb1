import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// A trivial stateful handler: counts `no.ot.test.count` events per key and emits the new count for each.
///
/// For the runtime's tests and benchmark. Its input can ask for failures: `"fail": "permanent"` makes the handler
/// reject the event, `"fail": "transient"` makes it fail every attempt.
public struct CountingHandler: WorkerHandler {
    /// The input topic.
    public static let input = Topic("counting.input.v1")
    /// The output topic.
    public static let output = Topic("counting.output.v1")
    /// The service name, which names the group and the dead-letter topic.
    public static let service = "ot-counting-worker"
    /// Every topic the worker needs.
    public static let topics = [input.name, output.name, "\(service).dlq.v1", "\(service).changelog.v1"]

    /// Whether to emit an event per input (the crash test reads them; the benchmark can leave them out).
    public var emits: Bool
    /// Whether to decode each payload (for the failures tests ask for). A count per key needs only the key, so the
    /// runtime benchmark leaves it out and measures the runtime rather than Foundation's JSONDecoder.
    public var decodesPayload: Bool

    /// Creates the handler.
    public init(emits: Bool = true, decodesPayload: Bool = true) {
        self.emits = emits
        self.decodesPayload = decodesPayload
    }

    public var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("counting-1") { db in
            try db.execute(sql: "CREATE TABLE counts (key TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID")
        }
        return migrations
    }

    public func handle(_ event: InboundEvent, context: HandlerContext) throws {
        guard event.cloudEvent.type == Count.eventType else {
            throw ContractError.unknownEventType(type: event.cloudEvent.type, topic: event.topic)
        }
        let count = decodesPayload ? try event.cloudEvent.decodePayload(as: Count.self) : Count()
        switch count.fail {
        case "permanent": throw HandlerError.permanent("the event asked to be rejected")
        case "transient": throw HandlerError.transient("the event asked to fail")
        default: break
        }
        let key = try event.key ?? { throw HandlerError.permanent("the message has no key") }()
        // Direct statements: this handler stands for the cheapest stateful work, so that the runtime benchmark
        // measures the runtime rather than GRDB's per-call overhead. No RETURNING: on Debian's SQLite 3.40 it opens
        // and closes an ephemeral table on every execution, several times the cost of the upsert and a select.
        let upsert = try DirectStatement(
            context.database,
            sql: "INSERT INTO counts (key, count) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET count = count + 1")
        try upsert.bind(key, at: 1)
        try upsert.execute()
        let select = try DirectStatement(context.database, sql: "SELECT count FROM counts WHERE key = ?")
        try select.bind(key, at: 1)
        let newCount = Int(try select.fetchInt64() ?? 0)
        if emits { try context.emit(Counted(key: key, count: newCount, inputID: event.cloudEvent.id), key: key) }
    }
}
