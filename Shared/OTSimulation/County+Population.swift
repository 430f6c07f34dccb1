import OTContract

extension County {
    /// The county's population on 1 January 2024, approximately (Statistics Norway, rounded to thousands): the
    /// weight of the county in a simulated cohort.
    public var approximatePopulation: Int {
        switch self {
        case .oslo: 718_000
        case .rogaland: 499_000
        case .moreOgRomsdal: 270_000
        case .nordland: 243_000
        case .ostfold: 305_000
        case .akershus: 725_000
        case .buskerud: 270_000
        case .innlandet: 373_000
        case .vestfold: 257_000
        case .telemark: 177_000
        case .agder: 318_000
        case .vestland: 650_000
        case .trondelag: 484_000
        case .troms: 169_000
        case .finnmark: 75_000
        }
    }

    /// The county's default OT unit (`<county>01`, see `Services/Registrations/Resources/units.json`), where the
    /// registrations service registers its youths.
    public var defaultUnitID: String { rawValue + "01" }

    /// The county's second OT unit (`<county>02`), where case workers transfer some youths.
    public var secondUnitID: String { rawValue + "02" }
}
