import OTContract
import Synchronization

/// Small-cell suppression over all the records of one period (the nation, its counties, their units).
///
/// 1. Primary: every count from 1 to 4 is suppressed, published or not (the never-published complements such as
///    "registered but not in activity" count too: a reader could subtract to get them).
/// 2. Complementary: a reader knows the published cells and every sum the tables hold (a record's total and its
///    status groups, reasons, age bands or genders; a status group and its codes; a county and its units; the
///    nation and its counties), and can combine the sums in any linear way, not only one sum with one unknown at a
///    time (two blocks of suppressed cells joined by one can give that one away). The audit finds every unknown
///    cell the sums determine (linear algebra: ``determined(unknown:)``); while a cell shown as suppressed, or a
///    small never-published one, is determined, it suppresses the smallest positive published count in a sum with
///    it, and audits again. It ends when no cell shown as suppressed can be worked out from what is published.
///
/// Structural zeros (status group 5 is never open) stay published; they cannot protect anything.
struct Suppression {
    /// One record's raw counts.
    struct Entry {
        var key: StatisticsKey
        var county: County?
        var cells: [String: Int]
    }

    private struct Ref: Hashable, Comparable, Sendable {
        var entry: Int
        var cell: Int

        static func < (lhs: Ref, rhs: Ref) -> Bool { (lhs.entry, lhs.cell) < (rhs.entry, rhs.cell) }

        /// One word to hash instead of two: the audit's sets and maps hash refs all the time.
        func hash(into hasher: inout Hasher) { hasher.combine(entry << 16 | cell) }
    }

    private struct Relation: Sendable {
        var total: Ref
        var parts: [Ref]
        var members: [Ref] { [total] + parts }
    }

    private let entries: [Entry]
    private let cellNames = Cell.all
    private let cellIndex: [String: Int]
    /// Each record's counts by cell index (`entry * cellNames.count + cell`), read from the entries once: the audit
    /// reads a count many times, and a lookup by the cell's name hashed the name every time.
    private let values: [Int]
    private var relations: [Relation] = []
    private var relationsOf: [Ref: [Int]] = [:]

    /// Prepares the audit of `entries`, all of one period. The outcome depends only on the counts, not on the
    /// order of the entries, so that every instance suppresses the same cells.
    init(_ entries: [Entry]) {
        self.entries = entries.sorted { $0.key < $1.key }
        cellIndex = Self.cellIndex
        values = self.entries.flatMap { entry in Cell.all.map { entry.cells[$0] ?? 0 } }
        let shape = self.entries.map { Shape(scope: $0.key.scope, county: $0.county) }
        if let known = Self.structures.withLock({ $0[shape] }) {
            relations = known.relations
            relationsOf = known.relationsOf
            return
        }
        let entries = self.entries
        for index in entries.indices {
            for relation in Cell.relations {
                add(Relation(total: ref(index, relation.total), parts: relation.parts.map { ref(index, $0) }))
            }
        }
        // Across records: the nation is the sum of its counties, a county the sum of its units.
        let national = entries.indices.filter { entries[$0].key.scope == .national }
        let counties = entries.indices.filter { entries[$0].key.scope == .county }
        let units = entries.indices.filter { entries[$0].key.scope == .unit }
        for cell in cellNames.indices {
            for parent in national {
                add(Relation(total: Ref(entry: parent, cell: cell), parts: counties.map { Ref(entry: $0, cell: cell) }))
            }
            for parent in counties {
                let children = units.filter { entries[$0].county == entries[parent].county }
                add(Relation(total: Ref(entry: parent, cell: cell), parts: children.map { Ref(entry: $0, cell: cell) }))
            }
        }
        let structure = Structure(relations: relations, relationsOf: relationsOf)
        Self.structures.withLock {
            if $0.count >= 64 { $0.removeAll() }
            $0[shape] = structure
        }
    }

    /// What the sums of a table depend on: each record's scope and county, in key order.
    private struct Shape: Hashable {
        var scope: StatisticsScope
        var county: County?
    }

    /// A table's sums, which the counts do not change.
    private struct Structure: Sendable {
        var relations: [Relation]
        var relationsOf: [Ref: [Int]]
    }

    /// The sums of the tables seen lately, by their shape: a period keeps its keys from batch to batch, and working
    /// its sums out again was a fifth of the period stage's time.
    private static let structures = Mutex<[[Shape]: Structure]>([:])

    private static let cellIndex = Dictionary(uniqueKeysWithValues: Cell.all.enumerated().map { ($1, $0) })

    /// Whether each cell (by index) is never published, and the indexes of those that are not.
    private static let hiddenCells = Cell.all.map { Cell.hidden.contains($0) }
    private static let hiddenIndexes = Cell.all.indices.filter { hiddenCells[$0] }

    private func ref(_ entry: Int, _ cell: String) -> Ref { Ref(entry: entry, cell: cellIndex[cell]!) }

    private mutating func add(_ relation: Relation) {
        guard !relation.parts.isEmpty else { return }  // a county without units in the data: nothing to add up
        relations.append(relation)
        for member in relation.members { relationsOf[member, default: []].append(relations.count - 1) }
    }

