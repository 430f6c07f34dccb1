/// One entry of the access log (innsynslogg): an individual lookup, granted or not — who, when, whose data, why,
/// and the outcome.
///
/// CloudEvents type `no.ot.audit.access-logged` on ``Topic/audit``.
public struct AccessLogEntry: EventPayload {
    /// `no.ot.audit.access-logged`.
    public static let eventType = "no.ot.audit.access-logged"
    /// ``Topic/audit``.
    public static var topic: Topic { .audit }

    /// The lookup's request id.
    public var requestId: String
    /// Who looked up; absent only when an invalid request did not say.
    public var requester: Requester?
    /// Whose data: absent only when the request did not name a valid national ID.
    public var personId: NationalID?
    /// Why, as the requester gave it; absent only when the request was invalid.
    public var purpose: String?
    /// When the service answered it (the reply and this entry were written together).
    public var occurredAt: Timestamp
    /// The outcome.
    public var outcome: LookupStatus
    /// Why it was not granted (denied, not found or invalid).
    public var reason: String?
    /// What the reply disclosed: the sections of an `OK` reply that held something (`applications`, `offers`,
    /// `enrollments`, `dropouts`, `completions`, `registration`); empty for any other outcome (absent in entries
    /// written before the field existed).
    public var fieldsReturned: [String]?

    /// Creates the payload.
    public init(
        requestId: String,
        requester: Requester?,
        personId: NationalID? = nil,
        purpose: String? = nil,
        occurredAt: Timestamp,
        outcome: LookupStatus,
        reason: String? = nil,
        fieldsReturned: [String]? = nil
    ) {
        self.requestId = requestId
        self.requester = requester
        self.personId = personId
        self.purpose = purpose
        self.occurredAt = occurredAt
        self.outcome = outcome
        self.reason = reason
        self.fieldsReturned = fieldsReturned
    }

    /// Checks that a granted lookup names the person and the purpose.
    public func validate() throws(ContractError) {
        try Check.notBlank(requestId, "data.requestId")
        if outcome != .invalid {
            guard requester != nil else { throw .missingField("data.requester") }
            guard personId != nil else { throw .missingField("data.personId") }
            guard let purpose else { throw .missingField("data.purpose") }
            try Check.notBlank(purpose, "data.purpose")
        }
    }

    /// The Kafka key: the person's national ID, or the request id when there is none.
    ///
    /// - Important: The full national ID: use it as the message key, never in a log line.
    public var partitionKey: String { personId?.digits ?? requestId }
}
