/// A case worker records an activity in following a youth up.
///
/// CloudEvents type `no.ot.activity.record` on ``Topic/registrationCommands``.
public struct RecordActivity: PersonKeyedPayload {
    /// `no.ot.activity.record`.
    public static let eventType = "no.ot.activity.record"
    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// What was done.
    public var activityType: ActivityType
    /// When.
    public var date: LocalDate

    /// Creates the payload.
    public init(personId: NationalID, activityType: ActivityType, date: LocalDate) {
        self.personId = personId
        self.activityType = activityType
        self.date = date
    }
}
