/// Gender as the population register gives it (kjønn); never read from the national ID.
public enum Gender: String, CodeList {
    /// K (kvinne): female.
    case kvinne = "K"
    /// M (mann): male.
    case mann = "M"

    /// "gender".
    public static let codeListName = "gender"
}
