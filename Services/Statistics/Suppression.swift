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

    /// A cell of a record, by index: `entry * cellNames.count + cell`. Refs in index order are in (record, cell)
    /// order, the order the audit breaks ties in; the audit's sets and maps are arrays over them, as hashing refs
    /// was about half of its time.
    private typealias Ref = Int

    private struct Relation: Sendable {
        var total: Ref
        var parts: [Ref]
    }

    private let entries: [Entry]
    private let cellNames = Cell.all
    private let cellIndex: [String: Int]
    /// Each record's counts by ref, read from the entries once: the audit reads a count many times, and a lookup by
    /// the cell's name hashed the name every time.
    private let values: [Int]
    /// Whether each ref is a never-published cell.
    private let hidden: [Bool]
    private var relations: [Relation] = []
    /// The sums each ref is a member of, in the order they were made.
    private var relationsOf: [[Int]] = []

    /// Prepares the audit of `entries`, all of one period. The outcome depends only on the counts, not on the
    /// order of the entries, so that every instance suppresses the same cells.
    init(_ entries: [Entry]) {
        self.entries = entries.sorted { $0.key < $1.key }
        cellIndex = Self.cellIndex
        var values = [Int](repeating: 0, count: self.entries.count * Cell.all.count)
        for (index, entry) in self.entries.enumerated() {
            // Each cell the record has, hashed once, instead of a lookup for every cell of the table.
            for (name, count) in entry.cells {
                if let cell = Self.cellIndex[name] { values[index * Cell.all.count + cell] = count }
            }
        }
        self.values = values
        hidden = Array(repeating: Self.hiddenCells, count: self.entries.count).flatMap { $0 }
        let shape = self.entries.map { Shape(scope: $0.key.scope, county: $0.county) }
        if let known = Self.structures.withLock({ $0[shape] }) {
            relations = known.relations
            relationsOf = known.relationsOf
            return
        }
        relationsOf = Array(repeating: [], count: values.count)
        let entries = self.entries
        let cells = cellNames.count
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
                add(Relation(total: parent * cells + cell, parts: counties.map { $0 * cells + cell }))
            }
            for parent in counties {
                let children = units.filter { entries[$0].county == entries[parent].county }
                add(Relation(total: parent * cells + cell, parts: children.map { $0 * cells + cell }))
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
        var relationsOf: [[Int]]
    }

    /// The sums of the tables seen lately, by their shape: a period keeps its keys from batch to batch, and working
    /// its sums out again was a fifth of the period stage's time.
    private static let structures = Mutex<[[Shape]: Structure]>([:])

    private static let cellIndex = Dictionary(uniqueKeysWithValues: Cell.all.enumerated().map { ($1, $0) })

    /// Whether each cell (by index) is never published.
    private static let hiddenCells = Cell.all.map { Cell.hidden.contains($0) }

    private func ref(_ entry: Int, _ cell: String) -> Ref { entry * cellNames.count + cellIndex[cell]! }

    private mutating func add(_ relation: Relation) {
        guard !relation.parts.isEmpty else { return }  // a county without units in the data: nothing to add up
        relations.append(relation)
        relationsOf[relation.total].append(relations.count - 1)
        for part in relation.parts { relationsOf[part].append(relations.count - 1) }
    }

    /// The refs of a sum: its total, then its parts.
    private static func members(of relation: Relation) -> [Ref] { [relation.total] + relation.parts }

    /// The suppressed cells of each record, by key: published cells to publish as null, and never-published ones.
    func run() -> [StatisticsKey: Set<String>] {
        let sensitive = values.map { (1...4).contains($0) }
        var suppressed = sensitive
        while true {
            // Protected: every cell shown as suppressed, and every small never-published one.
            func isProtected(_ ref: Ref) -> Bool { suppressed[ref] && (!hidden[ref] || sensitive[ref]) }
            // First the cheap audit, sums with a single unknown, to its end; then any linear combination.
            let derivedBy = derive(suppressed: suppressed)
            if let exposed = values.indices.first(where: { isProtected($0) && derivedBy[$0] >= 0 }) {
                guard let extra = smallestPublished(in: exposed, derivedBy: derivedBy, suppressed: suppressed) else {
                    break  // cannot happen: a positive count is always derived from a positive published one
                }
                suppressed[extra] = true
                continue
            }
            let determined = determined(unknown: unknowns(suppressed: suppressed))
            guard let exposed = values.indices.first(where: { isProtected($0) && determined[$0] }) else { break }
            guard let extra = protecting(exposed, suppressed: suppressed) else {
                break  // nothing published is left to hide around it (cannot happen with positive counts)
            }
            suppressed[extra] = true
        }
        var result: [StatisticsKey: Set<String>] = [:]
        for entry in entries { result[entry.key] = [] }
        for ref in suppressed.indices where suppressed[ref] {
            result[entries[ref / cellNames.count].key, default: []].insert(cellNames[ref % cellNames.count])
        }
        return result
    }

    /// What a reader can work out: each unknown cell (suppressed or never published) that is the only unknown of a
    /// sum, repeatedly. Returns, by ref, the sum that gave each derived cell away, or −1.
    private func derive(suppressed: [Bool]) -> [Int] {
        var unknown = unknowns(suppressed: suppressed)
        var derivedBy = [Int](repeating: -1, count: values.count)
        var queue = Array(relations.indices)
        while let index = queue.popLast() {
            guard let cell = Self.soleUnknown(of: relations[index], unknown: unknown) else { continue }
            unknown[cell] = false
            derivedBy[cell] = index
            queue.append(contentsOf: relationsOf[cell])
        }
        return derivedBy
    }

    /// The one unknown member of `relation`, or `nil` when it has none or more than one (counted without making an
    /// array of its members: the audit asks it of every sum, again and again).
    private static func soleUnknown(of relation: Relation, unknown: [Bool]) -> Ref? {
        var sole = unknown[relation.total] ? relation.total : nil
        for part in relation.parts where unknown[part] {
            if sole != nil { return nil }
            sole = part
        }
        return sole
    }

    /// The smallest positive published count that went into deriving `cell`, following derived members back.
    private func smallestPublished(in cell: Ref, derivedBy: [Int], suppressed: [Bool]) -> Ref? {
        var best: Ref?
        var seen = [Bool](repeating: false, count: values.count)
        seen[cell] = true
        var stack = [cell]
        while let current = stack.popLast() {
            let relation = derivedBy[current]
            guard relation >= 0 else { continue }
            for member in Self.members(of: relations[relation]) where !seen[member] {
                seen[member] = true
                if derivedBy[member] >= 0 {
                    stack.append(member)
                } else if !suppressed[member], !hidden[member], values[member] > 0,
                    best.map({ (values[member], member) < (values[$0], $0) }) ?? true
                {
                    best = member
                }
            }
        }
        return best
    }

    /// The cells a reader does not see: the suppressed ones and the never-published complements.
    private func unknowns(suppressed: [Bool]) -> [Bool] {
        var unknown = suppressed
        for ref in unknown.indices where hidden[ref] { unknown[ref] = true }
        return unknown
    }

    /// The unknown cells whose value follows from the published ones through the tables' sums, by any linear
    /// combination of them: the unknown `x` is determined when the unit vector of `x` lies in the row space of the
    /// sums restricted to the unknowns. Each connected group of unknowns is reduced to reduced row echelon form
    /// (modulo the prime 2³¹ − 1: the sums have coefficients 1 and −1, so ranks agree with the rationals' but for
    /// vanishingly unlikely cancellations); a pivot whose row has no entry in a free column is determined.
    private func determined(unknown: [Bool], around cell: Ref? = nil) -> [Bool] {
        // The sums that hold an unknown, and the groups of unknowns they connect (−1: not in any such sum).
        var groupOf = [Int](repeating: -1, count: values.count)
        func root(_ ref: Ref) -> Ref {
            var current = ref
            while groupOf[current] != current { current = groupOf[current] }
            return current
        }
        var equations: [[Ref]] = []  // unknown members, the total first when it is unknown; coefficients below
        var coefficients: [[Int64]] = []
        for relation in cell.map({ sums(connectedTo: $0, unknown: unknown) }) ?? relations {
            var members: [Ref] = []
            var signs: [Int64] = []
            if unknown[relation.total] {
                members.append(relation.total)
                signs.append(1)
            }
            for part in relation.parts where unknown[part] {
                members.append(part)
                signs.append(-1)
            }
            guard let first = members.first else { continue }
            for member in members where groupOf[member] < 0 { groupOf[member] = member }
            for member in members.dropFirst() {
                let (a, b) = (root(first), root(member))
                if a != b { groupOf[max(a, b)] = min(a, b) }
            }
            equations.append(members)
            coefficients.append(signs)
        }
        var byGroup: [Int: [Int]] = [:]
        for index in equations.indices { byGroup[root(equations[index][0]), default: []].append(index) }

        var determined = [Bool](repeating: false, count: values.count)
        var column = [Int](repeating: -1, count: values.count)  // a group's column of each of its unknowns
        for (_, rows) in byGroup.sorted(by: { $0.key < $1.key }) {
            var columns: [Ref] = []
            for row in rows {
                for member in equations[row] where column[member] < 0 {
                    column[member] = 0
                    columns.append(member)
                }
            }
            columns.sort()
            for (index, member) in columns.enumerated() { column[member] = index }
            var matrix = rows.map { row -> [Int64] in
                var values = [Int64](repeating: 0, count: columns.count)
                for (member, sign) in zip(equations[row], coefficients[row]) {
                    values[column[member]] = Modular.add(values[column[member]], sign)
                }
                return values
            }
            let pivots = Modular.reduce(&matrix, columns: columns.count)
            var isPivotColumn = [Bool](repeating: false, count: columns.count)
            for pivot in pivots { isPivotColumn[pivot.column] = true }
            for pivot in pivots {
                let row = matrix[pivot.row]
                if !row.indices.contains(where: { !isPivotColumn[$0] && row[$0] != 0 }) {
                    determined[columns[pivot.column]] = true
                }
            }
            for member in columns { column[member] = -1 }
        }
        return determined
    }

    /// The cell to suppress next so that `cell` is no longer determined: the smallest positive published count in
    /// a sum with `cell` whose suppression leaves `cell` undetermined; else the smallest in a sum with `cell` or
    /// with an unknown connected to it.
    private func protecting(_ cell: Ref, suppressed: [Bool]) -> Ref? {
        let unknown = unknowns(suppressed: suppressed)
        func published(in sums: [Relation]) -> [Ref] {
            var seen = Set<Ref>()
            var found: [Ref] = []
            for member in sums.flatMap(Self.members(of:)) where seen.insert(member).inserted {
                if !unknown[member] && values[member] > 0 { found.append(member) }
            }
            return found.sorted { (values[$0], $0) < (values[$1], $1) }
        }
        let near = published(in: relationsOf[cell].map { relations[$0] })
        for candidate in near.prefix(8) {
            var trial = unknown
            trial[candidate] = true
            if !determined(unknown: trial, around: cell)[cell] { return candidate }
        }
        return near.first ?? published(in: sums(connectedTo: cell, unknown: unknown)).first
    }

    /// The sums reached from `cell` through unknown cells: the part of the system that can determine it.
    private func sums(connectedTo cell: Ref, unknown: [Bool]) -> [Relation] {
        var seen: Set<Ref> = [cell]
        var frontier = [cell]
        var reached: Set<Int> = []
        while let current = frontier.popLast() {
            for index in relationsOf[current] where !reached.contains(index) {
                reached.insert(index)
                for member in Self.members(of: relations[index]) where unknown[member] && !seen.contains(member) {
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
