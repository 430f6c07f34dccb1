import OTContract
import Testing

@testable import Statistics

@Suite("Small-cell suppression", .timeLimit(.minutes(2)))
struct SuppressionTests {
    /// A record whose open registrations are all in group 2 (OTOV) or group 1 (OTUK), with matching breakdowns.
    static func entry(_ scope: StatisticsScope, _ id: String, county: County?, otuk: Int, otov: Int)
        -> Suppression.Entry
    {
        let total = otuk + otov
        var cells: [String: Int] = [
            "openRegistrations": total, "byStatusGroup.1": otuk, "byStatusGroup.2": otov, "byStatusCode.OTUK": otuk,
            "byStatusCode.OTOV": otov, "byReason.IKKE_SOKT": total, "byAgeBand.18": total, "byGender.K": total,
            "schoolYearFlow.registered": total, "schoolYearFlow.reachedActivity": 0,
            "schoolYearFlow.notReachedActivity": total, "schoolYearFlow.registeredPreviousYear": 0,
            "schoolYearFlow.notRegisteredPreviousYear": total,
        ]
        cells = cells.filter { $0.value != 0 }
        return Suppression.Entry(
            key: StatisticsKey(scope: scope, id: id, period: .current), county: county, cells: cells)
    }

    /// The cells a reader could work out exactly that must stay unknown: every cell shown as suppressed, and every
    /// never-published count from 1 to 4. A reader knows the published cells and every sum of the tables (within a
    /// record, a county from its units, the nation from its counties) and may combine the sums linearly: a cell is
    /// worked out when every solution of the sums gives it the same value, that is when every vector of the null
    /// space of the sums over the unknown cells is zero at it. Computed here in floating point, by elimination.
    static func recoverable(_ entries: [Suppression.Entry], suppressed: [StatisticsKey: Set<String>]) -> [String] {
        var relations: [[String]] = []  // first the total, then the parts; members as "key|cell"
        for entry in entries {
            for relation in Cell.relations {
                relations.append(([relation.total] + relation.parts).map { "\(entry.key)|\($0)" })
            }
        }
        for cell in Cell.all {
            for parent in entries where parent.key.scope != .unit {
                let children = entries.filter {
                    parent.key.scope == .national
                        ? $0.key.scope == .county
                        : $0.key.scope == .unit && $0.county == parent.county
                }
                guard !children.isEmpty else { continue }
                relations.append(["\(parent.key)|\(cell)"] + children.map { "\($0.key)|\(cell)" })
            }
        }
        var unknown: [String] = []
        var mustStayUnknown: Set<String> = []
        for entry in entries {
            for cell in Cell.all {
                let name = "\(entry.key)|\(cell)"
                let value = entry.cells[cell] ?? 0
                if Cell.hidden.contains(cell) {
                    unknown.append(name)
                    if (1...4).contains(value) { mustStayUnknown.insert(name) }
                } else if suppressed[entry.key]?.contains(cell) == true {
                    unknown.append(name)
                    mustStayUnknown.insert(name)
                }
            }
        }
        let column = Dictionary(uniqueKeysWithValues: unknown.enumerated().map { ($1, $0) })
        var rows: [[Double]] = relations.compactMap { relation in
            var row = [Double](repeating: 0, count: unknown.count)
            var any = false
            for (index, member) in relation.enumerated() {
                guard let at = column[member] else { continue }
                row[at] += index == 0 ? 1 : -1
                any = true
            }
            return any ? row : nil
        }
        // Reduced row echelon form with partial pivoting.
        var pivotColumns: [Int] = []
        var rank = 0
        for col in unknown.indices where rank < rows.count {
            guard let best = (rank..<rows.count).max(by: { abs(rows[$0][col]) < abs(rows[$1][col]) }),
                abs(rows[best][col]) > 1e-9
            else { continue }
            rows.swapAt(rank, best)
            let scale = rows[rank][col]
            rows[rank] = rows[rank].map { $0 / scale }
            for other in rows.indices where other != rank && abs(rows[other][col]) > 1e-12 {
                let factor = rows[other][col]
                for k in unknown.indices { rows[other][k] -= factor * rows[rank][k] }
            }
            pivotColumns.append(col)
            rank += 1
        }
        let free = Set(unknown.indices).subtracting(pivotColumns)
        // Null space basis: one vector per free column f (1 at f, −row[f] at each pivot column). A pivot column is
        // zero in every basis vector exactly when its row has nothing in the free columns; a free column never is.
        var determined: [String] = []
        for (row, col) in pivotColumns.enumerated() where free.allSatisfy({ abs(rows[row][$0]) < 1e-9 }) {
            if mustStayUnknown.contains(unknown[col]) { determined.append(unknown[col]) }
        }
        return determined
    }

