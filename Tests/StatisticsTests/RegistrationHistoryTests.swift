import OTContract
import Testing

@testable import Statistics

@Suite("A youth's registrations counted as of a date", .timeLimit(.minutes(2)))
struct RegistrationHistoryTests {
    static func version(
        _ sequence: Int64, _ id: String, _ day: String, _ code: OTStatusCode, open: Bool = true, unit: String = "5001",
        year: Int = 2025
    ) -> RegistrationVersion {
        RegistrationVersion(
            sequence: sequence, registrationId: id, schoolYear: SchoolYear(startYear: year), effectiveDate: date(day),
            unitId: unit, county: .trondelag, statusCode: code, statusGroup: code.group, reason: .sluttet,
            birthDate: date("2008-05-17"), gender: .mann, isOpen: open)
    }

    @Test("the latest version by effective date counts, whatever the arrival order")
    func effectiveDates() {
        let history = RegistrationHistory(versions: [
            Self.version(1, "r", "2025-09-01", .otuk),
            Self.version(2, "r", "2025-11-01", .otoa),
            Self.version(3, "r", "2025-10-01", .otov),  // back-dated, arrives last
        ])
        #expect(history.contribution(asOf: date("2025-08-31")).isEmpty)
        #expect(history.contribution(asOf: date("2025-10-15")).open.map(\.statusCode) == [.otov])
        #expect(history.contribution(asOf: date("2026-02-01")).open.map(\.statusCode) == [.otoa])
        #expect(history.contribution(asOf: date("2026-02-01")).flow?.reachedActivity == true)
        #expect(history.contribution(asOf: date("2025-10-15")).flow?.reachedActivity == false)
        #expect(history.contribution(asOf: date("2026-02-01")).open.first?.ageBand == .age18)
    }

    @Test("a closed registration is not open, but stays in its school year's flow; the next year knows the last")
    func flows() {
        let history = RegistrationHistory(versions: [
            Self.version(1, "a", "2025-09-01", .otuk),
            Self.version(2, "a", "2026-07-31", .otuk, open: false),
            Self.version(3, "b", "2026-08-01", .otuk, year: 2026),
        ])
        let june = history.contribution(asOf: date("2026-06-15"))
        #expect(june.open.count == 1 && june.flow?.registeredPreviousYear == false)
        let autumn = history.contribution(asOf: date("2026-11-29"))
        #expect(autumn.open.count == 1 && autumn.flow?.registeredPreviousYear == true)
        #expect(history.contribution(asOf: date("2026-07-31")).open.isEmpty)
        #expect(history.contribution(asOf: date("2026-07-31")).flow != nil)
    }

    @Test("a contribution survives its stored form")
    func stored() throws {
        let contribution = RegistrationHistory(versions: [Self.version(1, "a", "2025-09-01", .otmi)])
            .contribution(asOf: date("2026-02-01"))
        #expect(try Contribution(stored: contribution.stored) == contribution)
        #expect(try Contribution(stored: "") == Contribution())
    }

