/// What a programme-area code (programområde, such as `STSSA1----`) means: its education programme (the first two
/// letters) and level (the sixth character: 1 for Vg1, 2 for Vg2, 3 for Vg3), after Udir's code structure.
public enum ProgrammeArea {
    /// The education programmes (utdanningsprogram) by their two-letter code.
    public static let programmes: [String: String] = [
        "BA": "Bygg- og anleggsteknikk",
        "DT": "Design og tradisjonshåndverk",
        "EL": "Elektro og datateknologi",
        "FD": "Frisør, blomster, interiør og eksponeringsdesign",
        "HS": "Helse- og oppvekstfag",
        "ID": "Idrettsfag",
        "IM": "Informasjonsteknologi og medieproduksjon",
        "KD": "Kunst, design og arkitektur",
        "MD": "Musikk, dans og drama",
        "MK": "Medier og kommunikasjon",
        "NA": "Naturbruk",
        "PB": "Påbygging til generell studiekompetanse",
        "RM": "Restaurant- og matfag",
        "SS": "Salg, service og reiseliv",
        "ST": "Studiespesialisering",
        "TP": "Teknologi- og industrifag",
    ]

    /// "Vg1 Studiespesialisering" for `STSSA1----`; `nil` for a code whose programme is not known.
    public static func meaning(of code: String) -> String? {
        let characters = Array(code)
        guard characters.count >= 2, let programme = programmes[String(characters[0..<2])] else { return nil }
        guard characters.count >= 6, let level = characters[5].wholeNumberValue, (1...3).contains(level) else {
            return programme
        }
        return "Vg\(level) \(programme)"
    }
}
