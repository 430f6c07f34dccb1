import Foundation
import GRDB
import Kafka
import OTContract
import OTStore

/// A service's business: its tables and what it does with each event. The ``Worker`` does everything else.
///
/// ``handle(_:context:)`` runs inside the transaction of the event's partition store, together with the
/// de-duplication record, the consumed offset and every event it emits: they all commit together or not at all.
/// The runtime owns that transaction: a handler never begins, commits, rolls back or uses savepoints of its own on
/// `context.database` (to undo what it did, it throws: the runtime runs the event in a savepoint of its own then).
/// The changelog takes each changed row's values as SQLite changes it and trusts them unless the runtime rolled
/// back, or a statement failed, on that thread (`ChangeNotes`); a savepoint rolled back by a handler would go
/// unseen.
public protocol WorkerHandler: Sendable {
    /// The service's own tables, created in every partition store after the runtime's.
    var migrations: StoreMigrations { get }

    /// Handles one event.
    ///
    /// - Throws: ``HandlerError/permanent(_:)`` for input that can never be processed (it goes to the dead-letter
    ///   topic with the reason), ``HandlerError/transient(_:)`` for a failure worth retrying (it is retried with
    ///   backoff, then dead-lettered). A `ContractError` counts as permanent. Database errors of the store itself
    ///   (disk full, locked) fail the whole batch, which is retried without dead-lettering anything.
    func handle(_ event: InboundEvent, context: HandlerContext) throws

    /// Time-driven work for one partition (a registration aging out, a school year ending), done in the
    /// partition's transaction after the events of each batch and every ``WorkerConfiguration/tickInterval`` when
    /// idle.
    ///
    /// Derive what happens from `context.now` and the stored state alone, with effective dates taken from the
    /// rule (31 December, 1 August) rather than from the clock, so that a tick live and a tick after downtime emit
    /// the same events. While ``HandlerContext/inputCaughtUp`` is `false` the partition still has events to
    /// process that happened before now: rules that must not run ahead of them wait. ``HandlerContext/event`` is
    /// `nil` here.
    func tick(context: HandlerContext) throws

    /// Work once a partition's batch has been handled (and after an idle ``tick(context:)``), in the same
    /// transaction: publish what ``HandlerContext/batch`` gathered, coalesced per key.
    ///
    /// An error here fails the partition's whole batch, which is retried: nothing is dead-lettered for it.
    func finishBatch(context: HandlerContext) throws
}

extension WorkerHandler {
    /// No time-driven work.
    public func tick(context: HandlerContext) throws {}

    /// Nothing to do at the end of a batch.
    public func finishBatch(context: HandlerContext) throws {}
}
