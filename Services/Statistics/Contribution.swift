import OTContract
import OTStore

/// What one youth adds to the statistics as of one date: the open registration (normally one, none after leaving)
/// and the youth's place in the school year's flow. Its cells, counted under unit, county and nation, are what the
/// person stage sends on as +1 and −1 when it changes.
struct Contribution: Equatable, Sendable {
    /// An open registration as of the date.
    struct Open: Hashable, Sendable {
        var unitId: String
        var county: County
        var statusCode: OTStatusCode
        var reason: RegistrationReason
        var ageBand: AgeBand
        var gender: Gender?

        /// The cells an open registration counts in, in each of its scopes.
        var cellNames: [String] {
            [
                Cell.open, Cell.group(statusCode.group), Cell.code(statusCode), Cell.reason(reason),
                Cell.ageBand(ageBand), Cell.gender(gender),
            ]
        }
    }

    /// The youth was registered in the school year up to the date.
    struct Flow: Hashable, Sendable {
        /// The unit of the latest registration in the school year.
        var unitId: String
        var county: County
        /// In status group 3 at any time in the school year up to the date.
        var reachedActivity: Bool
        /// Also registered the school year before.
        var registeredPreviousYear: Bool

        /// The cells a place in the flow counts in, in each of its scopes.
        var cellNames: [String] {
            [
                Cell.registered, reachedActivity ? Cell.reachedActivity : Cell.notReachedActivity,
                registeredPreviousYear ? Cell.registeredPreviousYear : Cell.notRegisteredPreviousYear,
            ]
        }
    }

    var open: [Open] = []
    var flow: Flow?

    var isEmpty: Bool { open.isEmpty && flow == nil }

    /// Where a cell is counted: a unit (with its county), a county, or the nation.
    struct Target: Hashable, Sendable {
        var scope: StatisticsScope
        var id: String
        var county: County?

        static func all(unitId: String, county: County) -> [Target] {
            [
                Target(scope: .unit, id: unitId, county: county),
                Target(scope: .county, id: county.rawValue, county: county),
                Target(scope: .national, id: "all", county: nil),
            ]
        }
    }
}

// MARK: - Stored form

extension Contribution {
    /// A compact text for the store: `O,unit,county,code,reason,band,gender` per open registration and
    /// `F,unit,county,activity,previous` for the flow, joined by `;`.
    var stored: String {
        var text = StoredText(capacity: 64)
        for (index, open) in open.enumerated() {
            if index > 0 { text.appendASCII(";") }
            text.appendASCII("O")
            text.appendField(open.unitId)
            text.appendField(open.county.rawValue)
            text.appendField(open.statusCode.rawValue)
            text.appendField(open.reason.rawValue)
            text.appendField(open.ageBand.rawValue)
            text.appendField(open.gender?.rawValue ?? "")
        }
        if let flow {
            if !open.isEmpty { text.appendASCII(";") }
            text.appendASCII("F")
            text.appendField(flow.unitId)
            text.appendField(flow.county.rawValue)
            text.appendField(flow.reachedActivity ? "1" : "0")
            text.appendField(flow.registeredPreviousYear ? "1" : "0")
        }
        return text.text
    }

    /// Reads ``stored``.
    init(stored text: String) throws(ContractError) {
        for part in text.split(separator: ";") {
            let fields = part.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            switch (fields.first, fields.count) {
            case ("O", 7):
                guard let band = AgeBand(rawValue: fields[5]) else {
                    throw .unknownCode(kind: "age band", value: fields[5])
                }
                open.append(
                    Open(
                        unitId: fields[1], county: try County(code: fields[2]),
                        statusCode: try OTStatusCode(code: fields[3]),
                        reason: try RegistrationReason(code: fields[4]), ageBand: band,
                        gender: fields[6].isEmpty ? nil : try Gender(code: fields[6])))
            case ("F", 5):
                flow = Flow(
                    unitId: fields[1], county: try County(code: fields[2]), reachedActivity: fields[3] == "1",
                    registeredPreviousYear: fields[4] == "1")
            default:
                // Not the part itself (a youth's unit, status and age band): the error goes to a log.
                throw .malformedJSON(
                    "stored contribution: a part of kind '\(fields.first ?? "")' with \(fields.count) fields")
            }
        }
    }
}