    @Test("reporting dates: default 1 February and 15 June, configurable, validated")
    func calendar() throws {
        #expect(
            ReportingCalendar.standard.dates(from: date("2025-03-01"), through: date("2026-11-29")) == [
                date("2025-06-15"), date("2026-02-01"), date("2026-06-15"),
            ])
        #expect(try ReportingCalendar("06-15,02-01") == .standard)
        #expect(throws: ContractError.self) { try ReportingCalendar("13-01") }
        #expect(throws: ContractError.self) { try ReportingCalendar("") }
    }

    // The cases below: the expected contributions are worked out by hand from the rules (docs/statistics.md).

    /// A youth born 10 May 2008: 18 at the end of 2026.
    static let birth = date("2008-05-10")

    static func change(
        _ sequence: Int64, _ registrationId: String, _ startYear: Int, _ effective: String, unit: String = "5001",
        county: County = .trondelag, code: OTStatusCode = .otuk, open: Bool = true,
        aspects: RegistrationVersion.Aspects = .all
    ) -> RegistrationVersion {
        RegistrationVersion(
            sequence: sequence, registrationId: registrationId, schoolYear: SchoolYear(startYear: startYear),
            effectiveDate: date(effective), unitId: unit, county: county, statusCode: code,
            statusGroup: code.group, reason: .ikkeSokt, birthDate: birth, gender: .mann, isOpen: open,
            aspects: aspects)
    }

    static func open(unit: String, county: County = .trondelag, code: OTStatusCode) -> Contribution.Open {
        Contribution.Open(
            unitId: unit, county: county, statusCode: code, reason: .ikkeSokt, ageBand: .age18, gender: .mann)
    }

    @Test("activity reached in last school year's registration does not count for this school year's flow")
    func activityOfAnotherSchoolYear() {
        let history = RegistrationHistory(versions: [
            Self.change(0, "r1", 2025, "2025-09-01"),
            Self.change(1, "r1", 2025, "2025-10-01", code: .otap, aspects: .status),
            Self.change(2, "r1", 2025, "2026-03-01", code: .otevIM, open: false, aspects: [.status, .openness]),
            Self.change(3, "r2", 2026, "2026-09-01", unit: "5002"),
        ])
        #expect(
            history.contribution(asOf: date("2026-10-01"))
                == Contribution(
                    open: [Self.open(unit: "5002", code: .otuk)],
                    flow: Contribution.Flow(
                        unitId: "5002", county: .trondelag, reachedActivity: false, registeredPreviousYear: true)))
        // In the school year before, the first registration was open and in activity until it closed.
        #expect(
            history.contribution(asOf: date("2026-02-01"))
                == Contribution(
                    open: [Self.open(unit: "5001", code: .otap)],
                    flow: Contribution.Flow(
                        unitId: "5001", county: .trondelag, reachedActivity: true, registeredPreviousYear: false)))
    }

    @Test("a registration ever set to Feil never counts; a transfer changes only the unit, from its own date")
    func errorAndTransfer() {
        let history = RegistrationHistory(versions: [
            Self.change(0, "e1", 2026, "2026-09-01"),
            Self.change(1, "r3", 2026, "2026-09-03"),
            Self.change(2, "e1", 2026, "2026-09-05", code: .feil, open: false, aspects: [.status, .openness]),
            // Recorded while the status was OTOV: the transfer's own status is not the registration's.
            Self.change(3, "r3", 2026, "2026-09-10", unit: "0301", county: .oslo, code: .otov, aspects: .unit),
            Self.change(4, "r3", 2026, "2026-09-20", code: .otov, aspects: .status),
        ])
        #expect(history.contribution(asOf: date("2026-09-02")) == Contribution())
        #expect(
            history.contribution(asOf: date("2026-09-15"))
                == Contribution(
                    open: [Self.open(unit: "0301", county: .oslo, code: .otuk)],
                    flow: Contribution.Flow(
                        unitId: "0301", county: .oslo, reachedActivity: false, registeredPreviousYear: false)))
        #expect(
            history.contribution(asOf: date("2026-09-25")).open == [Self.open(unit: "0301", county: .oslo, code: .otov)]
        )
    }

    @Test("of two versions with one effective date the later arrival wins; activity passed through still counts")
    func sameEffectiveDate() {
        let history = RegistrationHistory(versions: [
            Self.change(0, "r4", 2026, "2026-09-01"),
            Self.change(1, "r5", 2026, "2026-09-02", unit: "5002"),
            Self.change(2, "r4", 2026, "2026-09-05", code: .otno, aspects: .status),
            // Arrived after the one above, but back-dated before it.
            Self.change(3, "r4", 2026, "2026-09-04", code: .otap, aspects: .status),
            Self.change(4, "r4", 2026, "2026-09-05", code: .otov, aspects: .status),
        ])
        // Open registrations in the order they began; the flow is the last one's unit.
        #expect(
            history.contribution(asOf: date("2026-09-06"))
                == Contribution(
                    open: [Self.open(unit: "5001", code: .otov), Self.open(unit: "5002", code: .otuk)],
                    flow: Contribution.Flow(
                        unitId: "5002", county: .trondelag, reachedActivity: true, registeredPreviousYear: false)))
    }
}