    private func value(_ ref: Ref) -> Int { values[ref.entry * cellNames.count + ref.cell] }
    private func isHidden(_ ref: Ref) -> Bool { Self.hiddenCells[ref.cell] }

    /// The suppressed cells of each record, by key: published cells to publish as null, and never-published ones.
    func run() -> [StatisticsKey: Set<String>] {
        var sensitive: Set<Ref> = []
        for entry in entries.indices {
            for cell in cellNames.indices where (1...4).contains(value(Ref(entry: entry, cell: cell))) {
                sensitive.insert(Ref(entry: entry, cell: cell))
            }
        }
        var suppressed = sensitive
        while true {
            // Protected: every cell shown as suppressed, and every small never-published one.
            let protected = suppressed.filter { !isHidden($0) || sensitive.contains($0) }
            // First the cheap audit, sums with a single unknown, to its end; then any linear combination.
            let derivedBy = derive(suppressed: suppressed)
            if let exposed = protected.filter({ derivedBy[$0] != nil }).min() {
                guard let extra = smallestPublished(in: exposed, derivedBy: derivedBy, suppressed: suppressed) else {
                    break  // cannot happen: a positive count is always derived from a positive published one
                }
                suppressed.insert(extra)
                continue
            }
            let determined = determined(unknown: unknowns(suppressed: suppressed))
            guard let exposed = protected.filter({ determined.contains($0) }).min() else { break }
            guard let extra = protecting(exposed, suppressed: suppressed) else {
                break  // nothing published is left to hide around it (cannot happen with positive counts)
            }
            suppressed.insert(extra)
        }
        var result: [StatisticsKey: Set<String>] = [:]
        for entry in entries { result[entry.key] = [] }
        for ref in suppressed { result[entries[ref.entry].key, default: []].insert(cellNames[ref.cell]) }
        return result
    }

    /// What a reader can work out: each unknown cell (suppressed or never published) that is the only unknown of a
    /// sum, repeatedly. Returns the sum that gave each derived cell away.
    private func derive(suppressed: Set<Ref>) -> [Ref: Int] {
        var unknown = suppressed
        for entry in entries.indices {
            for cell in Self.hiddenIndexes {
                unknown.insert(Ref(entry: entry, cell: cell))
            }
        }
        var derivedBy: [Ref: Int] = [:]
        var queue = Array(relations.indices)
        while let index = queue.popLast() {
            guard let cell = Self.soleUnknown(of: relations[index], unknown: unknown) else { continue }
            unknown.remove(cell)
            derivedBy[cell] = index
            queue.append(contentsOf: relationsOf[cell] ?? [])
        }
        return derivedBy
    }

    /// The one unknown member of `relation`, or `nil` when it has none or more than one (counted without making an
    /// array of its members: the audit asks it of every sum, again and again).
    private static func soleUnknown(of relation: Relation, unknown: Set<Ref>) -> Ref? {
        var sole = unknown.contains(relation.total) ? relation.total : nil
        for part in relation.parts where unknown.contains(part) {
            if sole != nil { return nil }
            sole = part
        }
        return sole
    }

    /// The smallest positive published count that went into deriving `cell`, following derived members back.
    private func smallestPublished(in cell: Ref, derivedBy: [Ref: Int], suppressed: Set<Ref>) -> Ref? {
        var best: Ref?
        var seen: Set<Ref> = [cell]
        var stack = [cell]
        while let current = stack.popLast() {
            guard let relation = derivedBy[current] else { continue }
            for member in relations[relation].members where !seen.contains(member) {
                seen.insert(member)
                if derivedBy[member] != nil {
                    stack.append(member)
                } else if !suppressed.contains(member), !isHidden(member), value(member) > 0,
                    best.map({ (value(member), member) < (value($0), $0) }) ?? true
                {
                    best = member
                }
            }
        }
        return best
    }

    /// The cells a reader does not see: the suppressed ones and the never-published complements.
    private func unknowns(suppressed: Set<Ref>) -> Set<Ref> {
        var unknown = suppressed
        for entry in entries.indices {
            for cell in Self.hiddenIndexes {
                unknown.insert(Ref(entry: entry, cell: cell))
            }
        }
        return unknown
    }

