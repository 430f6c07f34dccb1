/// A case worker asks for a youth's school history. The school-history service answers on `ot.school-
/// history.replies.v1` and logs the lookup, granted or not, on `ot.audit.v1`.
///
/// CloudEvents type `no.ot.school-history.requested` on ``Topic/schoolHistoryRequests``.
public struct SchoolHistoryRequest: PersonKeyedPayload {
    /// `no.ot.school-history.requested`.
    public static let eventType = "no.ot.school-history.requested"
    /// ``Topic/schoolHistoryRequests``.
    public static var topic: Topic { .schoolHistoryRequests }

    /// The request's id, chosen by the sender; the reply's Kafka key.
    public var requestId: String
    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// Who asks: the scope of what they may see.
    public var requester: Requester
    /// Why they ask (logged in the access log).
    public var purpose: String

    /// Creates the payload.
    public init(requestId: String, personId: NationalID, requester: Requester, purpose: String) {
        self.requestId = requestId
        self.personId = personId
        self.requester = requester
        self.purpose = purpose
    }

    /// Checks the ids and that a purpose is given.
    public func validate() throws(ContractError) {
        try Check.notBlank(requestId, "data.requestId")
        try Check.notBlank(requester.userId, "data.requester.userId")
        try Check.notBlank(requester.unitId, "data.requester.unitId")
        try Check.notBlank(purpose, "data.purpose")
    }
}
