import OTContract

/// Small-cell suppression over all the records of one period (the nation, its counties, their units).
///
/// 1. Primary: every count from 1 to 4 is suppressed, published or not (the never-published complements such as
///    "registered but not in activity" count too: a reader could subtract to get them).
/// 2. Complementary: a reader knows the published cells and every sum the tables hold (a record's total and its
///    status groups, reasons, age bands or genders; a status group and its codes; a county and its units; the
///    nation and its counties). Any sum with a single unknown member gives that member away, and what it gives away
///    may unlock further sums. The audit derives everything a reader can derive that way; while a suppressed count
///    is derivable, it suppresses the smallest positive published count that the derivation used, and audits
///    again. It ends when no suppressed count can be derived by any chain of sums.
///
/// Structural zeros (status group 5 is never open) stay published; they cannot protect anything.
struct Suppression {
    /// One record's raw counts.
    struct Entry {
        var key: StatisticsKey
        var county: County?
        var cells: [String: Int]
    }

    private struct Ref: Hashable, Comparable {
        var entry: Int
        var cell: Int

        static func < (lhs: Ref, rhs: Ref) -> Bool { (lhs.entry, lhs.cell) < (rhs.entry, rhs.cell) }
    }

    private struct Relation {
        var total: Ref
        var parts: [Ref]
        var members: [Ref] { [total] + parts }
    }

    private let entries: [Entry]
    private let cellNames = Cell.all
    private let cellIndex: [String: Int]
    private var relations: [Relation] = []
    private var relationsOf: [Ref: [Int]] = [:]

    /// Prepares the audit of `entries`, all of one period. The outcome depends only on the counts, not on the
    /// order of the entries, so that every instance suppresses the same cells.
    init(_ entries: [Entry]) {
        self.entries = entries.sorted { $0.key < $1.key }
        let entries = self.entries
        cellIndex = Dictionary(uniqueKeysWithValues: Cell.all.enumerated().map { ($1, $0) })
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
    }

    private func ref(_ entry: Int, _ cell: String) -> Ref { Ref(entry: entry, cell: cellIndex[cell]!) }

    private mutating func add(_ relation: Relation) {
        guard !relation.parts.isEmpty else { return }  // a county without units in the data: nothing to add up
        relations.append(relation)
        for member in relation.members { relationsOf[member, default: []].append(relations.count - 1) }
    }

    private func value(_ ref: Ref) -> Int { entries[ref.entry].cells[cellNames[ref.cell]] ?? 0 }
    private func isHidden(_ ref: Ref) -> Bool { Cell.hidden.contains(cellNames[ref.cell]) }

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
            let derivedBy = derive(suppressed: suppressed)
            guard let exposed = sensitive.filter({ derivedBy[$0] != nil }).min() else { break }
            guard let extra = smallestPublished(in: exposed, derivedBy: derivedBy, suppressed: suppressed) else {
                break  // cannot happen: a positive count is always derived from a positive published one
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
            for cell in cellNames.indices where Cell.hidden.contains(cellNames[cell]) {
                unknown.insert(Ref(entry: entry, cell: cell))
            }
        }
        var derivedBy: [Ref: Int] = [:]
        var queue = Array(relations.indices)
        while let index = queue.popLast() {
            let unknownMembers = relations[index].members.filter { unknown.contains($0) }
            guard unknownMembers.count == 1, let cell = unknownMembers.first else { continue }
            unknown.remove(cell)
            derivedBy[cell] = index
            queue.append(contentsOf: relationsOf[cell] ?? [])
        }
        return derivedBy
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
}
