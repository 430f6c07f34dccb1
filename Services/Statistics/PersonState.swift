import GRDB
import OTContract
import OTStore

/// What the person stage keeps of one youth, in one row of `stat_persons`: every version of their registrations in
/// arrival order, and what they were last counted as in each period.
///
/// One row per youth, read once and written once per event: a version is appended to the row's text, and the
/// contributions are compared as their stored text (``Contribution/stored``), parsed only when they changed
/// (migration `statistics-5-one-row-per-person`; before it, a row per version and a row per period, three B-trees
/// and a changelog record each).
struct PersonState {
    /// The versions as stored: one line per version (``RegistrationVersion/storedLine``), in arrival order.
    private(set) var versionsText: String
    /// What the youth was last counted as, by period (``StatisticsPeriod/description``), as ``Contribution/stored``
    /// text, in the order of the periods' texts; a period where they count for nothing has no entry. A youth counts
    /// in a few periods: an array searched from the start costs less than a dictionary, which hashes the period's
    /// text at every lookup (callgrind of `ot-statistics`, 2026-12-07).
    private var contributions: [(period: String, stored: String)]
    /// Whether the row is in the store (an update) or new (an insert).
    private let stored: Bool

    /// A youth the stage has not seen.
    init() {
        versionsText = ""
        contributions = []
        stored = false
    }

    /// The youth's row, from its two columns.
    init(versions: String, contributions text: String) {
        versionsText = versions
        contributions = []
        stored = true
        for line in text.split(separator: "\n") {
            guard let separator = line.firstIndex(of: "=") else { continue }
            set(String(line[line.index(after: separator)...]), for: String(line[..<separator]))
        }
    }

    /// The versions, each with its place in the youth's arrival order as its sequence.
    func versions() throws(ContractError) -> [RegistrationVersion] {
        var versions: [RegistrationVersion] = []
        for line in versionsText.utf8.split(separator: 0x0A) {
            versions.append(try RegistrationVersion(storedLine: line, sequence: Int64(versions.count)))
        }
        return versions
    }

    /// Appends a version after every version there is.
    mutating func append(_ version: RegistrationVersion) {
        versionsText = versionsText.isEmpty ? version.storedLine : versionsText + "\n" + version.storedLine
    }

    /// What the youth was last counted as in `period`, as ``Contribution/stored`` text (empty when nothing).
    func contribution(in period: StatisticsPeriod) -> String {
        let key = period.description
        return contributions.first { $0.period == key }?.stored ?? ""
    }

    /// Every period the youth counts in, with what they count as (``Contribution/stored`` text), in the periods'
    /// order.
    func counted() throws(ContractError) -> [(period: StatisticsPeriod, stored: String)] {
        var counted: [(period: StatisticsPeriod, stored: String)] = []
        for (period, stored) in contributions { counted.append((try StatisticsPeriod(period), stored)) }
        return counted
    }

    /// Records what the youth is now counted as in `period`.
    mutating func setContribution(_ stored: String, in period: StatisticsPeriod) {
        set(stored, for: period.description)
    }

    /// Puts `stored` in for `period` (none when it is empty), in the periods' order.
    private mutating func set(_ stored: String, for period: String) {
        let index = contributions.firstIndex { !($0.period < period) } ?? contributions.endIndex
        let found = index < contributions.endIndex && contributions[index].period == period
        switch (found, stored.isEmpty) {
        case (true, true): contributions.remove(at: index)
        case (true, false): contributions[index].stored = stored
        case (false, true): break
        case (false, false): contributions.insert((period, stored), at: index)
        }
    }

    /// The contributions column: `period=contribution` lines, by period, so that the same state is the same text.
    var contributionsText: String {
        var text = StoredText(capacity: 128)
        for (index, entry) in contributions.enumerated() {
            if index > 0 { text.appendASCII("\n") }
            text.append(entry.period)
            text.appendASCII("=")
            text.append(entry.stored)
        }
        return text.text
    }

    // MARK: Store

    /// The youth's row, or a new state when the stage holds nothing of them.
    static func fetch(_ person: String, db: Database) throws -> PersonState {
        let select = try DirectStatement(
            db, sql: "SELECT versions, contributions FROM stat_persons WHERE person_id = ?")
        try select.bind(person, at: 1)
        var state: PersonState?
        try select.forEachRow { row in
            state = PersonState(versions: row.text(0) ?? "", contributions: row.text(1) ?? "")
        }
        return state ?? PersonState()
    }

    /// Writes the youth's row.
    func save(_ person: String, db: Database) throws {
        let statement =
            stored
            ? try DirectStatement(
                db, sql: "UPDATE stat_persons SET versions = ?2, contributions = ?3 WHERE person_id = ?1")
            : try DirectStatement(
                db, sql: "INSERT INTO stat_persons (person_id, versions, contributions) VALUES (?1, ?2, ?3)")
        try statement.bind(person, at: 1)
        try statement.bind(versionsText, at: 2)
        try statement.bind(contributionsText, at: 3)
        try statement.execute()
    }

    /// Writes only the contributions of a youth whose row is stored (the daily recount).
    func saveContributions(_ person: String, db: Database) throws {
        let update = try DirectStatement(db, sql: "UPDATE stat_persons SET contributions = ? WHERE person_id = ?")
        try update.bind(contributionsText, at: 1)
        try update.bind(person, at: 2)
        try update.execute()
    }
}
