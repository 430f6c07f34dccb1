import OTContract
import Plot

/// Renders a ``ScopePage`` as an HTML document with Plot, which escapes every text (attribute values are fixed
/// text or paths percent-encoded by ``ScopePage/Area/path``): figures,
/// charts as inline SVG with a table behind each, the snapshots beside the live figures, and links one level down.
/// No external scripts, styles or fonts: `/assets/` is served by the dashboard itself.
struct PageRenderer: Sendable {
    typealias Body = Node<HTML.BodyContext>

    let text: DashboardText

    init(_ language: DashboardLanguage) { text = language.text }

    /// The whole document for `page`.
    func render(_ page: ScopePage) -> String {
        let name = page.area.name(text)
        return document(title: "\(name) – \(text.siteTitle)", path: page.area.path, main: main(page)).render()
    }

    /// A page for an area that does not exist.
    func renderNotFound(path: String) -> String {
        document(
            title: "\(text.notFound) – \(text.siteTitle)", path: path,
            main: .main(
                .id("main"), .h1(.text(text.notFound)),
                .p(.a(.href(text.language.link("/")), .text(text.nation)))
            )
        ).render()
    }

    private func document(title: String, path: String, main: Body) -> HTML {
        let other = text.otherLanguage
        return HTML(
            .lang(text.language == .norwegian ? .norwegianBokmål : .english),
            .head(
                .meta(.charset(.utf8)),
                .viewport(.accordingToDevice),
                .element(named: "title", text: title),
                .stylesheet("/assets/dashboard.css"),
                .script(.src("/assets/live.js"), .attribute(named: "defer", value: "defer"))
            ),
            .body(
                .data(
                    named: "updated", value: text.language == .norwegian ? "Tallene er oppdatert." : "Figures updated."),
                .a(.class("skip"), .href("#main"), .text(text.skipToContent)),
                .header(
                    .class("site"),
                    .a(.class("home"), .href(text.language.link("/")), .text(text.siteTitle)),
                    .a(
                        .href(other.language.link(path)), .attribute(named: "lang", value: other.language.rawValue),
                        .attribute(named: "hreflang", value: other.language.rawValue), .text(other.name))
                ),
                main,
                .p(.id("live-status"), .class("visually-hidden"), .attribute(named: "aria-live", value: "polite"))
            )
        )
    }

    private func main(_ page: ScopePage) -> Body {
        let name = page.area.name(text)
        var sections: [Body] = [breadcrumbs(page), .h1(.text(name))]
        guard let current = page.current else {
            sections.append(.p(.text(text.noFigures)))
            sections.append(childrenSection(page))
            return .main(.id("main"), .attribute(named: "tabindex", value: "-1"), .group(sections))
        }
        sections.append(.p(.text(text.figuresAsOf(current.asOf, current.schoolYear)), .text(" "), .text(text.liveNote)))
        sections.append(keyFigures(page, current))
        sections.append(
            chartSection(
                id: "status-groups", title: text.statusGroups,
                chart: StackedBar(
                    id: "status-groups-chart", title: text.statusGroups, segments: current.statusGroupBars(text),
                    text: text
                ).node,
                bars: current.statusGroupBars(text)))
        for (id, title, bars) in [
            ("flow", text.schoolYearFlow, current.flowBars(text)),
            ("reasons", text.reasons, current.reasonBars(text)),
            ("age", text.ageBands, current.ageBandBars(text)),
            ("gender", text.gender, current.genderBars(text)),
        ] {
            sections.append(
                chartSection(
                    id: id, title: title,
                    chart: BarChart(id: "\(id)-chart", title: title, bars: bars, text: text).node, bars: bars))
        }
        let trend =
            page.reportingDates.map { ChartBar(label: text.short($0.asOf), figure: $0.openFigure) }
            + [ChartBar(label: text.now, figure: current.openFigure)]
        sections.append(
            chartSection(
                id: "trend", title: text.trend,
                chart: TrendChart(
                    id: "trend-chart", title: "\(text.trend): \(text.openRegistrations)", points: trend, text: text
                )
                .node,
                bars: trend, header: text.date))
        sections.append(childrenSection(page))
        sections.append(
            .footer(
                .p(.id("suppressed-note"), .text(text.suppressedExplanation)),
                .p(.text(text.source), .text(" "), .a(.href(page.area.apiPath), .text(text.json)))
            ))
        return .main(.id("main"), .attribute(named: "tabindex", value: "-1"), .group(sections))
    }

