import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OTContract
import TestTraits
import Testing

@testable import Dashboard

/// The pages and their JSON as a browser and another dashboard get them, rendered from records written by hand.
@Suite("Dashboard pages", .timeLimit(.minutes(2)))
struct DashboardPageTests {
    /// County 50 now and on two reporting dates, the nation, and two of the county's units (one with a name that
    /// would be markup if it were not escaped).
    static let records: [StatisticsUpdated] = [
        SampleRecords.record(.county, "50", open: 12_345),
        SampleRecords.record(.county, "50", period: .reportingDate(SampleRecords.date("2026-02-01")), open: 150),
        SampleRecords.record(
            .county, "50", period: .reportingDate(SampleRecords.date("2026-06-15")), open: nil,
            hidden: ["openRegistrations"]),
        SampleRecords.record(.national, "all", county: nil, open: 4_321),
        SampleRecords.record(.unit, "5001", open: 77),
        SampleRecords.record(.unit, "<script>alert(1)</script>", open: 46),
        SampleRecords.record(.unit, "0301", county: .oslo, open: 99),
    ]

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String, type: String?) {
        let board = StatisticsBoard(records: Self.records)
        let status = DashboardStatus()
        let application = Application(router: DashboardServer(board: board, status: status).router())
        return try await application.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                (response.status, String(buffer: response.body), response.headers[.contentType])
            }
        }
    }

    /// The `<tr>` whose row header is `header`, as rendered.
    func row(_ header: String, in html: String) throws -> String {
        let start = try #require(html.range(of: "<th scope=\"row\">\(header)</th>"), "a row \(header)")
        let end = try #require(html.range(of: "</tr>", range: start.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.lowerBound])
    }

    @Test("a county page shows the county's figures, grouped by the language's rules")
    func countyFigures() async throws {
        let page = try await get("/counties/50")
        #expect(page.status == .ok)
        #expect(page.type == "text/html; charset=utf-8")
        #expect(page.body.hasPrefix("<!DOCTYPE html><html lang=\"nb\">"))
        #expect(page.body.contains("<h1>Trøndelag</h1>"))
        // 12 345 open now, with a no-break space between the thousands; 150 on 1 February.
        let open = try row("Registrert i OT", in: page.body)
        #expect(open.contains("<td>12\u{00A0}345</td>"))
        #expect(open.contains("<td>150</td>"))
        #expect(try row("3 I aktivitet", in: page.body).contains("<td>60</td>"))
        #expect(page.body.contains("Tall per 1. desember 2026, skoleåret 2026–2027."))
        // The county's units, with links, and not Oslo's.
        #expect(page.body.contains("<a href=\"/units/5001\">OT-enhet 5001</a>"))
        #expect(!page.body.contains("OT-enhet 0301"))
    }

    @Test("a suppressed cell is shown as hidden, with the reason, never as zero or a number")
    func suppressedCells() async throws {
        let page = try await get("/counties/50")
        let group2 = try row("2 Under oppfølging og veiledning", in: page.body)
        #expect(group2.contains(">skjult</abbr>"))
        #expect(group2.contains("title=\"Skjult: tall fra 1 til 4 vises ikke"))
        #expect(!group2.contains("<td>0</td>"))
        // 15 June's open registrations were suppressed: hidden in the key figures and in the trend's table.
        #expect(try row("15.6.2026", in: page.body).contains(">skjult</abbr>"))
        // A true zero is a zero.
        #expect(try row("Annet", in: page.body).contains("<td>0</td>"))
        // The charts say so too: no bar for a hidden cell, and a note.
        #expect(page.body.contains("Skjulte tall er ikke tegnet."))
        #expect(!page.body.contains("<title>2 Under oppfølging og veiledning: 0</title>"))
    }

    @Test("text from a record is escaped: a unit id that looks like markup stays text")
    func escaping() async throws {
        let page = try await get("/counties/50")
        #expect(page.body.contains("OT-enhet &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.body.contains("<script>alert"))
        // Its link is one percent-encoded path segment, and leads to the unit's page.
        let link = "/units/%3Cscript%3Ealert%281%29%3C%2Fscript%3E"
        #expect(page.body.contains("<a href=\"\(link)\">"))
        let unit = try await get(link)
        #expect(unit.status == .ok)
        #expect(try row("Registrert i OT", in: unit.body).contains("<td>46</td>"))
        // The only scripts are the dashboard's own, and the page says so to the browser.
        #expect(page.body.components(separatedBy: "<script").count == 2)
        #expect(page.body.contains("<script src=\"/assets/live.js\" defer=\"defer\"></script>"))
    }

    @Test("charts are inline SVG with a title for assistive technology and a table behind each")
    func charts() async throws {
        let page = try await get("/counties/50")
        let charts = page.body.components(separatedBy: "<svg ").count - 1
        #expect(charts == 6, "status groups, flow, reasons, age, gender, trend")
        #expect(page.body.components(separatedBy: "<details id=").count - 1 == 6)
        #expect(page.body.contains("role=\"img\" aria-labelledby=\"status-groups-chart-title\""))
        // The trend: 1 February and now joined by a line only where both are published (15 June is hidden).
        #expect(page.body.contains("<polyline") == false, "no two consecutive published points")
        #expect(page.body.contains("<title>1.2.2026: 150</title>"))
        #expect(page.body.contains("<title>Nå: 12\u{00A0}345</title>"))
    }

    @Test("?lang=en gives the page in English, and links keep the language")
    func english() async throws {
        let page = try await get("/counties/50?lang=en")
        #expect(page.body.hasPrefix("<!DOCTYPE html><html lang=\"en\">"))
        #expect(try row("Registered in OT", in: page.body).contains("<td>12,345</td>"))
        #expect(try row("2 Under follow-up and guidance", in: page.body).contains(">hidden</abbr>"))
        #expect(page.body.contains("<a href=\"/units/5001?lang=en\">OT unit 5001</a>"))
        #expect(page.body.contains("hreflang=\"nb\">Norsk</a>"))
    }

    @Test("the nation's page lists every county, with its figures where there are any")
    func nation() async throws {
        let page = try await get("/")
        #expect(page.status == .ok)
        #expect(page.body.contains("<h1>Hele landet</h1>"))
        #expect(try row("Registrert i OT", in: page.body).contains("<td>4\u{00A0}321</td>"))
        for county in County.allCases { #expect(page.body.contains(">\(county.name)</a>")) }
        #expect(try row("<a href=\"/counties/50\">Trøndelag</a>", in: page.body).contains("<td>12\u{00A0}345</td>"))
    }

    @Test("a unit page names its county; an unknown unit or county is 404")
    func unitAndMissing() async throws {
        let unit = try await get("/units/5001")
        #expect(unit.status == .ok)
        #expect(unit.body.contains("<a href=\"/counties/50\">Trøndelag</a>"))
        #expect(try row("Registrert i OT", in: unit.body).contains("<td>77</td>"))
        #expect(try await get("/units/9999").status == .notFound)
        #expect(try await get("/counties/99").status == .notFound)
        // A county without figures yet has a page that says so.
        let empty = try await get("/counties/03")
        #expect(empty.status == .ok)
        #expect(empty.body.contains("Ingen tall ennå"))
    }

    @Test("the JSON of a page: the records as the topic has them, suppressed cells null")
    func json() async throws {
        let response = try await get("/api/counties/50")
        #expect(response.status == .ok)
        #expect(response.type == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        let current = try #require(object["current"] as? [String: Any])
        #expect(current["openRegistrations"] as? Int == 12_345)
        let groups = try #require(current["byStatusGroup"] as? [String: Any])
        #expect(groups["2"] is NSNull)
        #expect(groups["3"] as? Int == 60)
        #expect((current["suppressed"] as? [String])?.contains("byStatusGroup.2") == true)
        let dates = try #require(object["reportingDates"] as? [[String: Any]])
        #expect(dates.map { $0["asOf"] as? String } == ["2026-02-01", "2026-06-15"])
        let children = try #require(object["children"] as? [[String: Any]])
        #expect(children.count == 2)
        #expect(try await get("/api/units/9999").status == .notFound)
    }

    @Test(
        "the pages forbid every script, style and connection but the dashboard's own, content sniffing and referrers")
    func securityHeaders() async throws {
        let board = StatisticsBoard(records: Self.records)
        let application = Application(router: DashboardServer(board: board, status: DashboardStatus()).router())
        try await application.test(.router) { client in
            for page in ["/", "/units/9999"] {
                try await client.execute(uri: page, method: .get) { response in
                    let policy = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                    #expect(policy.contains("default-src 'none'"), "\(page)")
                    #expect(policy.contains("script-src 'self'"), "\(page)")
                    #expect(policy.contains("frame-ancestors 'none'"), "\(page)")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(page)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(page)")
                }
            }
            try await client.execute(uri: "/assets/live.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("new EventSource(\"/events\")"))
            }
        }
    }
}
