import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

/// Stage 1: each youth's registrations, and the changes they make to every period's counts.
extension StatisticsHandler {
    /// The changes of a batch, summed per statistics key, sent on in ``sendDeltas(context:)``.
    ///
    /// A batch's events add and take away whole open registrations and flows, most of them alike (one unit, code,
    /// reason, age band and gender for many youths): they are counted as such, and each distinct one is spread over
    /// its cells and scopes once, in ``sums()``, instead of once per event.
    final class PendingDeltas {
        private struct Counted<Part: Hashable>: Hashable {
            var part: Part
            var period: StatisticsPeriod
        }

        private var open: [Counted<Contribution.Open>: Int] = [:]
        private var flows: [Counted<Contribution.Flow>: Int] = [:]

        func add(_ contribution: Contribution, sign: Int, period: StatisticsPeriod) {
            for registration in contribution.open {
                open[Counted(part: registration, period: period), default: 0] += sign
            }
            if let flow = contribution.flow { flows[Counted(part: flow, period: period), default: 0] += sign }
        }

        /// The change of each cell per statistics key (zero where the batch's changes cancel out), with the key's
        /// county.
        func sums() -> (cells: [StatisticsKey: [String: Int]], counties: [StatisticsKey: County]) {
            var cells: [StatisticsKey: [String: Int]] = [:]
            var counties: [StatisticsKey: County] = [:]
            func count(_ names: [String], unitId: String, county: County, period: StatisticsPeriod, by change: Int) {
                for target in Contribution.Target.all(unitId: unitId, county: county) {
                    let key = StatisticsKey(scope: target.scope, id: target.id, period: period)
                    add(names, change, to: &cells[key, default: [:]])  // the key found once, not once per cell
                    if let county = target.county { counties[key] = county }
                }
            }
            for (counted, change) in open where change != 0 {
                let registration = counted.part
                count(
                    registration.cellNames, unitId: registration.unitId, county: registration.county,
                    period: counted.period, by: change)
            }
            for (counted, change) in flows where change != 0 {
                let flow = counted.part
                count(flow.cellNames, unitId: flow.unitId, county: flow.county, period: counted.period, by: change)
            }
            return (cells, counties)
        }

        private func add(_ names: [String], _ change: Int, to cells: inout [String: Int]) {
            for name in names { cells[name, default: 0] += change }
        }
    }

    func handle(_ event: RegistrationEvent, context: HandlerContext) throws {
        let today = LocalDate(context.now)
        let db = context.database
        var changes: [(old: Contribution, new: Contribution, period: StatisticsPeriod)] = []
        if case .erased(let erased) = event {
            // The person's data goes; their anonymous counts in the reporting dates that had passed when they were
            // erased stay as published, but they are no longer counted now, nor on a later reporting date: one the
            // clock passed before this event was processed (a replay, catching up) had counted them, as live it
            // would not have.
            let person = erased.personId.digits
            let erasedOn = LocalDate(erased.erasedAt.date)
            for (period, stored) in try PersonState.fetch(person, db: db).counted() {
                if case .reportingDate(let reportingDate) = period, reportingDate <= erasedOn { continue }
                changes.append((try Contribution(stored: stored), Contribution(), period))
            }
            let delete = try DirectStatement(db, sql: "DELETE FROM stat_persons WHERE person_id = ?")
            try delete.bind(person, at: 1)
            try delete.execute()
            try context.scrubAfterPublishing()
        } else {
            guard let state = event.state, let aspects = event.aspects else { return }
            let person = event.personDigits
            var stored = try PersonState.fetch(person, db: db)
            var version = RegistrationVersion(state)
            version.aspects = aspects
            var versions = try stored.versions()
            version.sequence = Int64(versions.count)
            versions.append(version)
            stored.append(version)
            let history = RegistrationHistory(versions: versions)
            // A registration found to be in error never counted: every period from its first day changes.
            let from =
                version.isError
                ? min(version.effectiveDate, history.firstDay(of: version.registrationId) ?? version.effectiveDate)
                : version.effectiveDate
            for period in periods(changedFrom: from, today: today) {
                if let change = try recount(&stored, history: history, period: period, today: today) {
                    changes.append(change)
                }
            }
            try stored.save(person, db: db)
        }
        let pending = context.batch.value(PendingDeltas.init)
        for change in changes {
            pending.add(change.old, sign: -1, period: change.period)
            pending.add(change.new, sign: 1, period: change.period)
        }
    }

    /// The periods an event effective on `date` can change: `current` and the reporting dates from `date` to
    /// today, unless it takes effect only in the future (the day it does, the daily recount counts it).
    func periods(changedFrom date: LocalDate, today: LocalDate) -> [StatisticsPeriod] {
        guard date <= today else { return [] }
        return calendar.dates(from: date, through: today).map(StatisticsPeriod.reportingDate) + [.current]
    }

