import OTContract

/// One state of a registration, from one `ot.registrations.v1` event: what the registration looked like from the
/// event's effective date on.
struct RegistrationVersion: Sendable, Equatable {
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
}

/// A youth's registrations as the events told them, and what they add to the statistics as of a date.
///
/// Every answer depends only on versions effective on or before the date, so that an event can change only the
/// periods from its effective date on, and a replay of the log gives the same figures.
struct RegistrationHistory: Sendable {
    let versions: [RegistrationVersion]

    /// The youth's contribution as of `date`: each registration's latest version effective by then (open ones
    /// counted), and the school year's flow from 1 August to `date`.
    func contribution(asOf date: LocalDate) -> Contribution {
        var latest: [String: RegistrationVersion] = [:]
        var registeredAt: [String: LocalDate] = [:]
        var reachedActivity: Set<String> = []
        for version in versions where version.effectiveDate <= date {
            let id = version.registrationId
            if let current = latest[id],
                (current.effectiveDate, current.sequence) > (version.effectiveDate, version.sequence)
            {
                // An older version arriving later: keep the newer one.
            } else {
                latest[id] = version
            }
            registeredAt[id] = min(registeredAt[id] ?? version.effectiveDate, version.effectiveDate)
            if version.statusGroup == .iAktivitet && version.isOpen { reachedActivity.insert(id) }
        }
        var contribution = Contribution()
        for version in latest.values.sorted(by: { $0.sequence < $1.sequence }) where version.isOpen {
            guard let statusCode = version.statusCode else { continue }
            contribution.open.append(
                Contribution.Open(
                    unitId: version.unitId, county: version.county, statusCode: statusCode, reason: version.reason,
                    ageBand: AgeBand(birthDate: version.birthDate, endOfYear: date.year), gender: version.gender))
        }
        let schoolYear = date.schoolYear
        let ofTheYear = latest.values.filter { $0.schoolYear == schoolYear }
        if let last = ofTheYear.max(by: {
            (registeredAt[$0.registrationId]!, $0.sequence) < (registeredAt[$1.registrationId]!, $1.sequence)
        }) {
            contribution.flow = Contribution.Flow(
                unitId: last.unitId, county: last.county,
                reachedActivity: ofTheYear.contains { reachedActivity.contains($0.registrationId) },
                registeredPreviousYear: latest.values.contains { $0.schoolYear == schoolYear.previous })
        }
        return contribution
    }
}
