import OTContract

/// The names of the counts the service keeps, the same as their paths in ``StatisticsUpdated`` (`byStatusCode.OTUK`,
/// `schoolYearFlow.registered`), so that a suppressed cell is listed under the name it is published under.
enum Cell {
    static let open = "openRegistrations"
    // The names of the coded cells are made once: the person stage names six cells for every contribution it counts,
    // and a name put together each time (an interpolation, a new string) cost more than the counting.
    static func group(_ group: OTStatusGroup) -> String { groups[group]! }
    static func code(_ code: OTStatusCode) -> String { codes[code]! }
    static func reason(_ reason: RegistrationReason) -> String { reasons[reason]! }
    static func ageBand(_ band: AgeBand) -> String { ageBands[band]! }
    static func gender(_ gender: Gender?) -> String {
        gender.map { genderNames[$0]! } ?? unknownGenderName
    }
    private static let groups = names(OTStatusGroup.allCases) { "byStatusGroup.\($0.rawValue)" }
    private static let codes = names(OTStatusCode.allCases) { "byStatusCode.\($0.rawValue)" }
    private static let reasons = names(RegistrationReason.allCases) { "byReason.\($0.rawValue)" }
    private static let ageBands = names(AgeBand.allCases) { "byAgeBand.\($0.rawValue)" }
    private static let genderNames = names(Gender.allCases) { gender(code: $0.rawValue) }
    private static let unknownGenderName = gender(code: StatisticsUpdated.unknownGender)

    private static func names<Code: Hashable>(_ codes: [Code], _ name: (Code) -> String) -> [Code: String] {
        Dictionary(uniqueKeysWithValues: codes.map { ($0, name($0)) })
    }
    static func gender(code: String) -> String { "byGender.\(code)" }
    static let registered = "schoolYearFlow.registered"
    static let reachedActivity = "schoolYearFlow.reachedActivity"
    static let registeredPreviousYear = "schoolYearFlow.registeredPreviousYear"
    /// Counts that are never published but follow from two published ones (registered minus reached activity):
    /// small ones must be protected like any published cell.
    static let notReachedActivity = "schoolYearFlow.notReachedActivity"
    static let notRegisteredPreviousYear = "schoolYearFlow.notRegisteredPreviousYear"

    static let genders: [String] = ["K", "M", StatisticsUpdated.unknownGender]

    /// The sums a reader could subtract with: a total and the parts that add up to it, within one record.
    static let relations: [(total: String, parts: [String])] = {
        var relations: [(String, [String])] = [
            (open, OTStatusGroup.allCases.map(group)),
            (open, RegistrationReason.allCases.map(reason)),
            (open, AgeBand.allCases.map(ageBand)),
            (open, genders.map { Cell.gender(code: $0) }),
            (registered, [reachedActivity, notReachedActivity]),
            (registered, [registeredPreviousYear, notRegisteredPreviousYear]),
        ]
        for statusGroup in OTStatusGroup.allCases {
            relations.append((group(statusGroup), statusGroup.codes.map(code)))
        }
        return relations
    }()

    /// Every cell a record has, published or not.
    static let all: [String] = {
        var cells = [open] + OTStatusGroup.allCases.map(group) + OTStatusCode.allCases.map(code)
        cells += RegistrationReason.allCases.map(reason) + AgeBand.allCases.map(ageBand)
        cells += genders.map { Cell.gender(code: $0) }
        cells += [registered, reachedActivity, registeredPreviousYear, notReachedActivity, notRegisteredPreviousYear]
        return cells
    }()

    /// The cells that are never published.
    static let hidden: Set<String> = [notReachedActivity, notRegisteredPreviousYear]
}