    /// The unknown cells whose value follows from the published ones through the tables' sums, by any linear
    /// combination of them: the unknown `x` is determined when the unit vector of `x` lies in the row space of the
    /// sums restricted to the unknowns. Each connected group of unknowns is reduced to reduced row echelon form
    /// (modulo the prime 2³¹ − 1: the sums have coefficients 1 and −1, so ranks agree with the rationals' but for
    /// vanishingly unlikely cancellations); a pivot whose row has no entry in a free column is determined.
    private func determined(unknown: Set<Ref>, around cell: Ref? = nil) -> Set<Ref> {
        // The sums that hold an unknown, and the groups of unknowns they connect.
        var groupOf: [Ref: Ref] = [:]
        func root(_ ref: Ref) -> Ref {
            var current = ref
            while let parent = groupOf[current], parent != current { current = parent }
            return current
        }
        var equations: [[Ref]] = []  // unknown members, the total first when it is unknown; coefficients below
        var coefficients: [[Int64]] = []
        for relation in cell.map({ sums(connectedTo: $0, unknown: unknown) }) ?? relations {
            var members: [Ref] = []
            var signs: [Int64] = []
            if unknown.contains(relation.total) {
                members.append(relation.total)
                signs.append(1)
            }
            for part in relation.parts where unknown.contains(part) {
                members.append(part)
                signs.append(-1)
            }
            guard let first = members.first else { continue }
            for member in members where groupOf[member] == nil { groupOf[member] = member }
            for member in members.dropFirst() {
                let (a, b) = (root(first), root(member))
                if a != b { groupOf[max(a, b)] = min(a, b) }
            }
            equations.append(members)
            coefficients.append(signs)
        }
        var byGroup: [Ref: [Int]] = [:]
        for index in equations.indices { byGroup[root(equations[index][0]), default: []].append(index) }

        var determined: Set<Ref> = []
        for (_, rows) in byGroup.sorted(by: { $0.key < $1.key }) {
            let columns = Array(Set(rows.flatMap { equations[$0] })).sorted()
            let column = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
            var matrix = rows.map { row -> [Int64] in
                var values = [Int64](repeating: 0, count: columns.count)
                for (member, sign) in zip(equations[row], coefficients[row]) {
                    values[column[member]!] = Modular.add(values[column[member]!], sign)
                }
                return values
            }
            let pivots = Modular.reduce(&matrix, columns: columns.count)
            let pivotColumns = Set(pivots.map(\.column))
            for pivot in pivots {
                let row = matrix[pivot.row]
                if !row.indices.contains(where: { !pivotColumns.contains($0) && row[$0] != 0 }) {
                    determined.insert(columns[pivot.column])
                }
            }
        }
        return determined
    }

    /// The cell to suppress next so that `cell` is no longer determined: the smallest positive published count in
    /// a sum with `cell` whose suppression leaves `cell` undetermined; else the smallest in a sum with `cell` or
    /// with an unknown connected to it.
    private func protecting(_ cell: Ref, suppressed: Set<Ref>) -> Ref? {
        let unknown = unknowns(suppressed: suppressed)
        func published(in sums: [Relation]) -> [Ref] {
            Set(sums.flatMap(\.members)).filter { !unknown.contains($0) && value($0) > 0 }
                .sorted { (value($0), $0) < (value($1), $1) }
        }
        let near = published(in: (relationsOf[cell] ?? []).map { relations[$0] })
        for candidate in near.prefix(8) {
            var trial = unknown
            trial.insert(candidate)
            if !determined(unknown: trial, around: cell).contains(cell) { return candidate }
        }
        return near.first ?? published(in: sums(connectedTo: cell, unknown: unknown)).first
    }

    /// The sums reached from `cell` through unknown cells: the part of the system that can determine it.
    private func sums(connectedTo cell: Ref, unknown: Set<Ref>) -> [Relation] {
        var seen: Set<Ref> = [cell]
        var frontier = [cell]
        var reached: Set<Int> = []
        while let current = frontier.popLast() {
            for index in relationsOf[current] ?? [] where !reached.contains(index) {
                reached.insert(index)
                for member in relations[index].members where unknown.contains(member) && !seen.contains(member) {
                    seen.insert(member)
                    frontier.append(member)
                }
            }
        }
        return reached.sorted().map { relations[$0] }
    }
}

/// Arithmetic modulo the prime 2³¹ − 1, for exact ranks without growing fractions.
private enum Modular {
    static let prime: Int64 = 2_147_483_647

    static func add(_ a: Int64, _ b: Int64) -> Int64 { ((a + b) % prime + prime) % prime }

    static func multiply(_ a: Int64, _ b: Int64) -> Int64 { (a * b) % prime }

    /// The inverse of a non-zero `a` (Fermat: a^(p−2)).
    static func inverse(_ a: Int64) -> Int64 {
        var result: Int64 = 1
        var base = a % prime
        var exponent = prime - 2
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }

    /// Reduces `matrix` to reduced row echelon form in place; returns each pivot's row and column.
    static func reduce(_ matrix: inout [[Int64]], columns: Int) -> [(row: Int, column: Int)] {
        var pivots: [(row: Int, column: Int)] = []
        var nextRow = 0
        for column in 0..<columns where nextRow < matrix.count {
            guard let found = (nextRow..<matrix.count).first(where: { matrix[$0][column] != 0 }) else { continue }
            matrix.swapAt(nextRow, found)
            let scale = inverse(matrix[nextRow][column])
            for index in column..<columns { matrix[nextRow][index] = multiply(matrix[nextRow][index], scale) }
            let pivotRow = matrix[nextRow]
            for row in matrix.indices where row != nextRow && matrix[row][column] != 0 {
                let factor = matrix[row][column]
                for index in column..<columns where pivotRow[index] != 0 {
                    matrix[row][index] = add(matrix[row][index], -multiply(factor, pivotRow[index]))
                }
            }
            pivots.append((nextRow, column))
            nextRow += 1
        }
        return pivots
    }
}
