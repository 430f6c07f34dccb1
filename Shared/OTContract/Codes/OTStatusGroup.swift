/// The five groups of OT status codes (Udir, "Kodeverk for oppfølgingstjenesten"), written as the numbers 1–5.
public enum OTStatusGroup: Int, CaseIterable, Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1 Ukjent aktivitet: unknown activity, not yet reached.
    case ukjentAktivitet = 1
    /// 2 Under oppfølging og veiledning: being followed up and guided.
    case underOppfolging = 2
    /// 3 I aktivitet: in activity (training, work, school, apprenticeship, NAV measure).
    case iAktivitet = 3
    /// 4 Avklart: clarified (declined follow-up, military service, caring for a child, ill, non-formal education).
    case avklart = 4
    /// 5 Tilmeldt, ikke i målgruppen: registered but not in the target group; the registration closes.
    case ikkeIMalgruppen = 5

    /// Looks a group up by number.
    /// - Throws: ``ContractError/unknownCode(kind:value:)`` for a number outside 1–5.
    public init(number: Int) throws(ContractError) {
        guard let group = OTStatusGroup(rawValue: number) else {
            throw .unknownCode(kind: "OT status group", value: String(number))
        }
        self = group
    }

    /// The group's Norwegian name, as Udir writes it.
    public var name: String {
        switch self {
        case .ukjentAktivitet: "Ukjent aktivitet"
        case .underOppfolging: "Under oppfølging og veiledning"
        case .iAktivitet: "I aktivitet"
        case .avklart: "Avklart"
        case .ikkeIMalgruppen: "Tilmeldt, ikke i målgruppen"
        }
    }

    /// The status codes in the group.
    public var codes: [OTStatusCode] { OTStatusCode.allCases.filter { $0.group == self } }

    /// The group number.
    public var description: String { String(rawValue) }

    /// Orders groups by number.
    public static func < (lhs: OTStatusGroup, rhs: OTStatusGroup) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decodes the group number and checks it is 1–5.
    public init(from decoder: any Decoder) throws {
        let number = try decoder.singleValueContainer().decode(Int.self)
        do {
            try self.init(number: number)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the group number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
