/// Why a follow-up plan closed.
public enum PlanClosureCause: String, CodeList {
    /// CASE_WORKER: a case worker closed it.
    case caseWorker = "CASE_WORKER"
    /// REGISTRATION_CLOSED: the registration it belongs to closed.
    case registrationClosed = "REGISTRATION_CLOSED"

    /// "plan closure cause".
    public static let codeListName = "plan closure cause"
}
