import Configuration
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

    /// The rules as `config` sets them (`ot.plans.first.review.days` is `OT_PLANS_FIRST_REVIEW_DAYS`, …); defaults
    /// for what it leaves out.
    /// - Parameter config: The settings, as ``ConfigReader/init(environment:)`` reads them.
    /// - Throws: ``WorkerError/invalidConfiguration(_:)`` for a value that is not a whole number in range.
    init(config: ConfigReader) async throws {
        let maximum = 3_650 * 86_400
        firstReviewDays = try await config.fetchInt(
            forKey: "ot.plans.first.review.days", in: 1...maximum, default: firstReviewDays)
        missingAfterDays = try await config.fetchInt(
            forKey: "ot.plans.missing.after.days", in: 1...maximum, default: missingAfterDays)
        commandWaitSeconds = try await config.fetchInt(
            forKey: "ot.plans.command.wait.seconds", in: 0...maximum, default: commandWaitSeconds)
    }
}
