/// Why a registration closed.
public enum RegistrationClosureCause: String, CodeList {
    /// STATUS_CODE: a group 5 status code was set (moved, registered in error, now in school or work).
    case statusCode = "STATUS_CODE"
    /// AGED_OUT: the end of the calendar year the youth reached the upper age limit.
    case agedOut = "AGED_OUT"
    /// EDUCATION_COMPLETED: completed upper-secondary education.
    case educationCompleted = "EDUCATION_COMPLETED"
    /// SCHOOL_YEAR_ENDED: the school year ended (31 July) with the youth still in OT; a registration for the new
    /// school year continues it, so that "registered two school years in a row" can be counted.
    case schoolYearEnded = "SCHOOL_YEAR_ENDED"

    /// "registration closure cause".
    public static let codeListName = "registration closure cause"
}
