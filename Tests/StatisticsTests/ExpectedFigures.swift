import OTContract

@testable import Statistics

/// The figures worked out from the registration events by a plain replay, independently of the service: for a date,
/// replay every event effective by then in effective-date order (ties in publishing order), then count.
enum ExpectedFigures {
    /// Raw counts per key, by the published cell paths (never-published complements left out).
    static func compute(_ events: [RegistrationEvent], asOf day: LocalDate, period: StatisticsPeriod)
        -> [StatisticsKey: [String: Int]]
    {
        struct State {
            var person: String
            var unit: String
            var county: County
            var code: OTStatusCode?
            var group: OTStatusGroup
            var reason: RegistrationReason
            var birth: LocalDate
            var gender: Gender?
            var open: Bool
            var schoolYear: SchoolYear
            var firstDay: LocalDate
            var everInActivity: Bool
        }
        // The rules (docs/statistics.md): a registration ever set to Feil (registered in error) never counted; the
        // status follows registered, status-changed and closing events, the unit registered and transferred, and
        // contacts and activities change nothing, each from its effective date.
        let inError = Set(
            events.compactMap { event -> String? in
                guard case .statusChanged(let changed) = event, changed.to == .feil else { return nil }
                return changed.registrationId
            })
        let effective = events.enumerated().filter {
            $0.element.fields.date <= day && !inError.contains($0.element.fields.registration)
        }
        .sorted { ($0.element.fields.date, $0.offset) < ($1.element.fields.date, $1.offset) }
        var registrations: [String: State] = [:]
        for (_, event) in effective {
            let f = event.fields
            guard var state = registrations[f.registration] else {
                registrations[f.registration] = State(
                    person: f.person, unit: f.unit, county: f.county, code: f.code, group: f.group, reason: f.reason,
                    birth: f.birth, gender: f.gender, open: f.open, schoolYear: f.schoolYear, firstDay: f.date,
                    everInActivity: f.group == .iAktivitet && f.open)
                continue
            }
            switch event {
            case .registered, .statusChanged:
                state.code = f.code
                state.group = f.group
                if case .registered = event { (state.unit, state.county, state.open) = (f.unit, f.county, true) }
                if f.group == .ikkeIMalgruppen { state.open = false }
            case .transferred:
                (state.unit, state.county) = (f.unit, f.county)
            case .closed(let closed):
                state.open = false
                if closed.statusCode != nil { (state.code, state.group) = (f.code, f.group) }
            case .contactRecorded, .activityRecorded, .erased:
                break
            }
            if state.group == .iAktivitet && state.open { state.everInActivity = true }
            registrations[f.registration] = state
        }
        var counts: [StatisticsKey: [String: Int]] = [:]
        func count(_ cells: [String], unit: String, county: County) {
            for key in [
                StatisticsKey(scope: .unit, id: unit, period: period),
                StatisticsKey(scope: .county, id: county.rawValue, period: period), .national(period),
            ] {
                for cell in cells { counts[key, default: [:]][cell, default: 0] += 1 }
            }
        }
        for state in registrations.values where state.open {
            let age = day.year - state.birth.year
            let band = age <= 16 ? "15-16" : age >= 21 ? "21-24" : String(age)
            count(
                [
                    "openRegistrations", "byStatusGroup.\(state.group.rawValue)",
                    "byStatusCode.\(state.code!.rawValue)",
                    "byReason.\(state.reason.rawValue)", "byAgeBand.\(band)",
                    "byGender.\(state.gender?.rawValue ?? "UKJENT")",
                ], unit: state.unit, county: state.county)
        }
        let byPerson = Dictionary(grouping: registrations.values, by: \.person)
        for (_, states) in byPerson {
            let thisYear = states.filter { $0.schoolYear == day.schoolYear }
            guard let latest = thisYear.max(by: { $0.firstDay < $1.firstDay }) else { continue }
            var cells = ["schoolYearFlow.registered"]
            if thisYear.contains(where: \.everInActivity) { cells.append("schoolYearFlow.reachedActivity") }
            if states.contains(where: { $0.schoolYear == day.schoolYear.previous }) {
                cells.append("schoolYearFlow.registeredPreviousYear")
            }
            count(cells, unit: latest.unit, county: latest.county)
        }
        return counts
    }

    /// The expected counts of `period` as suppression entries, with the never-published complements filled in
    /// (registered but not in activity, registered but not the year before).
    static func suppressionEntries(_ expected: [StatisticsKey: [String: Int]], period: StatisticsPeriod)
        -> [Suppression.Entry]
    {
        expected.filter { $0.key.period == period }.map { key, cells in
            var cells = cells
            let registered = cells[Cell.registered] ?? 0
            cells[Cell.notReachedActivity] = registered - (cells[Cell.reachedActivity] ?? 0)
            cells[Cell.notRegisteredPreviousYear] = registered - (cells[Cell.registeredPreviousYear] ?? 0)
            return Suppression.Entry(
                key: key, county: key.scope == .national ? nil : County(rawValue: String(key.id.prefix(2))),
                cells: cells)
        }
    }
}

extension RegistrationEvent {
    /// The fields every registrations event but an erasure carries.
    var fields:
        (
            registration: String, person: String, unit: String, county: County, code: OTStatusCode?,
            group: OTStatusGroup,
            reason: RegistrationReason, birth: LocalDate, gender: Gender?, open: Bool, schoolYear: SchoolYear,
            date: LocalDate
        )
    {
        let s = state!
        let open: Bool
        switch self {
        case .closed: open = false
        default: open = s.statusGroup != .ikkeIMalgruppen
        }
        return (
            s.registrationId, s.personId.digits, s.unitId, s.countyNumber, s.currentStatusCode, s.statusGroup,
            s.reason, s.birthDate, s.gender, open, s.schoolYear, s.effectiveDate
        )
    }
}
