/// A case worker records an attempt to contact a youth. A youth reached moves from `OTUK` to `OTOV`; a letter or
/// SMS without an answer does not count as contact.
///
/// CloudEvents type `no.ot.contact.record` on ``Topic/registrationCommands``.
public struct RecordContact: PersonKeyedPayload {
    /// `no.ot.contact.record`.
    public static let eventType = "no.ot.contact.record"
    /// ``Topic/registrationCommands``.
    public static var topic: Topic { .registrationCommands }

    /// The person, by national ID (also the Kafka key).
    public var personId: NationalID
    /// The date of the attempt.
    public var date: LocalDate
    /// How.
    public var channel: ContactChannel
    /// Whether the youth was reached (answered).
    public var reached: Bool

    /// Creates the payload.
    public init(personId: NationalID, date: LocalDate, channel: ContactChannel, reached: Bool) {
        self.personId = personId
        self.date = date
        self.channel = channel
        self.reached = reached
    }
}
