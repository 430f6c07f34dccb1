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

    /// The county of a two-digit number, found by its value: the switch over the texts Swift makes for a raw-value
    /// enum compares the text with each case in turn, about 550 instructions a lookup, and `ot-registrations` reads
    /// one and a half counties per event from its store.
    public init?(rawValue: String) {
        var text = rawValue
        let number: Int? = text.withUTF8 { digits in
            guard digits.count == 2, (48...57).contains(digits[0]), (48...57).contains(digits[1]) else { return nil }
            return Int(digits[0] - 48) * 10 + Int(digits[1] - 48)
        }
        guard let number, let county = Self.byNumber[number] else { return nil }
        self = county
    }

    /// The counties by their number, 0–99, made from the cases' own codes.
    private static let byNumber: [County?] = {
        var table = [County?](repeating: nil, count: 100)
        for county in allCases { table[Int(county.rawValue)!] = county }
        return table
    }()

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