    @Test("counts from 1 to 4 are suppressed; 0 and 5 and more are not")
    func primary() {
        let result = Suppression([Self.entry(.national, "all", county: nil, otuk: 40, otov: 0)]).run()
        #expect(result[.national(.current)] == [])
        let small = Suppression([Self.entry(.national, "all", county: nil, otuk: 5, otov: 3)]).run()[
            .national(.current)]!
        #expect(small.contains("byStatusCode.OTOV") && small.contains("byStatusGroup.2"))
        #expect(!small.contains("byStatusCode.OTUK") || small.contains("byStatusGroup.1"))
    }

    @Test("a small cell cannot be recovered from its record's total: a complementary cell goes too")
    func complementaryWithinRecord() {
        let entry = Self.entry(.national, "all", county: nil, otuk: 30, otov: 2)
        let suppressed = Suppression([entry]).run()[.national(.current)]!
        // Groups: open (32) = group 1 (30) + group 2 (2): group 2 alone would be 32 − 30.
        #expect(suppressed.contains("byStatusGroup.2"))
        #expect(suppressed.contains("byStatusGroup.1") || suppressed.contains("openRegistrations"))
        #expect(Self.recoverable([entry], suppressed: [entry.key: suppressed]).isEmpty)
    }

    @Test("a unit's small cell cannot be recovered from its county minus the other units")
    func complementaryAcrossUnits() {
        let entries = [
            Self.entry(.national, "all", county: nil, otuk: 60, otov: 20),
            Self.entry(.county, "50", county: .trondelag, otuk: 60, otov: 20),
            Self.entry(.unit, "5001", county: .trondelag, otuk: 40, otov: 17),
            Self.entry(.unit, "5002", county: .trondelag, otuk: 20, otov: 3),
        ]
        let result = Suppression(entries).run()
        let unit1 = result[StatisticsKey(scope: .unit, id: "5001", period: .current)]!
        let unit2 = result[StatisticsKey(scope: .unit, id: "5002", period: .current)]!
        #expect(unit2.contains("byStatusCode.OTOV"))
        // County 20 = 17 + 3: the other unit's OTOV must go as well (or the county's).
        let county = result[StatisticsKey(scope: .county, id: "50", period: .current)]!
        #expect(unit1.contains("byStatusCode.OTOV") || county.contains("byStatusCode.OTOV"))
        #expect(Self.recoverable(entries, suppressed: result).isEmpty)
    }

    @Test("a table of the same shape as one audited before (its sums kept) is audited by its own counts")
    func sameShapeOtherCounts() {
        func table(_ county: County, units: (String, String), small: Int) -> [Suppression.Entry] {
            [
                Self.entry(.national, "all", county: nil, otuk: 60, otov: 20),
                Self.entry(.county, county.rawValue, county: county, otuk: 60, otov: 20),
                Self.entry(.unit, units.0, county: county, otuk: 40, otov: 20 - small),
                Self.entry(.unit, units.1, county: county, otuk: 20, otov: small),
            ]
        }
        // First a table with nothing small, then others of its shape (other keys, other counts).
        let first = table(.trondelag, units: ("5001", "5002"), small: 10)
        #expect(Suppression(first).run().values.allSatisfy { $0.isEmpty })
        for (county, units, small) in [(County.trondelag, ("5001", "5002"), 3), (.vestland, ("4601", "4602"), 2)] {
            let entries = table(county, units: units, small: small)
            let result = Suppression(entries).run()
            let unit = StatisticsKey(scope: .unit, id: units.1, period: .current)
            #expect(result[unit]?.contains("byStatusCode.OTOV") == true, "\(county)")
            #expect(Self.recoverable(entries, suppressed: result).isEmpty, "\(county)")
        }
    }

