import Foundation
import Kafka
import OTContract
import Testing

@testable import OTCtl

@Suite("otctl stats: the statistics table", .timeLimit(.minutes(2)))
struct StatisticsTableTests {
    static let asOf = date("2026-07-31")

    static func date(_ text: String) -> LocalDate {
        do {
            return try LocalDate(text)
        } catch {
            fatalError("\(error)")
        }
    }

    /// A hand-made record; a `nil` count is suppressed (published as null and listed), as the service publishes it.
    static func record(
        _ scope: StatisticsScope, _ id: String, county: County?, period: StatisticsPeriod = .current,
        open: Int?, groups: [Int?] = [20, 15, 30, 10], reasons: [Int?] = [30, 15, 20, 10],
        flow: (Int?, Int?, Int?) = (90, 36, 40), share: Double? = 0.2667, extraSuppressed: [String] = []
    ) -> StatisticsUpdated {
        var suppressed: [String] = extraSuppressed
        func cells(_ prefix: String, _ names: [String], _ values: [Int?]) -> [String: Int?] {
            var result: [String: Int?] = [:]
            for (name, value) in zip(names, values) {
                result[name] = .some(value)
                if value == nil { suppressed.append("\(prefix).\(name)") }
            }
            return result
        }
        if open == nil { suppressed.append("openRegistrations") }
        let byGroup = cells("byStatusGroup", ["1", "2", "3", "4", "5"], groups + [0])
        let byCode = cells("byStatusCode", ["OTUK"], [groups[0]])
        let byReason = cells("byReason", RegistrationReason.allCases.map(\.rawValue), reasons)
        for (path, value) in [
            ("schoolYearFlow.registered", flow.0), ("schoolYearFlow.reachedActivity", flow.1),
            ("schoolYearFlow.registeredPreviousYear", flow.2),
        ] where value == nil {
            suppressed.append(path)
        }
        return StatisticsUpdated(
            key: StatisticsKey(scope: scope, id: id, period: period), countyNumber: county,
            asOf: period == .current ? asOf : { if case .reportingDate(let date) = period { date } else { asOf } }(),
            openRegistrations: open, byStatusGroup: byGroup, byStatusCode: byCode, byReason: byReason,
            byAgeBand: [:], byGender: [:], unknownShare: share,
            schoolYearFlow: .init(registered: flow.0, reachedActivity: flow.1, registeredPreviousYear: flow.2),
            suppressed: suppressed)
    }

    static let oslo = record(.county, "03", county: .oslo, open: 75)
    static let trondelag = record(
        .county, "50", county: .trondelag, open: 41, groups: [nil, 15, 16, nil], reasons: [20, nil, 11, nil],
        flow: (60, 25, nil), share: nil)
    static let nation = record(.national, "all", county: nil, open: 116, groups: [37, 30, 36, 13])
    static let unit5001 = record(.unit, "5001", county: .trondelag, open: 30, groups: [nil, 10, 12, nil], share: nil)
    static let unit5002 = record(.unit, "5002", county: .trondelag, open: nil, groups: [nil, 5, nil, nil], share: nil)
    static let unit0301 = record(.unit, "0301", county: .oslo, open: 75)
    static let february = record(
        .national, "all", county: nil, period: .reportingDate(date("2026-02-01")), open: 80)

    static let table = StatisticsTable(
        records: Dictionary(
            uniqueKeysWithValues: [oslo, trondelag, nation, unit5001, unit5002, unit0301, february].map { ($0.key, $0) }
        ))

    @Test("every hand-made record is valid by the contract's rules")
    func recordsAreValid() throws {
        for record in Self.table.records.values { try record.validate() }
    }

