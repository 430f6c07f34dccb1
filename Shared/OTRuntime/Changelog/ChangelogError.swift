/// Why a partition's changelog could not be written or restored.
public enum ChangelogError: Error, Sendable, CustomStringConvertible {
    /// A record on the changelog topic is not one this runtime writes.
    case malformedRecord(String)
    /// A record names a table the store does not have (a changelog of another service, or of a newer schema).
    case unknownTable(String)
    /// A table the runtime cannot record: it needs a primary key of text or integers (NOT NULL in a rowid table), or
    /// a rowid.
    case unsupportedTable(String, reason: String)
    /// Reading the changelog did not reach its end in time.
    case restoreTimedOut(partition: Int32, read: Int, end: Int64)
    /// A record was written by a store with migrations this build does not have (a newer release), or the
    /// changelog's schema goes back (an older release wrote after a newer one).
    case unrestorableSchema(partition: Int32, reason: String)

    public var description: String {
        switch self {
        case .malformedRecord(let reason): "a changelog record is malformed: \(reason)"
        case .unknownTable(let table):
            "a changelog record names the table \(table), which this store does not have; is the topic another service's?"
        case .unsupportedTable(let table, let reason):
            "the table \(table) cannot be recorded in the changelog: \(reason)"
        case .restoreTimedOut(let partition, let read, let end):
            "restoring partition \(partition) read \(read) records but did not reach the changelog's end (offset \(end)) in time"
        case .unrestorableSchema(let partition, let reason):
            "partition \(partition) cannot be restored by this release: \(reason)"
        }
    }
}
