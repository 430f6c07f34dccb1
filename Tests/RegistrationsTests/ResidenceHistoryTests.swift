import OTContract
import Testing

@testable import Registrations

/// Where a youth lived on a date, and when they moved (``ResidenceHistory``).
@Suite("Registrations: residence history", .timeLimit(.minutes(2)))
struct ResidenceHistoryTests {
    private static func history(_ entries: [(String, Int64, County)]) -> ResidenceHistory {
        ResidenceHistory(entries.map { ResidenceHistory.Entry(date: day($0.0), at: $0.1, county: $0.2) })
    }

    @Test("the county on a date is the last entry dated on or before it; before the first, the first")
    func countyOnDate() {
        let history = Self.history([("2026-01-05", 1, .trondelag), ("2026-03-05", 2, .nordland)])
        #expect(history.county(on: day("2025-12-31")) == .trondelag)
        #expect(history.county(on: day("2026-03-04")) == .trondelag)
        #expect(history.county(on: day("2026-03-05")) == .nordland)
        #expect(ResidenceHistory().county(on: day("2026-03-05")) == nil)
    }

    @Test("entries take their place by date, time and county number, whatever order they are recorded in")
    func order() throws {
        let a = ResidenceHistory.Entry(date: day("2026-01-05"), at: 10, county: .trondelag)
        let b = ResidenceHistory.Entry(date: day("2026-03-05"), at: 20, county: .nordland)
        let c = ResidenceHistory.Entry(date: day("2026-03-05"), at: 15, county: .oslo)
        let d = ResidenceHistory.Entry(date: day("2026-03-05"), at: 20, county: .trondelag)
        // b and d have one time: Nordland (18) before Trøndelag (50), so Trøndelag is where the youth lives.
        for order in permutations([a, b, c, d]) {
            let history = ResidenceHistory(order)
            #expect(history.entries == [a, c, b, d])
            #expect(history.county(on: day("2026-03-05")) == .trondelag)
        }
        // A history stored by a release that kept equal times in the order they arrived reads back in this order.
        let stored = "2026-01-05,10,50;2026-03-05,15,03;2026-03-05,20,50;2026-03-05,20,18"
        #expect(try ResidenceHistory(encoded: stored).entries == [a, c, b, d])
    }

    @Test("a move is the first later day whose county differs from the day before's and from the registration's")
    func firstMove() {
        let moved = Self.history([("2026-01-05", 1, .trondelag), ("2026-03-05", 2, .nordland)])
        #expect(moved.firstMove(after: day("2026-03-01"), from: .trondelag)?.date == day("2026-03-05"))
        #expect(moved.firstMove(after: day("2026-03-01"), from: .trondelag)?.county == .nordland)
        // Registered there already (a case worker's transfer): nothing to hand over.
        #expect(moved.firstMove(after: day("2026-03-01"), from: .nordland) == nil)
        // Nothing after the day asked about.
        #expect(moved.firstMove(after: day("2026-03-05"), from: .trondelag) == nil)

        // Away and back on one day is no move: the day's last entry counts.
        let andBack = Self.history([
            ("2026-01-05", 1, .trondelag), ("2026-03-05", 2, .nordland), ("2026-03-05", 3, .trondelag),
        ])
        #expect(andBack.firstMove(after: day("2026-03-01"), from: .trondelag) == nil)

        // An update that repeats the county (a new municipality) moves no one a case worker registered elsewhere.
        let same = Self.history([("2026-01-05", 1, .trondelag), ("2026-03-05", 2, .trondelag)])
        #expect(same.firstMove(after: day("2026-03-01"), from: .oslo) == nil)
    }

    @Test("the stored text reads back as the same history; text that is not one is a clear error")
    func encoding() throws {
        let history = Self.history([("2026-01-05", 1_736_078_400_000, .trondelag), ("2026-03-05", 2, .nordland)])
        #expect(history.encoded == "2026-01-05,1736078400000,50;2026-03-05,2,18")
        #expect(try ResidenceHistory(encoded: history.encoded) == history)
        #expect(try ResidenceHistory(encoded: nil) == ResidenceHistory())
        #expect(ResidenceHistory().encoded == nil)
        #expect(throws: ContractError.self) { try ResidenceHistory(encoded: "2026-01-05,50") }
    }
}