    @Test("the county table: a row per county in number order, then the nation after a rule, and a legend")
    func countyTable() throws {
        let text = try Self.table.render(scope: .county, period: .current)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "OT statistics, period current: as of 2026-07-31, school year 2025-2026")
        let oslo = try #require(lines.firstIndex { $0.hasPrefix("03 Oslo") })
        let trondelag = try #require(lines.firstIndex { $0.hasPrefix("50 Trøndelag") })
        let nation = try #require(lines.firstIndex { $0.hasPrefix("all counties") })
        #expect(oslo < trondelag && trondelag + 2 == nation)
        #expect(lines[trondelag + 1].allSatisfy { $0 == "─" })
        #expect(!text.contains("5001"))
        #expect(text.contains("· suppressed (a count of 1–4"))
        #expect(lines[oslo].contains("26.7 %"))
    }

    @Test("suppressed cells are shown as suppressed, never as a number")
    func suppressedCells() throws {
        let cells = StatisticsTable.cells(of: Self.trondelag)
        #expect(cells[0] == "50 Trøndelag")
        #expect(cells[1] == "41")
        #expect(Array(cells[2...5]) == ["·", "15", "16", "·"])
        #expect(cells[6] == "·")  // the unknown share, with OTUK suppressed
        #expect(Array(cells[7...10]) == ["20", "·", "11", "·"])
        #expect(Array(cells[11...13]) == ["60", "25", "·"])

        // Even a record that carries a number in a suppressed cell (against the contract) shows it suppressed.
        var leaky = Self.oslo
        leaky.byStatusGroup["4"] = 7_777
        leaky.schoolYearFlow.registered = 8_888
        leaky.suppressed = ["byStatusGroup.4", "schoolYearFlow.registered", "byStatusCode.OTUK"]
        let leakyCells = StatisticsTable.cells(of: leaky)
        #expect(leakyCells[5] == "·" && leakyCells[11] == "·" && leakyCells[6] == "·")
        #expect(!leakyCells.joined().contains("7,777") && !leakyCells.joined().contains("8,888"))
    }

    @Test("--county shows the county's units, with the county as the total")
    func units() throws {
        let text = try Self.table.render(scope: .unit, county: .trondelag, period: .current)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("5001 (Trøndelag)") })
        let unit5002 = try #require(lines.first { $0.hasPrefix("5002 (Trøndelag)") })
        #expect(unit5002.split(separator: " ", omittingEmptySubsequences: true)[2] == "·")
        #expect(lines.contains { $0.hasPrefix("50 Trøndelag") })
        #expect(!text.contains("0301") && !text.contains("all counties"))
        let all = try Self.table.render(scope: .unit, period: .current)
        #expect(all.contains("0301 (Oslo)") && all.contains("all counties"))
    }

    @Test("a reporting date shows its records; a period without records lists the periods there are")
    func periods() throws {
        let february = try Self.table.render(scope: .national, period: .reportingDate(LocalDate("2026-02-01")))
        #expect(february.contains("as of 2026-02-01, school year 2025-2026 (reporting date)"))
        #expect(february.split(separator: "\n").contains { $0.hasPrefix("all counties") && $0.contains("80") })
        #expect {
            try Self.table.render(scope: .county, period: .reportingDate(LocalDate("2026-06-15")))
        } throws: { error in
            "\(error)" == "no statistics for period 2026-06-15; the periods on ot.statistics.v1 are 2026-02-01, current"
        }
        #expect {
            try StatisticsTable(records: [:]).render(scope: .county, period: .current)
        } throws: { error in
            "\(error)".contains("no statistics on ot.statistics.v1 yet")
        }
    }

    @Test("the latest record per key counts; a tombstone removes its key; what does not decode is counted")
    func latest() throws {
        func message(_ record: StatisticsUpdated) throws -> (key: String?, value: [UInt8]?, headers: [KafkaHeader]) {
            (
                record.key.description, try CloudEvent(record, source: "urn:ot:ot-statistics").structuredJSON(),
                [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)]
            )
        }
        var newer = Self.oslo
        newer.openRegistrations = 80
        let (table, undecodable) = StatisticsTable.latest(from: [
            try message(Self.oslo), try message(Self.trondelag), try message(newer),
            ("county:50:current", nil, []), ("county:46:current", Array("not json".utf8), []),
        ])
        #expect(undecodable == 1)
        #expect(table.records.count == 1)
        #expect(table.records[newer.key]?.openRegistrations == 80)
    }

    @Test("--format json: the selected records as the topic has them, rows then the total")
    func json() throws {
        let text = try Self.table.json(scope: .county, period: .current)
        let records = try JSONDecoder().decode([StatisticsUpdated].self, from: Data(text.utf8))
        #expect(records.map(\.key.description) == ["county:03:current", "county:50:current", "national:all:current"])
        #expect(records[1] == Self.trondelag)
    }

    @Test("--format csv: plain numbers, suppressed cells empty and named")
    func csv() throws {
        let lines = try Self.table.csv(scope: .county, period: .current).split(separator: "\n").map(String.init)
        #expect(
            lines[0] == "key,scope,id,asOf,open,group1,group2,group3,group4,unknownShare,IKKE_SOKT,TAKKET_NEI,SLUTTET,"
                + "ANNET,yearRegistered,reachedActivity,registeredPreviousYear,suppressed")
        #expect(lines.count == 4)
        #expect(
            lines[2] == "county:50:current,county,50,2026-07-31,41,,15,16,,,20,,11,,60,25,,byStatusGroup.1 "
                + "byStatusGroup.4 byStatusCode.OTUK byReason.TAKKET_NEI byReason.ANNET schoolYearFlow.registeredPreviousYear"
        )
        #expect(
            StatisticsTable.csvField("a,b") == "\"a,b\"" && StatisticsTable.csvField("say \"x\"") == "\"say \"\"x\"\"\""
        )
    }
}