    /// Once a day: `current` moves to the new day, and reporting dates that have passed get their counts; each
    /// youth of the partition is counted again for them, and `current`'s records are published as of the new day.
    func advanceToday(context: HandlerContext) throws {
        let db = context.database
        let today = LocalDate(context.now)
        guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT today FROM stat_today")) else {
            try db.execute(sql: "INSERT INTO stat_today (id, today) VALUES (1, ?)", arguments: [today.description])
            return
        }
        let last = try LocalDate(text)
        guard last < today else { return }
        let periods =
            calendar.dates(from: last.adding(days: 1), through: today).map(StatisticsPeriod.reportingDate)
            + [.current]
        var changes: [(old: Contribution, new: Contribution, period: StatisticsPeriod)] = []
        // Rows are written after the scan: SQLite leaves undefined whether a scan sees a row changed under it.
        var changed: [(person: String, state: PersonState)] = []
        let rows = try DirectStatement(db, sql: "SELECT person_id, versions, contributions FROM stat_persons")
        try rows.forEachRow { row in
            var state = PersonState(versions: row.text(1) ?? "", contributions: row.text(2) ?? "")
            let history = RegistrationHistory(versions: try state.versions())
            let before = changes.count
            for period in periods {
                if let change = try recount(&state, history: history, period: period, today: today) {
                    changes.append(change)
                }
            }
            if changes.count > before { changed.append((row.text(0) ?? "", state)) }
        }
        for (person, state) in changed { try state.saveContributions(person, db: db) }
        try db.execute(sql: "UPDATE stat_today SET today = ?", arguments: [today.description])
        // Stage 3 of `current`, if it is here: its records say as of which day, so they go out again for the new one.
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM stat_period_figures WHERE period = 'current')")
            ?? false
        {
            context.batch.value(ChangedPeriods.init).periods.insert(.current)
        }
        let pending = context.batch.value(PendingDeltas.init)
        for change in changes {
            pending.add(change.old, sign: -1, period: change.period)
            pending.add(change.new, sign: 1, period: change.period)
        }
    }

    /// Counts the person for `period` again; records and returns the change when the count differs from the
    /// stored one (compared as stored text: the old one is parsed only when it changed).
    private func recount(
        _ state: inout PersonState, history: RegistrationHistory, period: StatisticsPeriod, today: LocalDate
    ) throws -> (old: Contribution, new: Contribution, period: StatisticsPeriod)? {
        let date: LocalDate
        switch period {
        case .current: date = today
        case .reportingDate(let reportingDate): date = reportingDate
        }
        let new = history.contribution(asOf: date)
        let newText = new.stored
        let oldText = state.contribution(in: period)
        guard newText != oldText else { return nil }
        let old = oldText.isEmpty ? Contribution() : try Contribution(stored: oldText)
        state.setContribution(newText, in: period)
        return (old, new, period)
    }

    /// Sends the batch's changes on to stage 2, one message per statistics key.
    func sendDeltas(context: HandlerContext) throws {
        guard let pending = context.batch.existing(PendingDeltas.self) else { return }
        let sums = pending.sums()
        for (key, cells) in sums.cells.sorted(by: { $0.key < $1.key }) {
            let changed = cells.filter { $0.value != 0 }
            guard !changed.isEmpty else { continue }
            let delta = StatisticsDelta(key: key, countyNumber: sums.counties[key], cells: changed)
            try context.emit(delta, key: delta.partitionKey)
        }
    }
}

extension RegistrationVersion {
    /// The version an event makes.
    init(_ state: some RegistrationStatePayload) {
        self.init(
            sequence: 0, registrationId: state.registrationId, schoolYear: state.schoolYear,
            effectiveDate: state.effectiveDate, unitId: state.unitId, county: state.countyNumber,
            statusCode: state.currentStatusCode, statusGroup: state.statusGroup, reason: state.reason,
            birthDate: state.birthDate, gender: state.gender, isOpen: state.leavesRegistrationOpen)
    }

    /// The columns of `stat_versions` (a row per version, until migration `statistics-5-one-row-per-person`) that
    /// ``init(row:)`` reads, in its order.
    static let columns = """
        seq, registration_id, school_year, effective_date, unit_id, county, status_code, status_group, reason,
        birth_date, gender, is_open, aspects
        """

    /// A version stored before migration 5, from a row of ``columns``, read by position (every column but `status_code` and `gender`
    /// is `NOT NULL`).
    init(row: DirectRow) throws {
        self.init(
            sequence: row.int64(0) ?? 0, registrationId: row.text(1) ?? "",
            schoolYear: try SchoolYear(row.text(2) ?? ""),
            effectiveDate: try LocalDate(row.text(3) ?? ""), unitId: row.text(4) ?? "",
            county: try County(code: row.text(5) ?? ""), statusCode: try row.text(6).map { try OTStatusCode(code: $0) },
            statusGroup: try OTStatusGroup(number: Int(row.int64(7) ?? 0)),
            reason: try RegistrationReason(code: row.text(8) ?? ""), birthDate: try LocalDate(row.text(9) ?? ""),
            gender: try row.text(10).map { try Gender(code: $0) }, isOpen: row.int64(11) == 1,
            aspects: RegistrationVersion.Aspects(rawValue: Int(row.int64(12) ?? 0)))
    }
}

extension RegistrationEvent {
    /// What the event changes in its registration; `nil` for a contact or an activity, which change nothing the
    /// statistics count (a reached contact's status change comes as its own `status-changed`).
    var aspects: RegistrationVersion.Aspects? {
        switch self {
        case .registered: .all
        case .statusChanged: .status
        case .transferred: .unit
        case .closed(let closed): closed.statusCode == nil ? .openness : [.status, .openness]
        case .contactRecorded, .activityRecorded, .erased: nil
        }
    }

    /// The person's national ID digits, the key of every registrations event.
    var personDigits: String { personId.digits }
}
