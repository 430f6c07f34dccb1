/// A Norwegian county (fylke) by its two-digit number, as it stands from 1 January 2024.
public enum County: String, CodeList {
    /// 03 Oslo.
    case oslo = "03"
    /// 11 Rogaland.
    case rogaland = "11"
    /// 15 Møre og Romsdal.
    case moreOgRomsdal = "15"
    /// 18 Nordland.
    case nordland = "18"
    /// 31 Østfold.
    case ostfold = "31"
    /// 32 Akershus.
    case akershus = "32"
    /// 33 Buskerud.
    case buskerud = "33"
    /// 34 Innlandet.
    case innlandet = "34"
    /// 39 Vestfold.
    case vestfold = "39"
    /// 40 Telemark.
    case telemark = "40"
    /// 42 Agder.
    case agder = "42"
    /// 46 Vestland.
    case vestland = "46"
    /// 50 Trøndelag.
    case trondelag = "50"
    /// 55 Troms.
    case troms = "55"
    /// 56 Finnmark.
    case finnmark = "56"

    /// "county number".
    public static let codeListName = "county number"

    /// The two-digit county number.
    public var number: String { rawValue }

    /// The county's name.
    public var name: String {
        switch self {
        case .oslo: "Oslo"
        case .rogaland: "Rogaland"
        case .moreOgRomsdal: "Møre og Romsdal"
        case .nordland: "Nordland"
        case .ostfold: "Østfold"
        case .akershus: "Akershus"
        case .buskerud: "Buskerud"
        case .innlandet: "Innlandet"
        case .vestfold: "Vestfold"
        case .telemark: "Telemark"
        case .agder: "Agder"
        case .vestland: "Vestland"
        case .trondelag: "Trøndelag"
        case .troms: "Troms"
        case .finnmark: "Finnmark"
        }
    }
}
