/// A topic of the system: its name, its partition count and whether it is compacted.
///
/// Every person-keyed topic has the same partition count (``Topic/defaultPartitionCount``) so that a person lands on
/// the same partition number in each of them (co-partitioning); see docs/topics.md.
public struct Topic: Sendable, Hashable, CustomStringConvertible {
    /// The topic's name.
    public var name: String
    /// Whether the topic keeps only the latest value per key (`cleanup.policy=compact`).
    public var isCompacted: Bool

    /// Creates a topic description.
    public init(_ name: String, compacted: Bool = false) {
        self.name = name
        self.isCompacted = compacted
    }

    /// The topic's name.
    public var description: String { name }

    /// The partition count of every topic unless configured otherwise.
    public static let defaultPartitionCount: Int32 = 12

    /// The topic configuration to create it with.
    public var configuration: [String: String] { isCompacted ? ["cleanup.policy": "compact"] : [:] }
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
    /// School-history lookup replies. Key: request id.
    public static let schoolHistoryReplies = Topic("ot.school-history.replies.v1")
    /// One event per individual lookup, granted or not. Key: national ID.
    public static let audit = Topic("ot.audit.v1")
    /// `ACCEPTED` or `REJECTED` for every command. Key: correlation id.
    public static let replies = Topic("ot.replies.v1")
    /// Statistics per unit, county and nation (no personal data). Key: `{scope}:{id}:{period}`.
    public static let statistics = Topic("ot.statistics.v1", compacted: true)

    /// The dead-letter topic of a service (`<service>.dlq.v1`).
    public static func deadLetters(of service: ServiceName) -> Topic { Topic("\(service.rawValue).dlq.v1") }
    /// The compacted changelog of a service's per-partition state (`<service>.changelog.v1`).
    public static func changelog(of service: ServiceName) -> Topic {
        Topic("\(service.rawValue).changelog.v1", compacted: true)
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
