import GRDB
import Kafka
import OTStore

/// What the relay's rounds learned that the store file keeps: the last round's number and marker offset, and per
/// output topic partition the highest offset delivered.
///
/// Nothing reads them while the store is in use (the relay keeps its state in memory, and a file found in use is
/// restored from the changelog, never kept), so they are not written in a transaction of their own after every
/// round (a commit, with its sync, per round and partition): they join the store's next write, a batch's or a
/// tick's (``PartitionStore/write(_:)``), and its release (``PartitionStore/markReleased()``). The positions are
/// changelog rows, so they reach the changelog with the round after that write: they bound how far back an
/// ``OutboxRecovery`` after a restore reads, and a position that arrives later only makes that read longer.
struct RelayProgress: Sendable, Equatable {
    var round: Int64
    var markerOffset: Int64?
    var positions: [KafkaTopicPartition: Int64] = [:]

    /// A later round's progress added to this one's: its round and marker, every position at its highest.
    func merging(_ later: RelayProgress) -> RelayProgress {
        RelayProgress(
            round: max(round, later.round),
            markerOffset: later.round >= round ? later.markerOffset : markerOffset,
            positions: positions.merging(later.positions) { max($0, $1) })
    }

    /// Writes it into the store's tables, in the transaction of `db`.
    func write(_ db: Database) throws {
        // Direct: it runs in most transactions, once per partition group at a steady rate.
        let meta = try DirectStatement(db, sql: "UPDATE ot_store_meta SET marker_offset = ?, round = ?")
        try meta.bind(markerOffset, at: 1)
        try meta.bind(round, at: 2)
        try meta.execute()
        guard !positions.isEmpty else { return }
        let upsert = try DirectStatement(
            db,
            sql: """
                INSERT INTO ot_outbox_positions (topic, partition, delivered_offset) VALUES (?, ?, ?)
                ON CONFLICT (topic, partition) DO UPDATE SET
                    delivered_offset = max(delivered_offset, excluded.delivered_offset)
                """)
        for (target, offset) in positions.sorted(by: { $0.key < $1.key }) {
            try upsert.bind(target.topic, at: 1)
            try upsert.bind(Int64(target.partition), at: 2)
            try upsert.bind(offset, at: 3)
            try upsert.execute()
        }
    }
}