    private func breadcrumbs(_ page: ScopePage) -> Body {
        var trail: [ScopePage.Area] = [.nation]
        switch page.area {
        case .nation: break
        case .county: trail.append(page.area)
        case .unit:
            if let county = page.county { trail.append(.county(county)) }
            trail.append(page.area)
        }
        return .nav(
            .attribute(named: "aria-label", value: text.breadcrumbs),
            .ol(
                .class("breadcrumbs"),
                .forEach(trail) { area in
                    area == page.area
                        ? .li(.attribute(named: "aria-current", value: "page"), .text(area.name(text)))
                        : .li(.a(.href(text.language.link(area.path)), .text(area.name(text))))
                }
            ))
    }

    /// Open registrations, the status groups, the year's flow and the unknown share: now and on the latest
    /// reporting dates, side by side.
    private func keyFigures(_ page: ScopePage, _ current: StatisticsUpdated) -> Body {
        let columns = [current] + page.latestSnapshots().reversed()
        let headers = [text.now + " (\(text.short(current.asOf)))"] + columns.dropFirst().map { text.short($0.asOf) }
        let groups = columns.map { $0.statusGroupBars(text) }
        var rows: [(String, [Body])] = [(text.openRegistrations, columns.map { cell($0.openFigure) })]
        for (index, bar) in (groups.first ?? []).enumerated() {
            rows.append((bar.label, groups.map { cell($0[index].figure) }))
        }
        rows.append((text.flowRegistered, columns.map { cell($0.flowBars(text)[0].figure) }))
        rows.append(
            (
                text.unknownShare,
                columns.map { record in
                    record.unknownShare.map { .text(text.percent($0)) } ?? hidden()
                }
            ))
        return .section(
            .attribute(named: "aria-labelledby", value: "key-figures"),
            .h2(.id("key-figures"), .text(text.keyFigures)),
            .p(.text(text.keyFiguresNote)),
            .table(
                .class("figures"),
                .caption(.class("visually-hidden"), .text(text.keyFigures)),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text(text.category)),
                        .forEach(headers) { .th(.attribute(named: "scope", value: "col"), .text($0)) })),
                .tbody(
                    .forEach(rows) { row in
                        .tr(.th(.attribute(named: "scope", value: "row"), .text(row.0)), .forEach(row.1) { .td($0) })
                    })
            ))
    }

    /// A chart, and the same figures as a table below it.
    private func chartSection(id: String, title: String, chart: Body, bars: [ChartBar], header: String? = nil) -> Body {
        .section(
            .attribute(named: "aria-labelledby", value: id),
            .h2(.id(id), .text(title)),
            .div(.class("chart"), chart),
            .if(bars.contains { $0.figure == .suppressed }, .p(.class("note"), .text(text.suppressedNotDrawn))),
            .details(
                .id("\(id)-table"),
                .summary(.text("\(text.table): \(title)")),
                .table(
                    .caption(.class("visually-hidden"), .text(title)),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text(header ?? text.category)),
                            .th(.attribute(named: "scope", value: "col"), .text(text.count)))),
                    .tbody(
                        .forEach(bars) { bar in
                            .tr(.th(.attribute(named: "scope", value: "row"), .text(bar.label)), .td(cell(bar.figure)))
                        })
                )
            ))
    }

    /// The counties of the nation, or the units of a county, each with its open registrations.
    private func childrenSection(_ page: ScopePage) -> Body {
        guard !page.children.isEmpty else { return .empty }
        let title = page.area == .nation ? text.counties : text.units
        return .section(
            .attribute(named: "aria-labelledby", value: "children"),
            .h2(.id("children"), .text(title)),
            .table(
                .class("figures"),
                .caption(.class("visually-hidden"), .text(title)),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text(text.area)),
                        .th(.attribute(named: "scope", value: "col"), .text(text.openRegistrations)))),
                .tbody(
                    .forEach(page.children) { child in
                        .tr(
                            .th(
                                .attribute(named: "scope", value: "row"),
                                .a(.href(text.language.link(child.area.path)), .text(child.area.name(text)))),
                            .td(child.current.map { cell($0.openFigure) } ?? .text("–")))
                    })
            ))
    }

    /// A table cell's content: the number, or "skjult" explained.
    private func cell(_ figure: Figure) -> Body {
        figure == .suppressed ? hidden() : .text(figure.text(text))
    }

    private func hidden() -> Body {
        .abbr(.class("suppressed"), .title(text.suppressedExplanation), .text(text.suppressed))
    }
}
