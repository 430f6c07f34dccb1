/// An activity OT recorded while following a youth up (the contract's own list).
public enum ActivityType: String, CodeList {
    /// RIGHTS_INFORMATION_SENT: written information about rights sent (also to parents of under-18s).
    case rightsInformationSent = "RIGHTS_INFORMATION_SENT"
    /// GUIDANCE: a guidance conversation (veiledning).
    case guidance = "GUIDANCE"
    /// OFFER_MADE: an offer of education, work or another measure was made.
    case offerMade = "OFFER_MADE"
    /// REFERRAL: referred to NAV, the municipality or a health service.
    case referral = "REFERRAL"
    /// COOPERATION_MEETING: a meeting with NAV, the municipality or a school.
    case cooperationMeeting = "COOPERATION_MEETING"
    /// OTHER: another activity.
    case other = "OTHER"

    /// "activity type".
    public static let codeListName = "activity type"
}
