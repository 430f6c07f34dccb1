/// A topic of the system: its name, its partition count and whether it is compacted.
///
/// Every person-keyed topic has the same partition count (``Topic/defaultPartitionCount``) so that a person lands on
/// the same partition number in each of them (co-partitioning); see docs/topics.md.
public struct Topic: Sendable, Hashable, CustomStringConvertible {
    /// The topic's name.
    public var name: String
    /// Whether the topic keeps only the latest value per key (`cleanup.policy=compact`).
    public var isCompacted: Bool
    /// How long records are kept (`retention.ms`); `nil` keeps them forever (`-1`).
    public var retention: Duration?

    /// Creates a topic description.
    public init(_ name: String, compacted: Bool = false, retention: Duration? = .days(7)) {
        self.name = name
        self.isCompacted = compacted
        self.retention = retention
    }

    /// The topic's name.
    public var description: String { name }

    /// The partition count of every topic unless configured otherwise.
    public static let defaultPartitionCount: Int32 = 12

    /// The topic configuration to create it with (docs/operations.md, "Topics: retention and cleanup"): the cleanup
    /// policy and the retention; for a compacted topic, deleted rows' older values and then their tombstones go within
    /// hours, so that an erased person leaves the changelog soon: a value is compacted no sooner than an hour after it
    /// was written (`min.compaction.lag.ms`) and no later than three hours (`max.compaction.lag.ms`, which also rolls
    /// the segment being written, never compacted otherwise; without it the cleaner waits for half the log to be
    /// dirty and the segment to roll, a week by default), and a tombstone is dropped an hour after it was compacted
    /// in (`delete.retention.ms`).
    public var configuration: [String: String] {
        var configuration = [
            "cleanup.policy": isCompacted ? "compact" : "delete",
            "retention.ms": retention.map { String($0.components.seconds * 1000) } ?? "-1",
        ]
        if isCompacted {
            configuration["min.compaction.lag.ms"] = String(3_600_000)
            configuration["max.compaction.lag.ms"] = String(10_800_000)
            configuration["delete.retention.ms"] = String(3_600_000)
        }
        return configuration
    }
}

extension Topic {
    /// Upstream enrollment events from VIGO (admission, pupil register, population register). Key: national ID.
    public static let enrollment = Topic("vigo.enrollment.v1")
    /// Case-worker commands for registrations. Key: national ID.
    public static let registrationCommands = Topic("ot.registrations.commands.v1")
    /// Registration events. Key: national ID.
    public static let registrations = Topic("ot.registrations.v1")
    /// Case-worker commands for follow-up plans. Key: national ID.
    public static let followUpPlanCommands = Topic("ot.followup-plans.commands.v1")
    /// Follow-up plan events. Key: national ID.
    public static let followUpPlans = Topic("ot.followup-plans.v1")
    /// School-history lookup requests. Key: national ID.
    public static let schoolHistoryRequests = Topic("ot.school-history.requests.v1")
    /// School-history lookup replies, for a waiting front end: a day. Key: request id.
    public static let schoolHistoryReplies = Topic("ot.school-history.replies.v1", retention: .days(1))
    /// One event per individual lookup, granted or not, and per refused command: append-only, never compacted, kept
    /// five years unless the county's archive rules say otherwise (`otctl topics create --audit-retention-days`).
    /// Key: national ID.
    public static let audit = Topic("ot.audit.v1", retention: .days(1_826))
    /// `ACCEPTED` or `REJECTED` for every command, for a waiting front end: a day. Key: correlation id.
    public static let replies = Topic("ot.replies.v1", retention: .days(1))
    /// Statistics per unit, county and nation (no personal data), the latest per key, forever.
    /// Key: `{scope}:{id}:{period}`.
    public static let statistics = Topic("ot.statistics.v1", compacted: true, retention: nil)

    /// The dead-letter topic of a service (`<service>.dlq.v1`): 30 days to fix and replay.
    public static func deadLetters(of service: ServiceName) -> Topic {
        Topic("\(service.rawValue).dlq.v1", retention: .days(30))
    }
    /// The compacted changelog of a service's per-partition state (`<service>.changelog.v1`), forever.
    public static func changelog(of service: ServiceName) -> Topic {
        Topic("\(service.rawValue).changelog.v1", compacted: true, retention: nil)
    }
    /// The statistics service's internal repartition topic: per-person deltas keyed by unit or county.
    public static let statisticsRepartition = Topic("ot-statistics.repartition.v1")

    /// Every topic the system uses: the contract's, each service's dead letters and changelog, and the internal
    /// repartition topic. The development broker creates all of them.
    public static var all: [Topic] {
        [
            enrollment, registrationCommands, registrations, followUpPlanCommands, followUpPlans,
            schoolHistoryRequests, schoolHistoryReplies, audit, replies, statistics, statisticsRepartition,
        ] + ServiceName.allCases.flatMap { [deadLetters(of: $0), changelog(of: $0)] }
    }
}

extension Duration {
    /// `days` days.
    public static func days(_ days: Int) -> Duration { .seconds(days * 86_400) }
}
