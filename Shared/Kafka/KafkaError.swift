import CRdKafka

/// An error from the Kafka layer: what failed, librdkafka's error code when there is one, and what to do.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What part of the client failed.
    public enum Kind: String, Sendable, Hashable {
        /// A configuration property is unknown or has an invalid value. Fix the configuration.
        case configuration
        /// The client handle could not be created.
        case clientCreation
        /// A message could not be enqueued or was not delivered.
        case delivery
        /// The consumer failed (subscribe, commit, seek, pause, poll).
        case consumer
        /// An Admin API request failed.
        case admin
        /// The mock cluster refused an operation.
        case mockCluster
        /// The client was already shut down.
        case shutDown
        /// A fatal error: the client cannot continue and must be recreated.
        case fatal
    }

    /// A librdkafka error code (`rd_kafka_resp_err_t`), with the named ones this project handles.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ error: rd_kafka_resp_err_t) { self.rawValue = error.rawValue }

        public static let noError = Code(RD_KAFKA_RESP_ERR_NO_ERROR)
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        public static let messageSizeTooLarge = Code(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        public static let unknownTopic = Code(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
        public static let unknownPartition = Code(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        public static let partitionEOF = Code(RD_KAFKA_RESP_ERR__PARTITION_EOF)
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        public static let brokerNotAvailable = Code(RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE)
        public static let topicAlreadyExists = Code(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        public static let rebalanceInProgress = Code(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
        public static let noOffset = Code(RD_KAFKA_RESP_ERR__NO_OFFSET)

        /// librdkafka's symbolic name, such as `_TIMED_OUT` or `NOT_LEADER_FOR_PARTITION`.
        public var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue))) }
        /// librdkafka's human-readable text for the code.
        public var text: String { String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(rawValue: rawValue))) }
        public var description: String { name }
        var rdKafka: rd_kafka_resp_err_t { rd_kafka_resp_err_t(rawValue: rawValue) }
    }

    /// What part of the client failed.
    public var kind: Kind
    /// librdkafka's code, when librdkafka reported the error.
    public var code: Code?
    /// What went wrong, and where it helps, what to do about it.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, code: Code? = nil, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    init(_ kind: Kind, _ error: rd_kafka_resp_err_t, _ context: String) {
        let code = Code(error)
        self.init(kind, code: code, "\(context): \(code.text) (\(code.name))")
    }

    public var description: String { "Kafka \(kind.rawValue) error: \(message)" }
}
