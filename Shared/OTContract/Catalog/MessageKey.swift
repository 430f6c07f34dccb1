/// What the Kafka key of a contract topic's messages is: the partition key.
public enum MessageKey: Sendable, Hashable, CaseIterable {
    /// The person's national ID (11 digits), so that a person's messages share one partition number in every topic.
    case nationalID
    /// The person's national ID, or the request id when the request named no valid one (`ot.audit.v1`).
    case nationalIDOrRequestID
    /// The school-history request's `requestId`, chosen by the sender.
    case requestID
    /// The command's `correlationid` (its `id` when it has none).
    case correlationID
    /// The statistics record's key, `{scope}:{id}:{period}`.
    case statisticsKey

    /// The key in words, for documentation.
    public var summary: String {
        switch self {
        case .nationalID: "the person's national ID (11 digits)"
        case .nationalIDOrRequestID: "the person's national ID; the request id when the request named no valid one"
        case .requestID: "the request id (data.requestId of the request and the reply)"
        case .correlationID: "the command's correlationid (its id when it has none)"
        case .statisticsKey: "{scope}:{id}:{period}, such as county:50:current or national:all:2026-06-15"
        }
    }

    /// Whether the key is a national ID, so that co-partitioning depends on the producer's partitioner.
    public var isPersonKey: Bool { self == .nationalID || self == .nationalIDOrRequestID }
}
