/// A reason a pupil or apprentice left (Udir regbok, field B06, version 14, 2023), as its two-letter code.
public enum DropoutReason: String, CodeList {
    /// AP: changed programme, same school.
    case changedProgramme = "AP"
    /// AR: got work.
    case gotWork = "AR"
    /// AS: went to another school.
    case otherSchool = "AS"
    /// FL: moved.
    case moved = "FL"
    /// FR: high absence.
    case highAbsence = "FR"
    /// FV: wrong choice.
    case wrongChoice = "FV"
    /// LA: left to start an apprenticeship.
    case apprenticeship = "LA"
    /// MI: military service.
    case militaryService = "MI"
    /// PM: leave.
    case leave = "PM"
    /// UV: exchange pupil.
    case exchangePupil = "UV"
    /// IM: did not show up at school start.
    case didNotShowUp = "IM"
    /// TN: declined the offer.
    case declinedOffer = "TN"
    /// AF: other, or not given.
    case other = "AF"

    /// "B06 dropout reason".
    public static let codeListName = "B06 dropout reason"

    /// What the code means, in English.
    public var meaning: String {
        switch self {
        case .changedProgramme: "changed programme, same school"
        case .gotWork: "got work"
        case .otherSchool: "went to another school"
        case .moved: "moved"
        case .highAbsence: "high absence"
        case .wrongChoice: "wrong choice"
        case .apprenticeship: "left to start an apprenticeship"
        case .militaryService: "military service"
        case .leave: "leave"
        case .exchangePupil: "exchange pupil"
        case .didNotShowUp: "did not show up at school start"
        case .declinedOffer: "declined the offer"
        case .other: "other, or not given"
        }
    }
}
