/// Where a follow-up plan measure stands (after NAV's activity plan: planned, under way, completed, cancelled).
public enum MeasureStatus: String, CodeList {
    /// PLANNED: agreed, not started.
    case planned = "PLANNED"
    /// IN_PROGRESS: under way.
    case inProgress = "IN_PROGRESS"
    /// COMPLETED: carried out.
    case completed = "COMPLETED"
    /// CANCELLED: given up.
    case cancelled = "CANCELLED"

    /// "measure status".
    public static let codeListName = "measure status"

    /// Whether the status is final: a completed or cancelled measure changes no more.
    public var isFinal: Bool { self == .completed || self == .cancelled }

    /// Whether a measure may move from this status to `next`: forward only, and not out of a final status.
    public func canChange(to next: MeasureStatus) -> Bool {
        switch (self, next) {
        case (.planned, .inProgress), (.planned, .completed), (.planned, .cancelled),
            (.inProgress, .completed), (.inProgress, .cancelled):
            true
        default:
            false
        }
    }
}
