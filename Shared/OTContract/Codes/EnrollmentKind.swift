/// How a youth takes part in upper-secondary education.
public enum EnrollmentKind: String, CodeList {
    /// PUPIL: a pupil at school (elev).
    case pupil = "PUPIL"
    /// APPRENTICE: an apprentice (lærling).
    case apprentice = "APPRENTICE"
    /// TRAINEE: a training candidate aiming at a certificate of partial competence (lærekandidat).
    case trainee = "TRAINEE"

    /// "enrollment kind".
    public static let codeListName = "enrollment kind"
}
