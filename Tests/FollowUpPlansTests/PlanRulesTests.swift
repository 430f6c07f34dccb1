import Configuration
import OTRuntime
import Testing

@testable import FollowUpPlans

/// The `OT_PLANS_*` settings (docs/configuration.md).
@Suite("Follow-up plans: the rules' periods from the environment", .timeLimit(.minutes(2)))
struct PlanRulesTests {
    @Test("unset or empty is the default; a whole number in range is taken")
    func values() async throws {
        let defaults = try await PlanRules(config: ConfigReader(environment: ["OT_PLANS_FIRST_REVIEW_DAYS": ""]))
        #expect(defaults.firstReviewDays == 42 && defaults.missingAfterDays == 28 && defaults.commandWaitSeconds == 60)
        let given = try await PlanRules(
            config: ConfigReader(environment: [
                "OT_PLANS_FIRST_REVIEW_DAYS": "14", "OT_PLANS_MISSING_AFTER_DAYS": "1",
                "OT_PLANS_COMMAND_WAIT_SECONDS": "0",
            ]))
        #expect(given.firstReviewDays == 14 && given.missingAfterDays == 1 && given.commandWaitSeconds == 0)
    }

    @Test(
        "anything else stops the start, naming the variable and the value",
        arguments: [
            ("OT_PLANS_FIRST_REVIEW_DAYS", "6w", 1), ("OT_PLANS_MISSING_AFTER_DAYS", "0", 1),
            ("OT_PLANS_COMMAND_WAIT_SECONDS", "-5", 0), ("OT_PLANS_FIRST_REVIEW_DAYS", "315360001", 1),
        ])
    func invalid(variable: String, value: String, minimum: Int) async {
        await #expect {
            try await PlanRules(config: ConfigReader(environment: [variable: value]))
        } throws: { error in
            "\(error)"
                == "invalid configuration: \(variable) must be a whole number from \(minimum) to 315360000, not \(value)"
        }
    }
}
