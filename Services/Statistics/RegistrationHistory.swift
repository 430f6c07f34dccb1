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
    /// changes it. Versions by their index in ``versions``: a copy of one costs a retain and release of each of its
    /// texts, and this runs for every event and period.
    private struct State {
        var registrationId: String
        var status: Int?
        var unit: Int?
        var openness: Int?
        var first: LocalDate
        var firstSequence: Int64
        var any: Int
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
        // Most youths have no registration in error: then no set is made.
        let inError: Set<String> = versions.contains(where: \.isError) ? self.inError : []
        let ordered = versions.indices.filter {
            versions[$0].effectiveDate <= date && !inError.contains(versions[$0].registrationId)
        }.sorted {
            (versions[$0].effectiveDate, versions[$0].sequence) < (versions[$1].effectiveDate, versions[$1].sequence)
        }
        // A youth has a few registrations: found by a look along them, the last one found first.
        var states: [State] = []
        var last = 0
        for index in ordered {
            let version = versions[index]
            let slot: Int
            if last < states.count, states[last].registrationId == version.registrationId {
                slot = last
            } else if let found = states.firstIndex(where: { $0.registrationId == version.registrationId }) {
                slot = found
            } else {
                states.append(
                    State(
                        registrationId: version.registrationId, first: version.effectiveDate,
                        firstSequence: version.sequence, any: index))
                slot = states.count - 1
            }
            last = slot
            if version.aspects.contains(.status) { states[slot].status = index }
            if version.aspects.contains(.unit) { states[slot].unit = index }
            if version.aspects.contains(.openness) { states[slot].openness = index }
            states[slot].any = index
            let isOpen = states[slot].openness.map { versions[$0].isOpen } ?? true
            if version.aspects.contains(.status), version.statusGroup == .iAktivitet, isOpen {
                states[slot].reachedActivity = true
            }
        }
        var contribution = Contribution()
        // In the order the registrations began.
        states.sort { ($0.first, $0.firstSequence) < ($1.first, $1.firstSequence) }
        for state in states where state.openness.map({ versions[$0].isOpen }) ?? true {
            guard let status = state.status, let statusCode = versions[status].statusCode else { continue }
            let unit = versions[state.unit ?? state.any]
            let any = versions[state.any]
            contribution.open.append(
                Contribution.Open(
                    unitId: unit.unitId, county: unit.county, statusCode: statusCode, reason: any.reason,
                    ageBand: AgeBand(birthDate: any.birthDate, endOfYear: date.year), gender: any.gender))
        }
        let schoolYear = date.schoolYear
        if let last = states.last(where: { versions[$0.any].schoolYear == schoolYear }) {
            let unit = versions[last.unit ?? last.any]
            contribution.flow = Contribution.Flow(
                unitId: unit.unitId, county: unit.county,
                reachedActivity: states.contains { versions[$0.any].schoolYear == schoolYear && $0.reachedActivity },
                registeredPreviousYear: states.contains { versions[$0.any].schoolYear == schoolYear.previous })
        }
        return contribution
    }
}
