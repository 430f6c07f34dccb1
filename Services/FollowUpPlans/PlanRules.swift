import OTRuntime

/// The periods of the plans service's rules, from the environment (docs/followup-plans.md says why each default).
struct PlanRules: Sendable {
    /// Days from a plan's creation to its first review (`OT_PLANS_FIRST_REVIEW_DAYS`, 42: six weeks).
    var firstReviewDays = 42
    /// Days a youth may be in OT without a plan before `no.ot.plan.missing` (`OT_PLANS_MISSING_AFTER_DAYS`, 28).
    var missingAfterDays = 28
    /// Seconds a command waits for the registration it needs (`OT_PLANS_COMMAND_WAIT_SECONDS`, 60).
    var commandWaitSeconds = 60
    /// Days a plan whose registration closed for a new school year or a move waits for the continuing
    /// registration before it closes with the old one (7; registrations publishes both in one transaction).
    var carryOverDays = 7

    init() {}

    /// The rules as the environment sets them; defaults for what it leaves out.
    /// - Throws: ``WorkerError/invalidConfiguration(_:)`` for a value that is not a whole number in range.
    init(environment: [String: String]) throws {
        firstReviewDays = try Self.number(environment, "OT_PLANS_FIRST_REVIEW_DAYS", default: firstReviewDays)
        missingAfterDays = try Self.number(environment, "OT_PLANS_MISSING_AFTER_DAYS", default: missingAfterDays)
        commandWaitSeconds = try Self.number(
            environment, "OT_PLANS_COMMAND_WAIT_SECONDS", default: commandWaitSeconds, minimum: 0)
    }

    private static func number(
        _ environment: [String: String], _ name: String, default value: Int, minimum: Int = 1
    ) throws -> Int {
        guard let text = environment[name], !text.isEmpty else { return value }
        let maximum = 3_650 * 86_400
        guard let number = Int(text), (minimum...maximum).contains(number) else {
            throw WorkerError.invalidConfiguration(
                "\(name) must be a whole number from \(minimum) to \(maximum), not \(text)")
        }
        return number
    }
}
