/// The answer to a ``SchoolHistoryRequest``: for `OK` the history, otherwise why not.
///
/// CloudEvents type `no.ot.school-history.replied` on ``Topic/schoolHistoryReplies``.
public struct SchoolHistoryReply: EventPayload {
    /// `no.ot.school-history.replied`.
    public static let eventType = "no.ot.school-history.replied"
    /// ``Topic/schoolHistoryReplies``.
    public static var topic: Topic { .schoolHistoryReplies }

    /// The request answered (also the Kafka key).
    public var requestId: String
    /// The outcome.
    public var status: LookupStatus
    /// Why the request was denied or invalid; never a national ID.
    public var reason: String?
    /// The person's school history: present exactly when the status is `OK`.
    public var history: SchoolHistory?
    /// For `OK`: the youth's open OT registration, if any.
    public var registration: CurrentRegistration?
    /// For `OK`: what every code in the history and the registration means, keyed `<code list>:<code>`, such as
    /// `programmeArea:STSSA1----` → `Vg1 Studiespesialisering`, `dropoutReason:FR`, `qualification:FAGBREV`,
    /// `statusCode:OTOV`.
    public var meanings: [String: String]?

    /// Creates the payload.
    public init(
        requestId: String, status: LookupStatus, reason: String? = nil, history: SchoolHistory? = nil,
        registration: CurrentRegistration? = nil, meanings: [String: String]? = nil
    ) {
        self.requestId = requestId
        self.status = status
        self.reason = reason
        self.history = history
        self.registration = registration
        self.meanings = meanings
    }

    /// Checks that the history is there exactly when the status is `OK`.
    public func validate() throws(ContractError) {
        try Check.notBlank(requestId, "data.requestId")
        switch (status, history) {
        case (.ok, nil): throw .missingField("data.history")
        case (.ok, _), (_, nil): break
        case (_, .some): throw .invalidField("data.history", reason: "only an OK reply has a history")
        }
        if status != .ok, registration != nil {
            throw .invalidField("data.registration", reason: "only an OK reply has a registration")
        }
    }

    /// The Kafka key: the request id.
    public var partitionKey: String { requestId }
}
