import OTContract

/// A page's figures for other dashboards (`/api/...`): the area, its live record and reporting-date records as
/// `ot.statistics.v1` holds them (suppressed cells `null` and listed), and the areas one level down.
struct PageJSON: Encodable {
    /// An area: its scope and id as in the statistics keys, its name, its page and its JSON.
    struct Area: Encodable {
        var scope: String
        var id: String
        var name: String
        var page: String
        var api: String

        init(_ area: ScopePage.Area, text: DashboardText) {
            scope = area.scope.scope.rawValue
            id = area.scope.id
            name = area.name(text)
            page = area.path
            api = area.apiPath
        }
    }

    /// An area one level down and its live record.
    struct Child: Encodable {
        var area: Area
        var current: StatisticsUpdated?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(area, forKey: .area)
            try container.encode(current, forKey: .current)
        }

        enum CodingKeys: String, CodingKey { case area, current }
    }

    var area: Area
    var current: StatisticsUpdated?
    var reportingDates: [StatisticsUpdated]
    var children: [Child]

    init(_ page: ScopePage, text: DashboardText) {
        area = Area(page.area, text: text)
        current = page.current
        reportingDates = page.reportingDates
        children = page.children.map { Child(area: Area($0.area, text: text), current: $0.current) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(area, forKey: .area)
        try container.encode(current, forKey: .current)
        try container.encode(reportingDates, forKey: .reportingDates)
        try container.encode(children, forKey: .children)
    }

    enum CodingKeys: String, CodingKey { case area, current, reportingDates, children }
}
