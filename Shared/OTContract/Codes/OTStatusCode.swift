/// An OT status code (Udir, "Kodeverk for oppfølgingstjenesten", updated April 2021): where a youth in OT stands.
///
/// Each code belongs to a group (``OTStatusGroup``) and is valid for a period: `OTVF` (and `OTVF_IM`) did not exist in
/// the 2015 list, so they are valid only from the 2016–2017 school year. Group 5 codes close a registration.
public enum OTStatusCode: String, CodeList {
    /// OTUK: unknown activity, not yet reached. The first status of every registration.
    case otuk = "OTUK"
    /// OTOV: being followed up and guided (contact established).
    case otov = "OTOV"
    /// OTOA: in training or work practice run by the county.
    case otoa = "OTOA"
    /// OTAP: in work practice or another NAV measure.
    case otap = "OTAP"
    /// OTKO: in a combined county/municipality and NAV measure.
    case otko = "OTKO"
    /// OTAR: in work.
    case otar = "OTAR"
    /// OTEV: a pupil.
    case otev = "OTEV"
    /// OTVF: a pupil at a private upper-secondary school (not in the 2015 list).
    case otvf = "OTVF"
    /// OTLL: an apprentice, lærekandidat (training candidate) or praksisbrevkandidat (practice-certificate candidate).
    case otll = "OTLL"
    /// OTNO: declined follow-up.
    case otno = "OTNO"
    /// OTMI: in military service.
    case otmi = "OTMI"
    /// OTBA: caring for own child.
    case otba = "OTBA"
    /// OTSY: ill or in an institution.
    case otsy = "OTSY"
    /// OTIF: in non-formal education.
    case otif = "OTIF"
    /// ELGS_IM: a lower-secondary pupil, registered preventively; not in the target group.
    case elgsIM = "ELGS_IM"
    /// ELVG_IM: an upper-secondary pupil or apprentice, registered preventively; not in the target group.
    case elvgIM = "ELVG_IM"
    /// OTFA_IM: moved to another county.
    case otfaIM = "OTFA_IM"
    /// OTFU_IM: moved to or staying abroad.
    case otfuIM = "OTFU_IM"
    /// Feil: registered in error.
    case feil = "Feil"
    /// OTAR_IM: now in work; leaves the target group.
    case otarIM = "OTAR_IM"
    /// OTEV_IM: now a pupil; leaves the target group.
    case otevIM = "OTEV_IM"
    /// OTVF_IM: now a pupil at a private school; leaves the target group (not in the 2015 list).
    case otvfIM = "OTVF_IM"
    /// OTLL_IM: now an apprentice; leaves the target group.
    case otllIM = "OTLL_IM"

    /// "OT status code".
    public static let codeListName = "OT status code"

    /// The first day of the 2015 code list, from which most codes are valid.
    public static let codeListStart = LocalDate(unchecked: 2015, 8, 1)

    /// The group the code belongs to.
    public var group: OTStatusGroup {
        switch self {
        case .otuk: .ukjentAktivitet
        case .otov: .underOppfolging
        case .otoa, .otap, .otko, .otar, .otev, .otvf, .otll: .iAktivitet
        case .otno, .otmi, .otba, .otsy, .otif: .avklart
        case .elgsIM, .elvgIM, .otfaIM, .otfuIM, .feil, .otarIM, .otevIM, .otvfIM, .otllIM: .ikkeIMalgruppen
        }
    }

    /// Whether setting this code closes the registration (group 5: not, or no longer, in the target group).
    public var closesRegistration: Bool { group == .ikkeIMalgruppen }

    /// The first day the code may be used.
    public var validFrom: LocalDate {
        switch self {
        case .otvf, .otvfIM: LocalDate(unchecked: 2016, 8, 1)
        default: Self.codeListStart
        }
    }

    /// The last day the code may be used, or `nil` while it is in use.
    public var validTo: LocalDate? { nil }

    /// Whether the code may be used for a status that takes effect on `date`.
    public func isValid(on date: LocalDate) -> Bool {
        date >= validFrom && validTo.map { date <= $0 } ?? true
    }

    /// Checks that the code may be used on `date`.
    /// - Throws: ``ContractError/codeNotValid(kind:code:date:)`` when it may not.
    public func validate(on date: LocalDate) throws(ContractError) {
        guard isValid(on: date) else { throw .codeNotValid(kind: Self.codeListName, code: rawValue, date: date) }
    }

    /// The codes valid on `date`.
    public static func validCodes(on date: LocalDate) -> [OTStatusCode] { allCases.filter { $0.isValid(on: date) } }

    /// What the code means, in English.
    public var meaning: String {
        switch self {
        case .otuk: "unknown activity, not yet reached"
        case .otov: "being followed up and guided"
        case .otoa: "training or work practice run by the county"
        case .otap: "work practice or other NAV measure"
        case .otko: "combined county/municipality and NAV measure"
        case .otar: "in work"
        case .otev: "pupil"
        case .otvf: "pupil at a private upper-secondary school"
        case .otll: "apprentice, training candidate or practice-certificate candidate"
        case .otno: "declined follow-up"
        case .otmi: "military service"
        case .otba: "caring for own child"
        case .otsy: "ill or in an institution"
        case .otif: "non-formal education"
        case .elgsIM: "lower-secondary pupil, preventive"
        case .elvgIM: "pupil or apprentice, preventive"
        case .otfaIM: "moved to another county"
        case .otfuIM: "moved to or staying abroad"
        case .feil: "registered in error"
        case .otarIM: "now in work, leaves the target group"
        case .otevIM: "now a pupil, leaves the target group"
        case .otvfIM: "now a pupil at a private school, leaves the target group"
        case .otllIM: "now an apprentice, leaves the target group"
        }
    }
}
