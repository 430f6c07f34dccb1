import OTContract

/// One change to a registration, from one `ot.registrations.v1` event: what the event says as of its effective
/// date, and which parts of the registration it changes (``Aspects``).
struct RegistrationVersion: Sendable, Equatable {
    /// What an event changes. A registration's status follows only the events that change the status
    /// (registered, status-changed, closed), its unit only those that change the unit (registered, transferred),
    /// whether it is open only registered and closed: a back-dated activity, contact or transfer carries the
    /// status of the day it was recorded, which must not rewrite the status history from its own date on.
    struct Aspects: OptionSet, Sendable, Hashable {
        let rawValue: Int
        static let status = Aspects(rawValue: 1)
        static let unit = Aspects(rawValue: 2)
        static let openness = Aspects(rawValue: 4)
        static let all: Aspects = [.status, .unit, .openness]
    }

    /// Arrival order within the person's partition: the later of two versions with one effective date wins.
    var sequence: Int64
    var registrationId: String
    var schoolYear: SchoolYear
    var effectiveDate: LocalDate
    var unitId: String
    var county: County
    var statusCode: OTStatusCode?
    var statusGroup: OTStatusGroup
    var reason: RegistrationReason
    var birthDate: LocalDate
    var gender: Gender?
    var isOpen: Bool
    var aspects: Aspects = .all

    /// Whether the version puts the registration in `Feil` (registered in error).
    var isError: Bool { aspects.contains(.status) && statusCode == .feil }
}

/// A youth's registrations as the events told them, and what they add to the statistics as of a date.
///
/// Every answer depends only on versions effective on or before the date, so that an event can change only the
/// periods from its effective date on, and a replay of the log gives the same figures; with one exception: a
/// registration that is ever set to `Feil` (registered in error) never existed for the figures, on any date.
struct RegistrationHistory: Sendable {
    let versions: [RegistrationVersion]

    /// A registration as of a date: each aspect from the latest version (by effective date, then arrival) that
    /// changes it.
    private struct State {
        var status: RegistrationVersion?
        var unit: RegistrationVersion?
        var openness: RegistrationVersion?
        var first: LocalDate
        var firstSequence: Int64
        var any: RegistrationVersion
        var reachedActivity = false
    }

    /// The registrations set to `Feil` at any time.
    var inError: Set<String> { Set(versions.filter(\.isError).map(\.registrationId)) }

    /// The first day of a registration, as far as the versions tell.
    func firstDay(of registrationId: String) -> LocalDate? {
        versions.filter { $0.registrationId == registrationId }.map(\.effectiveDate).min()
    }

    /// The youth's contribution as of `date`: each registration's state by then (open ones counted), and the
    /// school year's flow from 1 August to `date`.
    func contribution(asOf date: LocalDate) -> Contribution {
        let inError = self.inError
        var states: [String: State] = [:]
        let ordered = versions.filter { $0.effectiveDate <= date && !inError.contains($0.registrationId) }
            .sorted { ($0.effectiveDate, $0.sequence) < ($1.effectiveDate, $1.sequence) }
        for version in ordered {
            var state =
                states[version.registrationId]
                ?? State(
                    first: version.effectiveDate, firstSequence: version.sequence, any: version)
            if version.aspects.contains(.status) { state.status = version }
            if version.aspects.contains(.unit) { state.unit = version }
            if version.aspects.contains(.openness) { state.openness = version }
            state.any = version
            let isOpen = state.openness?.isOpen ?? true
            if version.aspects.contains(.status), version.statusGroup == .iAktivitet, isOpen {
                state.reachedActivity = true
            }
            states[version.registrationId] = state
        }
        var contribution = Contribution()
        // In the order the registrations began.
        let registrations = states.values.sorted { ($0.first, $0.firstSequence) < ($1.first, $1.firstSequence) }
        for state in registrations where state.openness?.isOpen ?? true {
            guard let statusCode = state.status?.statusCode else { continue }
            let unit = state.unit ?? state.any
            contribution.open.append(
                Contribution.Open(
                    unitId: unit.unitId, county: unit.county, statusCode: statusCode, reason: state.any.reason,
                    ageBand: AgeBand(birthDate: state.any.birthDate, endOfYear: date.year), gender: state.any.gender))
        }
        let schoolYear = date.schoolYear
        let ofTheYear = registrations.filter { $0.any.schoolYear == schoolYear }
        if let last = ofTheYear.last {
            let unit = last.unit ?? last.any
            contribution.flow = Contribution.Flow(
                unitId: unit.unitId, county: unit.county,
                reachedActivity: ofTheYear.contains { $0.reachedActivity },
                registeredPreviousYear: registrations.contains { $0.any.schoolYear == schoolYear.previous })
        }
        return contribution
    }
}
