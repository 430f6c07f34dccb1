import Foundation
import OTContract

/// What one page shows: an area (the nation, a county or a unit), its live record, its reporting-date records and
/// the areas below it, from the board's records.
struct ScopePage: Sendable {
    /// The area a page is about.
    enum Area: Sendable, Equatable {
        case nation
        case county(County)
        case unit(String)

        /// The scope and id of the area's statistics keys.
        var scope: (scope: StatisticsScope, id: String) {
            switch self {
            case .nation: (.national, "all")
            case .county(let county): (.county, county.rawValue)
            case .unit(let id): (.unit, id)
            }
        }

        /// The page's path: `/`, `/counties/50`, `/units/5001`.
        var path: String {
            switch self {
            case .nation: "/"
            case .county(let county): "/counties/\(county.rawValue)"
            case .unit(let id): "/units/\(Self.pathComponent(id))"
            }
        }

        /// `text` percent-encoded as one path component: a unit id cannot add a path segment, a query or markup to
        /// a link (Plot escapes text, not attribute values).
        static func pathComponent(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }

        /// The JSON endpoint's path: `/api/national`, `/api/counties/50`, `/api/units/5001`.
        var apiPath: String {
            switch self {
            case .nation: "/api/national"
            case .county(let county): "/api/counties/\(county.rawValue)"
            case .unit(let id): "/api/units/\(Self.pathComponent(id))"
            }
        }

        /// The area's name in `text`'s language.
        func name(_ text: DashboardText) -> String {
            switch self {
            case .nation: text.nation
            case .county(let county): county.name
            case .unit(let id): text.unit(id)
            }
        }
    }

    /// An area one level down, with its live record.
    struct Child: Sendable {
        var area: Area
        var current: StatisticsUpdated?
    }

    let area: Area
    /// The county a unit belongs to, by its records.
    let county: County?
    /// The live figures (`current`), if any yet.
    let current: StatisticsUpdated?
    /// The reporting-date records, in date order.
    let reportingDates: [StatisticsUpdated]
    /// The counties of the nation, or the units of a county (none for a unit).
    let children: [Child]

    /// The page for `area` from `records`; `nil` for a unit no record names.
    init?(_ area: Area, records: [StatisticsKey: StatisticsUpdated]) {
        let (scope, id) = area.scope
        let own = records.values.filter { $0.key.scope == scope && $0.key.id == id }
        if case .unit = area, own.isEmpty { return nil }
        self.area = area
        current = own.first { $0.key.period == .current }
        reportingDates = own.filter { $0.key.period != .current }.sorted { $0.key.period < $1.key.period }
        switch area {
        case .nation:
            county = nil
            children = County.allCases.map { county in
                Child(
                    area: .county(county),
                    current: records[StatisticsKey(scope: .county, id: county.rawValue, period: .current)])
            }
        case .county(let county):
            self.county = county
            let units = Set(records.values.filter { $0.key.scope == .unit && $0.countyNumber == county }.map(\.key.id))
            children = units.sorted(by: Self.unitOrder).map { id in
                Child(area: .unit(id), current: records[StatisticsKey(scope: .unit, id: id, period: .current)])
            }
        case .unit:
            county = own.compactMap(\.countyNumber).first
            children = []
        }
    }

    /// The latest reporting-date records (at most `count`), in date order: the snapshots beside the live figures.
    func latestSnapshots(_ count: Int = 2) -> [StatisticsUpdated] { Array(reportingDates.suffix(count)) }

    /// Units by number when both are numbers, else by text.
    static func unitOrder(_ left: String, _ right: String) -> Bool {
        switch (Int(left), Int(right)) {
        case (let a?, let b?): a < b
        default: left < right
        }
    }
}