    @Test("the never-published complement (registered, not in activity) is protected too")
    func hiddenComplement() {
        var entry = Self.entry(.national, "all", county: nil, otuk: 20, otov: 0)
        entry.cells["schoolYearFlow.reachedActivity"] = 18
        entry.cells["schoolYearFlow.notReachedActivity"] = 2
        let suppressed = Suppression([entry]).run()[.national(.current)]!
        // 20 registered − 18 in activity = 2: one of the two published must go.
        #expect(
            suppressed.contains("schoolYearFlow.reachedActivity") || suppressed.contains("schoolYearFlow.registered"))
    }

    @Test("the outcome does not depend on the order of the records")
    func deterministic() {
        let entries = [
            Self.entry(.national, "all", county: nil, otuk: 33, otov: 9),
            Self.entry(.county, "50", county: .trondelag, otuk: 21, otov: 6),
            Self.entry(.county, "46", county: .vestland, otuk: 12, otov: 3),
            Self.entry(.unit, "5001", county: .trondelag, otuk: 19, otov: 2),
            Self.entry(.unit, "5002", county: .trondelag, otuk: 2, otov: 4),
            Self.entry(.unit, "4601", county: .vestland, otuk: 12, otov: 3),
        ]
        let first = Suppression(entries).run()
        #expect(Suppression(entries.reversed()).run() == first)
        #expect(Suppression(entries.shuffled()).run() == first)
    }

    @Test("published records never carry a count from 1 to 4 and list what they suppress")
    func records() throws {
        let entry = Self.entry(.county, "50", county: .trondelag, otuk: 30, otov: 2)
        let suppressed = Suppression([entry]).run()[entry.key]!
        let record = StatisticsRecord.make(entry, suppressed: suppressed, asOf: try LocalDate("2026-11-29"))
        try record.validate()
        #expect(record.byStatusCode["OTOV"] == .some(nil))
        #expect(record.suppressed.contains("byStatusCode.OTOV"))
        #expect(!record.suppressed.contains("schoolYearFlow.notReachedActivity"))
        #expect(record.byStatusCode.count == OTStatusCode.allCases.count)
        #expect(record.schoolYear.description == "2026-2027")
    }
}

@Suite("Suppression over simulated tables", .timeLimit(.minutes(2)))
struct SuppressionPropertyTests {
    /// The expected counts of a stream as suppression entries, with the never-published complements filled in.
    static func entries(youths: Int, seed: UInt64, period: StatisticsPeriod, day: String) -> [Suppression.Entry] {
        let stream = RegistrationStream(youths: youths, seed: seed)
        return ExpectedFigures.suppressionEntries(
            ExpectedFigures.compute(stream.events, asOf: date(day), period: period), period: period)
    }

    @Test(
        "no small count and no suppressed cell can be worked out, in tables of every size",
        arguments: [(20, 5), (40, 1), (60, 6), (100, 7), (150, 2), (250, 8), (400, 3), (1_500, 4)])
    func noSmallCountRecoverable(youths: Int, seed: UInt64) {
        for (period, day) in [
            (StatisticsPeriod.current, "2026-11-29"), (.reportingDate(date("2026-02-01")), "2026-02-01"),
        ] {
            let entries = Self.entries(youths: youths, seed: seed, period: period, day: day)
            let result = Suppression(entries).run()
            #expect(SuppressionTests.recoverable(entries, suppressed: result).isEmpty, "\(youths) youths, \(period)")
            for entry in entries {
                for (cell, value) in entry.cells where (1...4).contains(value) {
                    #expect(result[entry.key]?.contains(cell) == true, "\(entry.key) \(cell) = \(value)")
                }
            }
        }
    }
}
