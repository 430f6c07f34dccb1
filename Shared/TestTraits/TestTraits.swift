import Foundation
import Testing

extension Tag {
    /// The suite talks to the embedded broker (librdkafka's mock cluster) in this process.
    @Tag public static var broker: Self
    /// The suite runs services, workers or the broker as child processes (the Makefile runs these after the rest).
    @Tag public static var processes: Self
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite unless `OT_TESTS=unit`: the quick run of the unit tests alone (`make test-unit`) leaves out
    /// every suite that needs a broker or processes. (Swift 6.3's `swift test` cannot filter by tag.)
    public static var needsBroker: Self {
        .enabled(
            if: ProcessInfo.processInfo.environment["OT_TESTS"] != "unit",
            "needs the embedded broker; OT_TESTS=unit runs the unit tests alone")
    }
}
