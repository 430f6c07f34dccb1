/// How OT tried to reach a youth. Letters or SMS without an answer do not count as contact.
public enum ContactChannel: String, CodeList {
    /// MEETING: met in person.
    case meeting = "MEETING"
    /// PHONE: a phone call.
    case phone = "PHONE"
    /// LETTER: a letter.
    case letter = "LETTER"
    /// SMS: a text message.
    case sms = "SMS"
    /// EMAIL: an e-mail.
    case email = "EMAIL"
    /// DIGITAL: a video meeting or a digital message service.
    case digital = "DIGITAL"

    /// "contact channel".
    public static let codeListName = "contact channel"
}

extension ContactChannel {
    /// Whether the channel is written (letter, SMS, e-mail): sent without an answer, it does not count as contact.
    public var isWritten: Bool { self == .letter || self == .sms || self == .email }
}
