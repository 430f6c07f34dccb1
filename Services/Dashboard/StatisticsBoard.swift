import Foundation
import OTContract
import Synchronization

/// The latest statistics record per key, as the compacted `ot.statistics.v1` holds them: the feed writes it, the
/// pages and the live stream read it.
///
/// Every change raises ``version`` and wakes every ``changes()`` stream once (a burst of records, as a statistics
/// round publishes them, wakes a slow reader once, not once per record).
final class StatisticsBoard: Sendable {
    private struct State {
        var records: [StatisticsKey: StatisticsUpdated] = [:]
        var version = 0
        var watchers: [UUID: AsyncStream<Int>.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// An empty board.
    init() {}

    /// A board holding `records` (for tests and previews).
    convenience init(records: [StatisticsUpdated]) {
        self.init()
        apply(records.map { ($0.key, $0) })
    }

    /// Applies records in offset order: a record replaces its key's earlier one, `nil` (a tombstone) removes it.
    func apply(_ changes: [(key: StatisticsKey, record: StatisticsUpdated?)]) {
        guard !changes.isEmpty else { return }
        state.withLock { state in
            for change in changes { state.records[change.key] = change.record }
            state.version += 1
            for watcher in state.watchers.values { watcher.yield(state.version) }
        }
    }

    /// Every record held now.
    var records: [StatisticsKey: StatisticsUpdated] { state.withLock { $0.records } }

    /// How many changes were applied so far.
    var version: Int { state.withLock { $0.version } }

    /// How many records the board holds.
    var count: Int { state.withLock { $0.records.count } }

    /// The version after each later change (the newest only, when the reader is behind), and the continuation that
    /// ends it early. Ends when the reader stops iterating, or at ``finish()``.
    func changes() -> (stream: AsyncStream<Int>, continuation: AsyncStream<Int>.Continuation) {
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        state.withLock { $0.watchers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return (stream, continuation)
    }

    /// Ends every ``changes()`` stream (at shutdown).
    func finish() {
        let watchers = state.withLock { state in
            defer { state.watchers.removeAll() }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.finish() }
    }
}
