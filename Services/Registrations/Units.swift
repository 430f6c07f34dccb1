import Foundation
import OTContract

/// An OT unit (OT-enhet): the team that follows up youths in part of a county. VIGO's `OTEnhet` table.
struct Unit: Codable, Sendable, Hashable {
    /// The unit number, four digits: the county number and a serial (`5001`).
    var unitId: String
    /// The unit's name.
    var name: String
    /// The county it belongs to.
    var countyNumber: County
    /// Whether new registrations in the county go to this unit.
    var isDefault: Bool
    /// Whether the unit takes registrations.
    var active: Bool
}

/// The units table, shipped with the service as `Resources/units.json` (see docs/registrations.md).
struct Units: Sendable {
    private let byID: [String: Unit]
    private let defaults: [County: Unit]

    init(_ units: [Unit]) {
        byID = Dictionary(units.map { ($0.unitId, $0) }, uniquingKeysWith: { first, _ in first })
        defaults = Dictionary(
            units.filter { $0.isDefault && $0.active }.map { ($0.countyNumber, $0) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The table shipped with the service.
    static func bundled() throws -> Units {
        guard let url = Bundle.module.url(forResource: "units", withExtension: "json") else {
            throw UnitsError.missingFile
        }
        struct File: Decodable { var units: [Unit] }
        let units = Units(try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).units)
        for county in County.allCases where units.defaultUnit(of: county) == nil {
            throw UnitsError.noDefaultUnit(county)
        }
        return units
    }

    /// The unit new registrations in `county` go to.
    func defaultUnit(of county: County) -> Unit? { defaults[county] }

    /// The active unit `unitId`, if it exists.
    func unit(_ unitId: String) -> Unit? { byID[unitId].flatMap { $0.active ? $0 : nil } }

    enum UnitsError: Error, CustomStringConvertible {
        case missingFile
        case noDefaultUnit(County)

        var description: String {
            switch self {
            case .missingFile: "the units table (units.json) is missing from the service's resources"
            case .noDefaultUnit(let county): "the units table has no active default unit for county \(county.rawValue)"
            }
        }
    }
}
