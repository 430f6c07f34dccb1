import OTContract
import Testing

/// A statistics record's own rules: no count from 1 to 4 is published, and every path listed as suppressed is a
/// cell published as null (docs/statistics.md, "Suppression").
@Suite("A statistics record's rules", .timeLimit(.minutes(2)))
struct StatisticsUpdatedTests {
    /// Samples.swift's record: every suppressed path null, no small count.
    static var record: StatisticsUpdated {
        get throws { try #require(Samples.all.compactMap { $0 as? StatisticsUpdated }.first) }
    }

    @Test("a record that keeps the rules passes, whatever suppressed cells it lists")
    func passes() throws {
        var record = try Self.record
        try record.validate()
        record.suppressed = []
        try record.validate()  // a null needs no listing to be valid; a listed path must be null
        record.byStatusCode["OTVF"] = nil as Int?
        record.suppressed = ["byStatusCode.OTVF", "schoolYearFlow.reachedActivity"]
        try record.validate()
    }

    @Test(
        "a small count, or a listed path that is not a null cell, is refused and named",
        arguments: [
            (
                "byReason.SLUTTET",
                ContractError.invalidField("data.byReason.SLUTTET", reason: "a count from 1 to 4 must be suppressed")
            ),
            (
                "openRegistrations",
                .invalidField("data.openRegistrations", reason: "a count from 1 to 4 must be suppressed")
            ),
            (
                "schoolYearFlow.registered",
                .invalidField("data.schoolYearFlow.registered", reason: "a count from 1 to 4 must be suppressed")
            ),
        ])
    func smallCount(path: String, error: ContractError) throws {
        var record = try Self.record
        switch path {
        case "openRegistrations": record.openRegistrations = 3
        case "schoolYearFlow.registered": record.schoolYearFlow.registered = 1
        default: record.byReason["SLUTTET"] = 4
        }
        #expect(throws: error) { try record.validate() }
    }

    @Test(
        "a listed path must name a null cell that exists",
        arguments: ["byStatusGroup.1", "byStatusCode.NOPE", "schoolYearFlow.unknown", "openRegistrations", "byGender"])
    func listedNotNull(path: String) throws {
        var record = try Self.record
        record.suppressed.append(path)
        #expect(
            throws: ContractError.invalidField(
                "data.suppressed", reason: "\(path) is listed as suppressed but is not null")
        ) { try record.validate() }
    }
}
